import { describe, expect, it } from 'vitest';
import { DELIVERY_ATTEMPTS, deliveryRetryDelay, scheduleDeliveryRetry } from './schedule-delivery-retry.ts';

describe('webhook retry schedule', () => {
  it('backs off exponentially, at most a day apart', () => {
    const minutes = Array.from({ length: DELIVERY_ATTEMPTS - 1 }, (_, i) => deliveryRetryDelay(i + 1) / 60_000);
    expect(minutes).toEqual([1, 3, 9, 27, 81, 243, 729, 1440, 1440]);
  });

  it('keeps trying for about three days, then gives up', () => {
    let now = 0;
    let attempts = 1;
    for (let next = scheduleDeliveryRetry(attempts, now); next !== null; next = scheduleDeliveryRetry(++attempts, now)) now = next;
    expect(attempts).toBe(DELIVERY_ATTEMPTS);
    expect(now / 86_400_000).toBeGreaterThan(2.5);
    expect(now / 86_400_000).toBeLessThan(3.5);
  });
});
