/**
 * @module
 * `npm run bench`: throughput and latency of the partner API on SQLite with
 * rate limits lifted, next to a bare Fastify hello-world measured in the same
 * run. `npm run bench -- --million` adds the list routes on a million referrals.
 *
 * Each server runs alone in a child process (bench/server.ts) and autocannon
 * runs here, so on a 2-core machine each has a core. The hello-world is
 * measured first and last; routes are compared with the mean of the two. Any
 * response other than the expected status fails the run, and so do write
 * counts that do not match the rows in the database afterwards.
 *
 * Settings (environment): BENCH_CONNECTIONS (default 50), BENCH_DURATION
 * seconds per scenario (6), BENCH_WARMUP seconds before each (1),
 * BENCH_CONVERT_POOL pending referrals for the convert scenario (40 000),
 * BENCH_CPU_PROF a directory for V8 CPU profiles of the Offertown server
 * (profiling slows it: compare its figures only with each other).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFixture, countRows, type Fixture } from './fixture.ts';
import { BenchmarkFailure, measure, ServerProcess, type LoadSettings, type Measurement, type Scenario } from './measure.ts';
import { baselineRps, table } from './report.ts';
import { convertReferral, createReferral, getReferral, helloWorld, listReferrals } from './scenarios.ts';

/** The goal: each API route at this share of the bare hello-world's throughput. */
const GOAL = 0.6;
/** Cores used by other programs (and the kernel) during a run above which its figures are suspect. */
const BUSY_MACHINE_CORES = 0.5;
const REFERRALS = 100_000;
const MILLION = 1_000_000;

const envInt = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number`);
  return value;
};

const settings: LoadSettings = {
  connections: envInt('BENCH_CONNECTIONS', 50),
  duration: envInt('BENCH_DURATION', 6),
  warmup: envInt('BENCH_WARMUP', 1),
};
const conversionPool = envInt('BENCH_CONVERT_POOL', 40_000);
const withMillion = process.argv.includes('--million');
const profileDir = process.env.BENCH_CPU_PROF;

const log = (line: string) => console.log(line);

async function withServer<T>(args: string[], use: (server: ServerProcess) => Promise<T>): Promise<T> {
  const profile = profileDir && args[0] === 'app' ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  const server = await ServerProcess.start(args, profile);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

async function run(server: ServerProcess, scenario: Scenario): Promise<Measurement> {
  const result = await measure(server, scenario, settings);
  log(`  ${scenario.name.padEnd(62)} ${result.rps.toFixed(1).padStart(8)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`);
  return result;
}

const helloRun = (label: string) =>
  withServer(['hello'], (server) => run(server, { ...helloWorld, name: `${helloWorld.name} (${label})` }));

/** The seed must be what the API sees, or the figures describe something else. */
async function expectListTotal(server: ServerProcess, apiKey: string, expected: number): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/partners/referrals`, { headers: { 'x-api-key': apiKey } });
  const body = (await response.json()) as { pagination?: { total?: number } };
  if (response.status !== 200 || body.pagination?.total !== expected) {
    throw new BenchmarkFailure(`list before the run: status ${response.status}, total ${body.pagination?.total}, expected ${expected}`);
  }
}

/** Every counted 201 wrote a row; a few more may have landed as the load stopped mid-flight. */
function expectWritten(what: string, rows: number, counted: number): void {
  const inFlight = 2 * settings.connections;
  if (rows < counted || rows > counted + inFlight) {
    throw new BenchmarkFailure(`${what}: ${counted} responses of 201 but ${rows} rows in the database`);
  }
}

async function mainRun(dir: string): Promise<{ baselines: Measurement[]; routes: Measurement[] }> {
  const sqliteFile = join(dir, 'bench.db');
  const fixture: Fixture = await buildFixture({ sqliteFile, referrals: REFERRALS, referrers: 300, conversionPool, deferIndexes: false });
  log(`Seeded ${REFERRALS.toLocaleString('en-US')} referrals (+ ${conversionPool.toLocaleString('en-US')} pending for the convert scenario) in ${fixture.seconds.toFixed(1)} s\n`);

  const before = await helloRun('first');
  const convert = convertReferral(fixture.pool.apiKey, fixture.poolIds);
  const routes = await withServer(['app', sqliteFile], async (server) => {
    await expectListTotal(server, fixture.main.apiKey, REFERRALS);
    const key = fixture.main.apiKey;
    return [
      await run(server, getReferral(key, fixture.sampleIds)),
      await run(server, listReferrals(key)),
      await run(server, listReferrals(key, 'status=converted&sortBy=conversionValue')),
      await run(server, createReferral(key, fixture.main.referrers.map((r) => r.identifier))),
      await run(server, convert).catch((error: unknown) => {
        if (!(error instanceof BenchmarkFailure) || convert.used() <= fixture.poolIds.length) throw error;
        throw new BenchmarkFailure(`${error.message}: the ${fixture.poolIds.length} referrals of the conversion pool ran out; raise BENCH_CONVERT_POOL`);
      }),
    ];
  });
  const after = await helloRun('last');

  const create = routes[3]!;
  const converted = routes[4]!;
  const rows = await countRows(sqliteFile, fixture);
  expectWritten('create', rows.mainReferrals - REFERRALS, create.requests + create.warmupRequests);
  expectWritten('convert', rows.poolConverted, converted.requests + converted.warmupRequests);
  log(`\nChecked: ${rows.mainReferrals - REFERRALS} referrals created and ${rows.poolConverted} converted, as the responses said `
    + `(${convert.used()} of ${conversionPool} pool referrals used).`);
  return { baselines: [before, after], routes };
}

async function millionRun(dir: string): Promise<Measurement[]> {
  const sqliteFile = join(dir, 'million.db');
  log(`\nSeeding ${MILLION.toLocaleString('en-US')} referrals (secondary indexes built after the inserts)…`);
  const fixture = await buildFixture({ sqliteFile, referrals: MILLION, referrers: 1_000, conversionPool: 0, deferIndexes: true });
  log(`Seeded in ${fixture.seconds.toFixed(1)} s\n`);
  return withServer(['app', sqliteFile], async (server) => {
    await expectListTotal(server, fixture.main.apiKey, MILLION);
    const key = fixture.main.apiKey;
    // One connection for the lists: each takes long enough that its latency is the query's own time.
    const at1m = (scenario: Scenario, connections?: number): Scenario => ({ ...scenario, name: `${scenario.name} @ 1M`, connections });
    return [
      await run(server, at1m(getReferral(key, fixture.sampleIds))),
      await run(server, at1m(listReferrals(key), 1)),
      await run(server, at1m(listReferrals(key, 'status=converted&sortBy=conversionValue'), 1)),
    ];
  });
}

async function main(): Promise<void> {
  const cpu = cpus();
  log(`Offertown API benchmark: Node ${process.version}, ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), `
    + `${settings.connections} connections, ${settings.warmup} s warm-up + ${settings.duration} s per scenario, SQLite, limits lifted.`);
  const dir = mkdtempSync(join(tmpdir(), 'offertown-bench-'));
  try {
    const { baselines, routes } = await mainRun(dir);
    const million = withMillion ? await millionRun(dir) : [];
    const base = baselineRps(baselines);
    const met = routes.filter((m) => m.rps / base >= GOAL).length;
    log(`\n${table(baselines, routes, GOAL, million)}\n`);
    log(`Hello-world baseline: ${Math.round(base)} req/s (mean of first and last run; they differ by `
      + `${Math.round((Math.abs(baselines[0]!.rps - baselines[1]!.rps) / base) * 100)} %).`);
    const disturbed = [...baselines, ...routes, ...million].filter((m) => (m.otherCpu ?? 0) > BUSY_MACHINE_CORES);
    if (disturbed.length) {
      log(`WARNING: other programs used more than ${BUSY_MACHINE_CORES} of a core during ${disturbed.map((m) => m.name).join('; ')}: `
        + 'those figures are low and noisy. Re-run on an otherwise idle machine.');
    }
    log(`Goal (each API route ≥ ${GOAL * 100} % of hello-world on ${REFERRALS.toLocaleString('en-US')} referrals): `
      + `${met === routes.length ? 'met' : 'NOT met'} — ${met} of ${routes.length} routes.`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchmarkFailure ? `\nBENCHMARK FAILED: ${error.message}` : error);
  process.exitCode = 1;
});
