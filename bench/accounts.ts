// Many accounts (--only=accounts): the real app (`src/main.ts`, one process, SQLite) serving 10 Whop accounts of
// 200 ad groups each, every account with a digest and an alert check, all on one schedule, against the same app
// serving one such account. Each side is one fire: from the scheduled second to the last job's finish as the
// app's own job log (job_runs) records it, the Whop requests it made, and the process's peak RSS.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { scaledAccount, startSandbox } from '../src/sandbox';
import { childEnv } from '../test/support/child-env';
import { startFakeSlack } from '../test/support/fake-slack';
import { freePort } from '../test/support/free-port';
import { BOT_TOKEN, FAKES_NICE, median, SIGNING_SECRET, setThreadsPriority, TIME_ZONE } from './setup';

export const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10);
/**
 * Three ads an ad group. The fake Whop works out every ad's hourly series on one core of the machine's two, beside
 * the app: at ten ads an ad group (the digest figure's ratio) it spent 50 s of CPU on ten accounts' first checks,
 * and the app's Whop requests timed out waiting for it, which measures the fake, not the bot.
 */
const SIZE = { adGroups: 200, ads: 600, issues: 50, campaigns: 10 };
export const ACCOUNTS_WHOP_LATENCY_MS = 50;
const SLACK_LATENCY_MS = 20;
/** Time for the app to start (tsx compiles it) before the one fire both sides are measured on. */
const FIRE_AFTER_MS = 25_000;
const RUN_TIMEOUT_MS = 180_000;
const ALERT_RULES = '{ new_issues: true, rejected: true, cost_per_result_above: 40, no_delivery_hours: 6, anomaly: {} }';

export interface AccountsSide {
  accounts: number;
  /** From the scheduled second to the last digest's finish, and the last alert check's. */
  digestsMs: number;
  alertsMs: number;
  /** Median of each job's own run, start to finish. */
  digestMedianMs: number;
  alertMedianMs: number;
  failed: number;
  /** Why the first failed job failed, in the app's words. */
  firstFailure: string | null;
  whopRequests: number;
  /** CPU time the app's process spent from the fire to the last job's finish (user + system). */
  appCpuMs: number;
  requestsPerAccount: number;
  peakRssMb: number;
}

export interface AccountsResult {
  size: typeof SIZE;
  latencyMs: number;
  one: AccountsSide;
  many: AccountsSide;
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

const nameOf = (i: number) => `client${i + 1}`;
const keyOf = (i: number) => `bench-key-${i + 1}`;

/** A cron expression for one second, FIRE_AFTER_MS from now on the real clock (node-cron fires on it). */
function oneFire(): { schedule: string; at: number } {
  const at = Math.ceil((Date.now() + FIRE_AFTER_MS) / 1000) * 1000;
  const fire = new Date(at);
  return { schedule: `${fire.getSeconds()} ${fire.getMinutes()} ${fire.getHours()} * * *`, at };
}

function settingsYaml(accounts: number, schedule: string): string {
  const lines = ['timezone: UTC', 'accounts:'];
  for (let i = 0; i < accounts; i++) lines.push(`  - { name: ${nameOf(i)}, company_id: biz_bench${i + 1}, api_key_env: CLIENT${i + 1}_WHOP_API_KEY }`);
  lines.push('digests:');
  for (let i = 0; i < accounts; i++) lines.push(`  - { account: ${nameOf(i)}, channel: C0DIGEST${i + 1}, schedule: "${schedule}", chart: spend_results }`);
  lines.push('alerts:');
  for (let i = 0; i < accounts; i++) lines.push(`  - { account: ${nameOf(i)}, channel: C0ALERTS${i + 1}, schedule: "${schedule}", rules: ${ALERT_RULES} }`);
  return `${lines.join('\n')}\n`;
}

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/** CPU time the process has used so far, user and system, from Linux's clock ticks (100 a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The process's peak resident set (VmHWM), as Linux keeps it. */
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return line ? Number(line.replace(/\D+/g, '')) / 1024 : NaN;
}

interface RunRow {
  job: string;
  started_at: string;
  finished_at: string;
  outcome: string;
  detail: string | null;
}

async function side(accounts: number): Promise<AccountsSide> {
  const keys = Array.from({ length: accounts }, (_, i) => ({
    apiKey: keyOf(i),
    account: { ...scaledAccount({ ...SIZE, seed: i + 1, reportingTimeZone: TIME_ZONE }), id: `biz_bench${i + 1}` },
  }));
  const sandbox = await startSandbox({ keys });
  sandbox.faults.latencyMs = ACCOUNTS_WHOP_LATENCY_MS;
  const slack = await startFakeSlack({ token: BOT_TOKEN });
  slack.latencyMs = SLACK_LATENCY_MS;
  const dir = mkdtempSync(join(tmpdir(), 'ads-bot-bench-accounts-'));
  const dbPath = join(dir, 'state.sqlite');
  const { schedule, at } = oneFire();
  writeFileSync(join(dir, 'ads-bot.yml'), settingsYaml(accounts, schedule));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repoRoot,
    env: childEnv({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.url,
      WHOP_BASE_URL: sandbox.url,
      ...Object.fromEntries(keys.map((k, i) => [`CLIENT${i + 1}_WHOP_API_KEY`, k.apiKey])),
      ADS_BOT_CONFIG: join(dir, 'ads-bot.yml'),
      ADS_BOT_DB: dbPath,
      PORT: String(port),
      LOG_LEVEL: 'error',
    }),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // As in the charts section: while the app works, the fakes (here, in this process) do not outrank it.
  const priority = getPriority();
  setThreadsPriority(FAKES_NICE);
  try {
    const jobs = accounts * 2;
    let rows: RunRow[] = [];
    let before = 0;
    let cpuBefore = 0;
    for (const deadline = at + RUN_TIMEOUT_MS; ; await sleep(200)) {
      if (exited(child)) throw new Error(`the app exited (${child.exitCode ?? child.signalCode}) before its jobs finished`);
      if (Date.now() < at) {
        before = sandbox.requests.length;
        cpuBefore = cpuMs(child.pid!);
      }
      if (Date.now() > deadline) throw new Error(`${rows.length} of ${jobs} jobs finished within ${RUN_TIMEOUT_MS} ms of the fire`);
      rows = readRuns(dbPath);
      if (rows.length >= jobs) break;
    }
    const whopRequests = sandbox.requests.length - before;
    const appCpuMs = cpuMs(child.pid!) - cpuBefore;
    const finish = (kind: string) => rows.filter((r) => r.job.includes(kind));
    const spanFromFire = (list: RunRow[]) => Math.max(...list.map((r) => Date.parse(r.finished_at))) - at;
    const own = (list: RunRow[]) => median(list.map((r) => Date.parse(r.finished_at) - Date.parse(r.started_at)));
    const digests = finish('digest');
    const alerts = finish('alerts:');
    return {
      accounts,
      digestsMs: spanFromFire(digests),
      alertsMs: spanFromFire(alerts),
      digestMedianMs: own(digests),
      alertMedianMs: own(alerts),
      failed: rows.filter((r) => r.outcome !== 'ok').length,
      firstFailure: rows.find((r) => r.outcome !== 'ok')?.detail ?? null,
      whopRequests,
      appCpuMs,
      requestsPerAccount: whopRequests / accounts,
      peakRssMb: peakRssMb(child.pid!),
    };
  } finally {
    setThreadsPriority(priority);
    child.kill('SIGTERM');
    await new Promise((resolve) => (exited(child) ? resolve(null) : child.once('exit', resolve)));
    await slack.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The app's own record of each job's last run; none before the app has made its tables. */
function readRuns(dbPath: string): RunRow[] {
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT job, started_at, finished_at, outcome, detail FROM job_runs').all() as RunRow[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

export async function accountsBench(log: (line: string) => void): Promise<AccountsResult> {
  const line = (s: AccountsSide) =>
    `  ${s.accounts} account${s.accounts === 1 ? '' : 's'}: digests done ${(s.digestsMs / 1000).toFixed(1)} s after the fire (each ${(s.digestMedianMs / 1000).toFixed(1)} s), alert checks ${(s.alertsMs / 1000).toFixed(1)} s (each ${(s.alertMedianMs / 1000).toFixed(1)} s), ${s.failed} failed${s.firstFailure ? ` (${s.firstFailure})` : ''}; ${s.whopRequests} Whop requests (${s.requestsPerAccount.toFixed(0)} per account); app CPU ${(s.appCpuMs / 1000).toFixed(1)} s; peak RSS ${s.peakRssMb.toFixed(0)} MB`;
  const one = await side(1);
  log(line(one));
  const many = await side(ACCOUNTS);
  log(line(many));
  return { size: SIZE, latencyMs: ACCOUNTS_WHOP_LATENCY_MS, one, many };
}
