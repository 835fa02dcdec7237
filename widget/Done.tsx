/**
 * @module
 * The success screen: thanks by name, the friend's reward when the program
 * has one. Focus moves to its heading, so a screen reader announces it.
 */
import type { WidgetConfig } from './config.ts';
import { fill } from './fill.ts';

export function Done({ cfg, name }: { cfg: WidgetConfig; name: string }) {
  const { t } = cfg;
  return (
    <>
      <h1 tabIndex={-1} ref={(heading) => heading?.focus()}>{fill(t.thanks, { name })}</h1>
      {cfg.rewardText && <p class="r">{fill(t.reward, { reward: cfg.rewardText })}</p>}
      <p>{fill(t.done, { brand: cfg.brand })}</p>
    </>
  );
}
