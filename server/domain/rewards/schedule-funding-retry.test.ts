import { expect, it } from 'vitest';
import { scheduleFundingRetry } from './schedule-funding-retry.ts';

it('retries a failed charge after 1 h, 6 h and a day, then gives up; at once when retrying cannot help', () => {
  expect([1, 2, 3, 4].map((failures) => scheduleFundingRetry(failures, 0, true))).toEqual([3_600_000, 21_600_000, 86_400_000, null]);
  expect(scheduleFundingRetry(1, 0, false)).toBeNull();
});
