/**
 * @module
 * The postMessage contract between the tracker (on the merchant's page) and
 * the widget iframe (served from the Offertown server). Types only: nothing
 * here ships in either bundle.
 *
 * Security rules both sides follow:
 * - The widget posts to the embedding page's origin only (never `"*"`), and
 *   only when that origin is one of the program's allowed origins.
 * - The tracker accepts a message only when `event.origin` is the Offertown
 *   server's origin (the origin of the tracker's own `src`) and
 *   `event.source` is the `contentWindow` of an Offertown widget iframe on the
 *   page (an iframe whose `src` starts with `<server origin>/widget/`).
 * - The tracker posts to a widget with `targetOrigin` = the server's origin.
 */

/** Widget → page: the widget has loaded and wants the visitor's attribution. */
export interface WidgetReady {
  type: 'offertown:ready';
}

/** Widget → page: the widget's content height in CSS pixels; the tracker sizes the iframe to it. */
export interface WidgetHeight {
  type: 'offertown:height';
  height: number;
}

/** Widget → page: the friend's submission succeeded. */
export interface WidgetSubmitted {
  type: 'offertown:submitted';
  referralId: string;
}

/** Page (tracker) → widget: the attribution the tracker holds for this visitor, sent in answer to `offertown:ready`. */
export interface TrackerAttribution {
  type: 'offertown:attribution';
  /** The referrer's share code. */
  code: string;
  /** The click ID (`ot_click`), when the visitor came through a `/r/` link. */
  clickId: string | null;
  /** Epoch ms of the first touch. */
  firstSeenAt: number;
}

export type WidgetMessage = WidgetReady | WidgetHeight | WidgetSubmitted;
export type TrackerMessage = TrackerAttribution;
