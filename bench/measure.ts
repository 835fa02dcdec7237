/**
 * @module
 * Starting a server under test in a child process and loading it with
 * autocannon: one scenario at a time, a warm-up first, every response checked,
 * and the CPU each side used, read from /proc so that a busy server need not
 * answer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import type { ServerMessage } from './server.ts';

/** One load pattern against one route. */
export interface Scenario {
  name: string;
  /** The status every response must have (201 for creates, 200 otherwise). */
  status: number;
  /** A fixed request, or a function that builds each request (unique bodies, rotating IDs). */
  request: autocannon.Request;
  /** Overrides the run's connection count, e.g. 1 to time a slow query alone. */
  connections?: number;
}

export interface LoadSettings {
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of load before the measurement, not counted. */
  warmup: number;
}

export interface Measurement {
  name: string;
  connections: number;
  /** Responses counted in the measured run, and in the warm-up before it. */
  requests: number;
  warmupRequests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  /** Cores the server process used while measured (1 = one core busy); null without /proc. */
  serverCpu: number | null;
  /** The same for this process, i.e. autocannon: near 1 means the client, not the server, set the pace. */
  clientCpu: number;
  /**
   * Cores the rest of the machine used meanwhile (the kernel's loopback TCP
   * work, other programs); null without /proc. Well above the hello-world's
   * figure means somebody else was using the machine.
   */
  otherCpu: number | null;
}

/** USER_HZ, the unit of /proc's CPU times: 100 on every Linux this benchmark will meet. */
const TICKS_PER_SECOND = 100;

/** CPU seconds a process has used, from /proc/PID/stat; null where there is no /proc. */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may itself hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** CPU seconds all cores spent busy since boot, from /proc/stat; null where there is none. */
function machineCpuSeconds(): number | null {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = ticks;
    return (user + nice + system + irq + softirq + steal) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** A server under test, in its own process. */
export class ServerProcess {
  private constructor(private readonly child: ChildProcess, readonly url: string, private readonly pingPath: string) {}

  /**
   * Forks `bench/server.ts` with the given arguments and waits until it listens.
   * `nodeFlags` go to the child's node, e.g. `--cpu-prof` to profile the server.
   */
  static async start(args: string[], nodeFlags: string[] = []): Promise<ServerProcess> {
    const child = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), args, {
      execArgv: ['--import', 'tsx', ...nodeFlags],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = new Promise<string>((resolve, reject) => {
      child.on('message', (message: ServerMessage) => resolve(message.url));
      child.once('exit', (code) => reject(new Error(`server ${args.join(' ')} exited with ${code} before listening`)));
    });
    return new ServerProcess(child, await ready, args[0] === 'hello' ? '/' : '/healthz');
  }

  /** CPU seconds the server has used so far; null where there is no /proc. */
  cpuSeconds(): number | null {
    return this.child.pid === undefined ? null : processCpuSeconds(this.child.pid);
  }

  /**
   * Waits until the server has worked off what the last run left queued: when
   * autocannon stops, up to one request per connection is still being served,
   * and on a slow route that is seconds of work the next run would pay for.
   */
  async drain(): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const started = performance.now();
      await fetch(`${this.url}${this.pingPath}`).then((response) => response.arrayBuffer());
      if (performance.now() - started < 20) return;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** The run broke its own rules (an unexpected response, rows that do not add up): its figures mean nothing. */
export class BenchmarkFailure extends Error {}

/** Throws unless every response of the run had the expected status. */
function check(name: string, phase: string, expected: number, result: autocannon.Result): void {
  if (phase === 'measured' && result.requests.total === 0) {
    throw new BenchmarkFailure(`${name} (${phase}): not one response within the run; the route is too slow for this load`);
  }
  const unexpected = Object.entries(result.statusCodeStats)
    .filter(([status]) => Number(status) !== expected)
    .map(([status, { count }]) => `${count}× ${status}`);
  if (result.errors || result.timeouts || result.non2xx || unexpected.length) {
    throw new BenchmarkFailure(
      `${name} (${phase}): ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`
      + (unexpected.length ? `; expected only ${expected}, got ${unexpected.join(', ')}` : ''),
    );
  }
}

const difference = (after: number | null, before: number | null) => (after === null || before === null ? null : after - before);

/**
 * Warms the route up, lets the server finish what the warm-up left, then
 * measures; fails loudly on any unexpected response.
 */
export async function measure(server: ServerProcess, scenario: Scenario, settings: LoadSettings): Promise<Measurement> {
  const connections = scenario.connections ?? settings.connections;
  const options = (duration: number): autocannon.Options => ({
    url: server.url,
    connections,
    duration,
    timeout: 10,
    requests: [scenario.request],
  });
  let warmupRequests = 0;
  if (settings.warmup > 0) {
    const warmup = await autocannon(options(settings.warmup));
    check(scenario.name, 'warm-up', scenario.status, warmup);
    warmupRequests = warmup.requests.total;
    await server.drain();
  }

  const serverBefore = server.cpuSeconds();
  const machineBefore = machineCpuSeconds();
  const clientBefore = process.cpuUsage();
  const result = await autocannon(options(settings.duration));
  const clientUsage = process.cpuUsage(clientBefore);
  const machine = difference(machineCpuSeconds(), machineBefore);
  const serverSeconds = difference(server.cpuSeconds(), serverBefore);
  check(scenario.name, 'measured', scenario.status, result);
  await server.drain();

  const clientSeconds = (clientUsage.user + clientUsage.system) / 1e6;
  const perSecond = (seconds: number | null) => (seconds === null ? null : Math.max(0, seconds) / result.duration);
  return {
    name: scenario.name,
    connections,
    requests: result.requests.total,
    warmupRequests,
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    serverCpu: perSecond(serverSeconds),
    clientCpu: clientSeconds / result.duration,
    otherCpu: perSecond(machine === null || serverSeconds === null ? null : machine - serverSeconds - clientSeconds),
  };
}
