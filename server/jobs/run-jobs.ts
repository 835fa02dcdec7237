/**
 * @module
 * Runs the background jobs every `interval` ms, driven by the Clock: expiry,
 * maturation and funding, pending payments, webhook delivery. Each run finishes before the next
 * is scheduled, and `stop()` waits for the running one. Several processes on
 * one PostgreSQL may all run them: every job claims its work atomically.
 */
import type { Clock } from '../domain/clock.ts';
import type { CommissionRate } from '../domain/rewards/calculate-commission.ts';
import type { PaymentProvider } from '../payments/provider.ts';
import type { Store } from '../store/connect.ts';
import { releaseLeases } from '../store/deliveries.ts';
import { checkPendingPayments } from './check-payments.ts';
import { deliverWebhooks } from './deliver-webhooks.ts';
import { expireOverdueReferrals } from './expire-referrals.ts';
import { fundRewards } from './fund-rewards.ts';
import type { SendOptions } from './send-webhook.ts';

export interface JobsDeps {
  store: Store;
  clock: Clock;
  provider: PaymentProvider;
  commission: CommissionRate;
  send: SendOptions;
  intervalMs: number;
  /** Where a failing job is reported; the loop itself keeps going. */
  onError: (job: string, error: unknown) => void;
}

export interface Jobs {
  /** Starts the loop (on SQLite, first ending leases a dead process left). */
  start(): Promise<void>;
  /** One run of every job, now. */
  runOnce(): Promise<void>;
  /** Stops the loop and waits for the run under way. */
  stop(): Promise<void>;
}

/**
 * @example const jobs = createJobs({ store, clock, provider, commission, send, intervalMs: 5000, onError: console.error }); await jobs.start(); await jobs.stop();
 */
export function createJobs(deps: JobsDeps): Jobs {
  const jobs: Array<[string, () => Promise<unknown>]> = [
    ['expiry', () => expireOverdueReferrals(deps)],
    ['funding', () => fundRewards(deps)],
    ['payments', () => checkPendingPayments(deps)],
    ['webhooks', () => deliverWebhooks(deps)],
  ];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const runOnce = () => (running = running.then(async () => {
    for (const [name, job] of jobs) {
      if (stopped) return;
      await job().catch((error: unknown) => deps.onError(name, error));
    }
  }));
  const loop = () => {
    timer = setTimeout(() => void runOnce().then(() => { if (!stopped) loop(); }), deps.intervalMs);
  };
  return {
    async start() {
      // With SQLite one process runs the jobs, so a lease left over is from a process that died.
      if (deps.store.dialect === 'sqlite') await releaseLeases(deps.store);
      void runOnce().then(() => { if (!stopped) loop(); });
    },
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
