import { describe, expect, it, vi } from 'vitest';
import { connect, parentOrigin, type Attribution, type Frame } from './embed.ts';

const SHOP = 'https://shop.example';

/** An embedded frame whose parent records what it is sent. */
function frame({ ancestors = [SHOP] as string[], referrer = '' } = {}) {
  const parent = { postMessage: vi.fn() };
  const listeners: Array<(event: MessageEvent) => void> = [];
  const f: Frame = {
    parent,
    location: { ancestorOrigins: ancestors },
    document: { referrer },
    addEventListener: (_type, listener) => void listeners.push(listener),
  };
  const receive = (data: unknown, origin = SHOP, source: unknown = parent) =>
    listeners.forEach((l) => l({ data, origin, source } as unknown as MessageEvent));
  return { f, parent, receive };
}

describe('parentOrigin', () => {
  it('is the parent\'s origin when the program allows it', () => {
    expect(parentOrigin(frame().f, [SHOP])).toBe(SHOP);
    expect(parentOrigin(frame().f, ['https://other.example'])).toBeNull();
  });

  it('falls back to the referrer\'s origin, then to the only allowed origin', () => {
    expect(parentOrigin(frame({ ancestors: [], referrer: `${SHOP}/invited?x=1` }).f, [SHOP, 'https://b.example'])).toBe(SHOP);
    expect(parentOrigin(frame({ ancestors: [] }).f, [SHOP])).toBe(SHOP);
    expect(parentOrigin(frame({ ancestors: [] }).f, [SHOP, 'https://b.example'])).toBeNull();
  });

  it('is null when the widget is not framed', () => {
    const top = frame().f;
    top.parent = top as unknown as Frame['parent'];
    expect(parentOrigin(top, [SHOP])).toBeNull();
  });
});

describe('connect', () => {
  it('posts to the parent\'s exact origin, never "*"', () => {
    const { f, parent } = frame();
    connect(f, [SHOP], () => {})({ type: 'offertown:height', height: 420 });
    expect(parent.postMessage).toHaveBeenCalledWith({ type: 'offertown:height', height: 420 }, SHOP);
  });

  it('posts nothing to an origin the program does not allow', () => {
    const { f, parent } = frame({ ancestors: ['https://evil.example'] });
    connect(f, [SHOP], () => {})({ type: 'offertown:ready' });
    expect(parent.postMessage).not.toHaveBeenCalled();
  });

  it('takes the tracker\'s attribution from the parent at an allowed origin', () => {
    const { f, receive } = frame();
    const told: Attribution[] = [];
    connect(f, [SHOP], (by) => told.push(by));
    receive({ type: 'offertown:attribution', code: 'a1b2c3d4', clickId: 'ref_0123456789abcdef', firstSeenAt: 1 });
    receive({ type: 'offertown:attribution', code: 'a1b2c3d4', clickId: null, firstSeenAt: 1 });
    expect(told).toEqual([{ code: 'a1b2c3d4', clickId: 'ref_0123456789abcdef' }, { code: 'a1b2c3d4', clickId: null }]);
  });

  it('ignores attribution from another origin, another window, or malformed', () => {
    const { f, receive } = frame();
    const onAttribution = vi.fn();
    connect(f, [SHOP], onAttribution);
    const message = { type: 'offertown:attribution', code: 'a1b2c3d4', clickId: null, firstSeenAt: 1 };
    receive(message, 'https://evil.example');
    receive(message, SHOP, {});
    receive({ ...message, code: 'A1B2C3D4<' });
    receive({ ...message, code: 42 });
    receive({ type: 'offertown:height', height: 1 });
    receive(null);
    expect(onAttribution).not.toHaveBeenCalled();
  });

  it('drops a malformed click ID but keeps the code', () => {
    const { f, receive } = frame();
    const onAttribution = vi.fn();
    connect(f, [SHOP], onAttribution);
    receive({ type: 'offertown:attribution', code: 'a1b2c3d4', clickId: 'javascript:1', firstSeenAt: 1 });
    expect(onAttribution).toHaveBeenCalledWith({ code: 'a1b2c3d4', clickId: null });
  });
});
