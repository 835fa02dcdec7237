/**
 * @module
 * What the server inlines into the widget page: the program's branding,
 * already resolved against the query's overrides, validated and defaulted,
 * with the messages of the chosen locale. The page's `lang` and `data-theme`
 * are set by the server too, so nothing here is decided in the browser.
 */
import type { Messages } from './messages/en.ts';

/** Messages the server uses itself (title, defaults, reward wording, 404 page): never sent to the browser. */
export const SERVER_ONLY = ['form', 'headline', 'text', 'submit', 'notFound', 'notFoundText', 'rewardAmount', 'rewardShare', 'rewardShareUpTo'] as const;

/** The messages the widget's script shows. */
export type WidgetMessages = Omit<Messages, (typeof SERVER_ONLY)[number]>;
export type WidgetMessageKey = keyof WidgetMessages;

export interface WidgetConfig {
  programId: string;
  /** Origins allowed to embed the widget: the only ones it talks to. */
  origins: string[];
  brand: string;
  logoUrl: string | null;
  /** The primary colour, `#rrggbb`. */
  color: string;
  /** Black or white, whichever reads on `color`. */
  onColor: string;
  headline: string;
  text: string;
  buttonLabel: string;
  termsUrl: string | null;
  rewardText: string | null;
  /** The share code from the iframe's `?ref=`, validated. */
  ref: string | null;
  /** The click ID from the iframe's `?click=`, validated. */
  click: string | null;
  t: WidgetMessages;
}

/** The id of the `<script type="application/json">` holding the config. */
export const CONFIG_ID = 'ot-config';

export const readConfig = (): WidgetConfig => JSON.parse(document.getElementById(CONFIG_ID)!.textContent!);
