// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { DAY_MS, format, parse } from './attribution.ts';
import { cookieValues, readAttribution } from './read-cookie.ts';

const NOW = 1_765_467_600_000;
const CLICK_ID = 'ref_9f86d081884c7d65';

describe('the cookie format', () => {
  it('round-trips, with and without a click ID', () => {
    for (const a of [{ code: 'a1b2c3d4', clickId: CLICK_ID, firstSeenAt: NOW }, { code: 'a1b2c3d4', clickId: null, firstSeenAt: NOW }]) {
      expect(parse(format(a), 90, NOW)).toEqual(a);
    }
    expect(format({ code: 'a1b2c3d4', clickId: null, firstSeenAt: NOW })).toBe('a1b2c3d4..1765467600000');
  });

  it.each([
    ['an upper-case code', 'A1B2C3D4..1765467600000'],
    ['a short code', 'a1b2c3..1765467600000'],
    ['a foreign click ID', 'a1b2c3d4.rfr_9f86d081884c7d65.1765467600000'],
    ['a short time', 'a1b2c3d4..176546760000'],
    ['extra fields', 'a1b2c3d4..1765467600000.x'],
    ['URL encoding', 'a1b2c3d4%2E%2E1765467600000'],
    ['nothing', ''],
  ])('refuses %s', (_, value) => {
    expect(parse(value, 90, NOW)).toBeNull();
  });

  it('expires a first touch older than the window, and refuses one from well in the future', () => {
    expect(parse(`a1b2c3d4..${NOW - 89 * DAY_MS}`, 90, NOW)).not.toBeNull();
    expect(parse(`a1b2c3d4..${NOW - 90 * DAY_MS}`, 90, NOW)).toBeNull();
    expect(parse(`a1b2c3d4..${NOW - 10 * DAY_MS}`, 7, NOW)).toBeNull();
    expect(parse(`a1b2c3d4..${NOW + 60_000}`, 90, NOW)).not.toBeNull();
    expect(parse(`a1b2c3d4..${NOW + 2 * DAY_MS}`, 90, NOW)).toBeNull();
  });
});

describe('readAttribution', () => {
  it('reads the cookie from a Cookie header or a request', () => {
    const header = `session=abc; ot_ref=a1b2c3d4.${CLICK_ID}.${NOW}; theme=dark`;
    const expected = { code: 'a1b2c3d4', clickId: CLICK_ID, firstSeenAt: NOW };
    expect(readAttribution(header, { now: NOW })).toEqual(expected);
    expect(readAttribution({ headers: { cookie: header } }, { now: NOW })).toEqual(expected);
  });

  it('is null without the cookie, with a tampered one, or past the window', () => {
    expect(readAttribution(undefined)).toBeNull();
    expect(readAttribution('other=1', { now: NOW })).toBeNull();
    expect(readAttribution('ot_ref=a1b2c3d4..1765467600000<script>', { now: NOW })).toBeNull();
    expect(readAttribution(`ot_ref=a1b2c3d4..${NOW}`, { now: NOW + 31 * DAY_MS, windowDays: 30 })).toBeNull();
  });

  it('takes the first valid one when the browser sends two', () => {
    expect(readAttribution(`ot_ref=junk; ot_ref=a1b2c3d4..${NOW}`, { now: NOW })?.code).toBe('a1b2c3d4');
    expect(cookieValues('a=1;ot_ref=x ; xot_ref=y; ot_ref=z', 'ot_ref')).toEqual(['x', 'z']);
  });
});
