// Figure 4: three replicas of the real app (`node --import tsx src/main.ts`, HTTP mode, each on its own port) on
// one fresh PostgreSQL database, with an every-second digest. Each fire must be posted by exactly one replica:
// top-level digest posts ÷ rows in schedule_leases (one row per fire a replica took) must be exactly 1.
// Set up as test/e2e/replicas.e2e.test.ts does; the sandbox Whop and the fake Slack live in the bench process.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { demoAccount } from '../src/sandbox';
import { childEnv } from '../test/support/child-env';
import type { FakeSlack } from '../test/support/fake-slack';
import { freePort } from '../test/support/free-port';
import { postgresProblem, queryOnce, type Skipped, shownUrl, withFreshDatabase } from './postgres';
import { BOT_TOKEN, SIGNING_SECRET, startFakes, WHOP_KEY } from './setup';

export const REPLICAS = 3;
/** How long all three run together before SIGTERM. */
export const REPLICA_RUN_MS = 10_000;
/** Whop and Slack answer after these, so a digest run takes a few round trips, not microseconds. */
export const REPLICA_WHOP_LATENCY_MS = 50;
export const REPLICA_SLACK_LATENCY_MS = 20;
const CHANNEL = 'C0REPLICA';
const SCHEDULE = '* * * * * *';
/**
 * BENCH_REPLICAS_STOP_AT_MS=<0–999>: send SIGTERM that many ms past a whole second (the fires are on whole
 * seconds), to stop the replicas in the middle of a fire instead of wherever the 10 s end.
 */
const STOP_AT_MS = process.env.BENCH_REPLICAS_STOP_AT_MS ? Number(process.env.BENCH_REPLICAS_STOP_AT_MS) % 1000 : undefined;
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface ReplicasResult {
  replicas: number;
  schedule: string;
  databaseUrl: string;
  whopLatencyMs: number;
  slackLatencyMs: number;
  /** From spawning the three to all three answering /healthz. */
  startMs: number;
  /** All three up, before SIGTERM. */
  runMs: number;
  /** SIGTERM to the last exit. */
  stopMs: number;
  /** When SIGTERM went out, in ms past the whole second: a fire taken in the last few ms may be cut short. */
  sigtermPastSecondMs: number;
  exitCodes: Array<number | null>;
  /** Rows in schedule_leases: fires some replica took. */
  fires: number;
  /** Top-level chat.postMessage calls Slack accepted in the digest channel. */
  posts: number;
  postsPerFire: number;
  /** Whole seconds from the first fire taken to the last, both included: the fires there are if none was skipped. */
  secondsSpanned: number;
  /** Fires taken by each replica, most first: the work is shared, not all on one. */
  firesByReplica: number[];
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const digestPosts = (slack: FakeSlack) => slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === CHANNEL && !c.args.thread_ts);

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function waitHealthy(port: number, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (exited(child)) throw new Error(`replica on port ${port} exited (${child.exitCode ?? child.signalCode}) before answering /healthz`);
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`replica on port ${port} did not answer /healthz within ${START_TIMEOUT_MS} ms`);
    await sleep(100);
  }
}

export async function replicas(log: (line: string) => void, baseUrl: string): Promise<ReplicasResult | Skipped> {
  const problem = await postgresProblem(baseUrl);
  if (problem) {
    log(`  SKIPPED: PostgreSQL at ${shownUrl(baseUrl)} cannot be used (${problem}); set DATABASE_URL to one that can`);
    return { skipped: true, reason: `PostgreSQL unreachable at ${shownUrl(baseUrl)}: ${problem}` };
  }
  return withFreshDatabase(baseUrl, async (databaseUrl) => {
    const fakes = await startFakes(demoAccount());
    const { sandbox, slack } = fakes;
    sandbox.faults.latencyMs = REPLICA_WHOP_LATENCY_MS;
    slack.latencyMs = REPLICA_SLACK_LATENCY_MS;
    const dir = mkdtempSync(join(tmpdir(), 'ads-bot-bench-replicas-'));
    const configPath = join(dir, 'ads-bot.yml');
    writeFileSync(configPath, `timezone: UTC\ndigests:\n  - channel: ${CHANNEL}\n    schedule: "${SCHEDULE}"\n    window: yesterday\n`);
    const env = childEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      WHOP_API_KEY: WHOP_KEY,
      WHOP_BASE_URL: sandbox.url,
      DATABASE_URL: databaseUrl,
      ADS_BOT_CONFIG: configPath,
      ADS_BOT_DB: join(dir, 'unused.sqlite'),
      LOG_LEVEL: 'error',
    });
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const children: ChildProcess[] = [];
    try {
      const spawned = performance.now();
      const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
      for (const port of ports) {
        children.push(
          spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
            cwd: repoRoot,
            env: { ...env, PORT: String(port) },
            stdio: ['ignore', 'ignore', 'inherit'],
          }),
        );
      }
      const deadline = Date.now() + START_TIMEOUT_MS;
      await Promise.all(ports.map((port, i) => waitHealthy(port, children[i]!, deadline)));
      const startMs = performance.now() - spawned;

      const running = performance.now();
      await sleep(REPLICA_RUN_MS);
      if (STOP_AT_MS !== undefined && Number.isFinite(STOP_AT_MS)) await sleep((1000 + STOP_AT_MS - (Date.now() % 1000)) % 1000);
      const runMs = performance.now() - running;

      const stopping = performance.now();
      const sigtermPastSecondMs = Date.now() % 1000;
      for (const child of children) child.kill('SIGTERM');
      const stoppedInTime = await Promise.all(children.map((child) => waitForExit(child, STOP_TIMEOUT_MS)));
      const stopMs = performance.now() - stopping;
      if (stoppedInTime.includes(false)) log(`  a replica did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM; killed`);
      const exitCodes = children.map((c) => c.exitCode);

      const leases = await queryOnce<{ key: string; holder: string }>(databaseUrl, 'SELECT key, holder FROM schedule_leases ORDER BY key');
      const fires = leases.length;
      const posts = digestPosts(slack).length;
      const times = leases.map((l) => Date.parse(l.key.slice(l.key.indexOf(':') + 1))).filter(Number.isFinite);
      const secondsSpanned = times.length === 0 ? 0 : Math.round((Math.max(...times) - Math.min(...times)) / 1000) + 1;
      const byHolder = new Map<string, number>();
      for (const l of leases) byHolder.set(l.holder, (byHolder.get(l.holder) ?? 0) + 1);
      const firesByReplica = [...byHolder.values()].sort((a, b) => b - a);

      const result: ReplicasResult = {
        replicas: REPLICAS,
        schedule: SCHEDULE,
        databaseUrl: shownUrl(baseUrl),
        whopLatencyMs: REPLICA_WHOP_LATENCY_MS,
        slackLatencyMs: REPLICA_SLACK_LATENCY_MS,
        startMs,
        runMs,
        stopMs,
        sigtermPastSecondMs,
        exitCodes,
        fires,
        posts,
        postsPerFire: fires === 0 ? NaN : posts / fires,
        secondsSpanned,
        firesByReplica,
      };
      log(
        `  ${REPLICAS} replicas up in ${(startMs / 1000).toFixed(1)} s, ran ${(runMs / 1000).toFixed(1)} s, SIGTERM at +${sigtermPastSecondMs} ms past the second, stopped in ${stopMs.toFixed(0)} ms` +
          ` (exit codes ${exitCodes.join(', ')}): ${fires} fires over ${secondsSpanned} s, ${posts} digest posts` +
          ` (${result.postsPerFire.toFixed(2)} per fire); fires per replica ${firesByReplica.join('/')}`,
      );
      return result;
    } finally {
      for (const child of children) if (!exited(child)) child.kill('SIGKILL');
      await Promise.all(children.map((child) => waitForExit(child, 5_000)));
      await fakes.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
