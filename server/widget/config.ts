/**
 * @module
 * The widget's settings for one page view: the program's branding, checked
 * again field by field (a row written by other means cannot inject anything),
 * with the page's `?color=`, `?theme=`, `?locale=` overrides when valid and
 * its `?ref=` / `?click=` attribution when well-formed. Invalid values are
 * ignored, never an error: the friend still gets a working form.
 */
import { branding, hexColor, type Branding, type Locale, type Program } from '../../contract/program.ts';
import { CLICK_ID, SHARE_CODE } from '../../contract/friend-fields.ts';
import { SERVER_ONLY, type WidgetConfig, type WidgetMessages } from '../../widget/config.ts';
import { MESSAGES } from '../../widget/messages/index.ts';
import { DEFAULT_BRANDING } from '../domain/program-defaults.ts';
import { textOn } from './contrast.ts';
import { fromAcceptLanguage, localeOf } from './locale.ts';
import { friendReward } from './reward.ts';

export type Theme = 'light' | 'dark';

export interface WidgetView {
  config: WidgetConfig;
  locale: Locale;
  theme: Theme;
}

/** A locale's messages without those the server has used up. */
const forBrowser = (t: Record<string, string>): WidgetMessages =>
  Object.fromEntries(Object.entries(t).filter(([key]) => !(SERVER_ONLY as readonly string[]).includes(key))) as WidgetMessages;

/** The program's branding without any field that fails its own schema. */
function checkedBranding(stored: Branding): Branding {
  const raw = stored as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(branding.shape).map(([key, schema]) => [key, schema.safeParse(raw[key]).data]),
  ) as Branding;
}

/**
 * @example widgetView(program, { locale: 'de', color: '1a73e8' }, 'fr').locale // 'de'
 */
export function widgetView(program: Program, query: Record<string, unknown>, acceptLanguage?: string): WidgetView {
  const param = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const b = checkedBranding(program.branding);
  const locale = localeOf(param('locale')) ?? b.locale ?? fromAcceptLanguage(acceptLanguage) ?? 'en';
  const theme = param('theme') === 'dark' || param('theme') === 'light' ? (param('theme') as Theme) : b.theme ?? 'light';
  const color = hexColor.safeParse(param('color')?.replace(/^#?/, '#')).data ?? b.primaryColor ?? DEFAULT_BRANDING.primaryColor;
  const ref = param('ref')?.toLowerCase();
  const click = param('click');
  const t = MESSAGES[locale];
  return {
    locale,
    theme,
    config: {
      programId: program.programId,
      origins: program.allowedOrigins,
      brand: b.name ?? program.name,
      logoUrl: b.logoUrl ?? null,
      color,
      onColor: textOn(color),
      headline: b.headline || t.headline,
      text: b.text ?? t.text,
      buttonLabel: b.buttonLabel || t.submit,
      termsUrl: b.termsUrl ?? null,
      rewardText: friendReward(b.friendRewardText, program.rewards?.friendReward, locale, t),
      ref: ref && SHARE_CODE.test(ref) ? ref : null,
      click: click && CLICK_ID.test(click) ? click : null,
      t: forBrowser(t),
    },
  };
}
