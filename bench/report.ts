/**
 * @module
 * The benchmark's table: one row per scenario, throughput also as a share of
 * the bare hello-world measured in the same run (absolute figures on a shared
 * 2-core machine swing between runs; ratios within one run hold).
 */
import type { Measurement } from './measure.ts';

const int = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** Small figures keep a decimal: 0.4 req/s is not 0. */
const figure = (value: number) => (value < 10 ? value.toFixed(1) : int.format(value));
const percent = (value: number) => `${Math.round(value * 100)} %`;
/** CPU as a share of one core; `?` where the system does not tell. */
const cores = (value: number | null) => (value === null ? '?' : percent(value));

/** The hello-world throughput routes are compared with: the mean of its runs. */
export function baselineRps(baselines: Measurement[]): number {
  return baselines.reduce((sum, row) => sum + row.rps, 0) / baselines.length;
}

/**
 * A Markdown table, so the output pastes straight into BENCHMARKS.md. `routes`
 * are judged against the goal; `others` (e.g. the million-referral runs) only shown.
 */
export function table(baselines: Measurement[], routes: Measurement[], goal: number, others: Measurement[] = []): string {
  const base = baselineRps(baselines);
  const header = ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'vs hello-world', `≥ ${percent(goal)}?`, 'server CPU', 'server µs/req', 'client CPU', 'other CPU'];
  const row = (m: Measurement, judged: boolean) => {
    const ratio = m.rps / base;
    const verdict = judged ? (ratio >= goal ? 'yes' : 'no') : '—';
    return [
      m.name, String(m.connections), figure(m.rps), figure(m.p50), figure(m.p99), String(m.non2xx),
      percent(ratio), verdict, cores(m.serverCpu), m.serverCpu === null ? '?' : int.format((m.serverCpu / m.rps) * 1e6),
      cores(m.clientCpu), cores(m.otherCpu),
    ];
  };
  const lines = [
    header,
    header.map((_, i) => (i === 0 ? '---' : '---:')),
    ...baselines.map((m) => row(m, false)),
    ...routes.map((m) => row(m, true)),
    ...others.map((m) => row(m, false)),
  ];
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
