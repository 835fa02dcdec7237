import { describe, expect, it } from 'vitest';
import { manualClock, systemClock } from './clock.ts';

describe('clocks', () => {
  it('a manual clock moves only when told', () => {
    const clock = manualClock(1000);
    expect(clock.now()).toBe(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(42);
    expect(clock.now()).toBe(42);
    expect(manualClock().now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('the system clock tells the time in epoch milliseconds', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(Number.isInteger(now)).toBe(true);
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
