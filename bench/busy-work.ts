// Inside the bench's app process (app-process.ts): the heavy work a big account's bot does on its own schedule, run
// back to back until told to stop, where the bot runs it: in its jobs thread (src/jobs/thread.ts), beside the bot
// whose acks are timed. The 2,000-ad-group digest with its chart (drawn and uploaded to the fake Slack), then an alert
// check over every ad group with its hourly history.
import { loadConfig } from '../src/config';
import { jobsThread } from '../src/jobs/thread';
import type { Logger } from '../src/logger';
import { sharedClock } from '../src/shared-clock';
import { openStore } from '../src/store';
import { TEAM } from '../test/support/test-workspace';
import { BOT_TOKEN, CHANNEL, freshDbPath, SIGNING_SECRET, TIME_ZONE, WHOP_KEY } from './setup';

const YAML = [
  `timezone: ${TIME_ZONE}`,
  'digests:',
  `  - { channel: ${CHANNEL}, schedule: "0 0 1 1 *", window: yesterday, top: 5, chart: spend_results }`,
  'alerts:',
  '  - channel: C0ALERTS',
  '    schedule: "0 0 1 1 *"',
  '    rules:',
  '      anomaly: { metrics: [spend, cost_per_result] }',
  '      pacing: { forecast: {} }',
].join('\n');
/** The jobs' names as scheduledJobs (src/jobs/scheduled-jobs.ts) gives them to the one account's first digest and check. */
const DIGEST_JOB = `digest-1-${CHANNEL}`;
const ALERT_JOB = 'alerts-1-C0ALERTS';

export interface BusyRounds {
  rounds: number;
  digestMs: number[];
  alertMs: number[];
}

export interface BusyWork {
  /** Resolves once the job under way has finished; no job starts until `resume`. The jobs thread stays up, idle. */
  pause(): Promise<void>;
  resume(): void;
  stop(): Promise<BusyRounds>;
}

/** Resolves once the first (cold) round is done; the jobs go on back to back, but for pauses, until `stop`. */
export async function startBusyWork(spec: { slackUrl: string; whopUrl: string; nowIso: string }, log: Logger): Promise<BusyWork> {
  const env = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: spec.slackUrl, WHOP_API_KEY: WHOP_KEY, ADS_BOT_DB: freshDbPath() };
  const config = loadConfig({ ...env, WHOP_BASE_URL: spec.whopUrl }, () => YAML);
  const store = await openStore({ sqlitePath: config.dbPath });
  const thread = jobsThread(
    {
      config,
      whop: { keys: [[config.accounts[0]!.name, WHOP_KEY]], baseURL: spec.whopUrl, timeoutMs: 120_000 },
      home: { teamId: TEAM.id, enterpriseId: null },
      workspaceUrl: null,
      clientOptions: { retryConfig: { retries: 0 } },
      clock: sharedClock(new Date(spec.nowIso)).buffer,
    },
    { log, store },
  );
  const done: BusyRounds = { rounds: 0, digestMs: [], alertMs: [] };
  let stopping = false;
  let warm: () => void = () => {};
  const warmed = new Promise<void>((resolve) => {
    warm = resolve;
  });
  // While paused, `gate` is set and the loop waits at it between two jobs; a pause resolves once the loop is there.
  let gate: { opened: Promise<void>; open(): void } | undefined;
  let waiting = false;
  const atGate: Array<() => void> = [];
  const reachGate = () => {
    for (const resolve of atGate.splice(0)) resolve();
  };
  const timed = async (job: string, into: number[]) => {
    if (gate && !stopping) {
      waiting = true;
      reachGate();
      await gate.opened;
      waiting = false;
    }
    if (stopping) return false;
    const started = performance.now();
    await thread.run(job, null);
    into.push(performance.now() - started);
    return true;
  };
  const loop = (async () => {
    // The first round reads the past weeks' hourly reports cold (tens of seconds, mostly waiting on the fake Whop):
    // not counted, so that the timed runs see rounds that work as the bot's every later check does.
    await thread.run(DIGEST_JOB, null);
    await thread.run(ALERT_JOB, null);
    warm();
    while ((await timed(DIGEST_JOB, done.digestMs)) && (await timed(ALERT_JOB, done.alertMs))) done.rounds++;
    reachGate();
  })();
  await Promise.race([warmed, loop]);
  return {
    pause: () => {
      if (!gate) {
        let open: () => void = () => {};
        const opened = new Promise<void>((resolve) => {
          open = resolve;
        });
        gate = { opened, open };
      }
      if (waiting) return Promise.resolve();
      return new Promise<void>((resolve) => atGate.push(resolve));
    },
    resume: () => {
      gate?.open();
      gate = undefined;
    },
    stop: async () => {
      stopping = true;
      gate?.open();
      await loop;
      await thread.stop();
      await store.close();
      return done;
    },
  };
}
