/**
 * @module
 * The widget's side of `contract/embed-messages.ts`: it talks to its parent
 * page only, addressed to the parent's exact origin (never `"*"`) and only when
 * the program allows that origin; it accepts the tracker's attribution only
 * from the parent window and an allowed origin.
 */
import type { TrackerMessage, WidgetMessage } from '../contract/embed-messages.ts';
import { CLICK_ID, SHARE_CODE } from '../contract/friend-fields.ts';

export interface Attribution {
  code: string | null;
  clickId: string | null;
}

/** The parts of the iframe's window the widget uses, so tests can hand in their own. */
export interface Frame {
  parent: { postMessage(message: unknown, targetOrigin: string): void };
  location: { ancestorOrigins?: ArrayLike<string> };
  document: { referrer: string };
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

const originOf = (url: string): string | undefined => {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
};

/**
 * The embedding page's origin when the program allows it, else null: the
 * browser's `ancestorOrigins` (Chromium, Safari), else the referrer's origin
 * (Firefox), else the one allowed origin (frame-ancestors admits no other).
 */
export function parentOrigin(frame: Frame, origins: string[]): string | null {
  if (frame.parent === (frame as unknown)) return null;
  const origin = frame.location.ancestorOrigins?.[0] || originOf(frame.document.referrer) || (origins.length === 1 ? origins[0] : undefined);
  return origin && origins.includes(origin) ? origin : null;
}

/** Listens for the tracker's attribution; returns how to post to the parent (a no-op when it may not be told). */
export function connect(frame: Frame, origins: string[], onAttribution: (by: Attribution) => void): (message: WidgetMessage) => void {
  if (frame.parent === (frame as unknown)) return () => {};
  frame.addEventListener('message', (event) => {
    const m = event.data as TrackerMessage | null;
    if (event.source !== frame.parent || !origins.includes(event.origin) || m?.type !== 'offertown:attribution') return;
    if (typeof m.code === 'string' && SHARE_CODE.test(m.code)) {
      onAttribution({ code: m.code, clickId: typeof m.clickId === 'string' && CLICK_ID.test(m.clickId) ? m.clickId : null });
    }
  });
  const target = parentOrigin(frame, origins);
  return (message) => target && frame.parent.postMessage(message, target);
}
