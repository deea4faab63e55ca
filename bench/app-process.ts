// Child process: one Slack app on the HTTP receiver, driven by the bench over IPC.
//   ours: the real bot (startBot, config from loadConfig like test/e2e/harness.ts), logs silenced; state in a
//         fresh SQLite file, or in PostgreSQL when the spec names a database.
//   bare: a Bolt App with the same receiver, signing secret and fake Slack, whose listeners only ack():
//         the floor any Bolt app on this machine pays for a signed request.

import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { App, LogLevel } from '@slack/bolt';
import pg from 'pg';
import { startBot } from '../src/bot';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { BOT } from '../test/support/test-workspace';
import { startBusyWork } from './busy-work';
import { type AppSpec, type AppStats, BOT_TOKEN, freshDbPath, median, SIGNING_SECRET, TIME_ZONE, WHOP_KEY } from './setup';

const spec = JSON.parse(process.argv[2]!) as AppSpec;
const send = (message: object) => process.send!(message);

async function startOurs(): Promise<{ port: number; stop(): Promise<void> }> {
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: spec.slackUrl,
    WHOP_API_KEY: WHOP_KEY,
    WHOP_BASE_URL: spec.whopUrl,
    ADS_BOT_DB: freshDbPath(),
    ...(spec.databaseUrl ? { DATABASE_URL: spec.databaseUrl } : {}),
    LOG_LEVEL: 'silent',
  };
  const config = loadConfig(env, () => `timezone: ${TIME_ZONE}\n`);
  const bot = await startBot(config, {
    log: createLogger(config.logLevel),
    listen: { port: 0, host: '127.0.0.1' },
    // As the conventions say: no WebClient retries outside retry tests, so a refusal shows instead of waiting.
    clientOptions: { retryConfig: { retries: 0 } },
  });
  return { port: bot.port!, stop: () => bot.stop() };
}

async function startBare(): Promise<{ port: number; stop(): Promise<void> }> {
  const app = new App({
    token: BOT_TOKEN,
    botId: BOT.botId,
    botUserId: BOT.userId,
    tokenVerificationEnabled: false,
    signingSecret: SIGNING_SECRET,
    endpoints: '/slack/events',
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: spec.slackUrl, retryConfig: { retries: 0 } },
  });
  app.command(/.*/, async ({ ack }) => ack());
  app.action(/.*/, async ({ ack }) => ack());
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  return { port: (server.address() as AddressInfo).port, stop: async () => void (await app.stop()) };
}

// On PostgreSQL, every query the store makes is timed from this process (call → answer), by the statement it
// runs: what a click spends waiting on the database, as the app itself sees it.
let queries = new Map<string, number[]>();
const QUERY_KINDS: Array<[RegExp, string]> = [
  [/INSERT INTO clicks/, 'claim'],
  [/pg_advisory_lock\(/, 'advisoryLock'],
  [/pg_advisory_unlock\(/, 'advisoryUnlock'],
  [/INSERT INTO audit/, 'audit'],
];
if (spec.databaseUrl) {
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0];
    const text = typeof first === 'string' ? first : String((first as { text?: unknown } | undefined)?.text ?? '');
    const kind = QUERY_KINDS.find(([pattern]) => pattern.test(text))?.[1] ?? 'other';
    const started = performance.now();
    const note = () => queries.set(kind, [...(queries.get(kind) ?? []), performance.now() - started]);
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]) => {
        note();
        return (callback as (...r: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const answer = original.apply(this, args);
    if (answer instanceof Promise) void answer.then(note, note);
    return answer;
  };
}

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let cpuMark = process.cpuUsage();
// Garbage-collection pauses stop the event loop too: kept apart to tell them from long synchronous work.
let gc = { totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gc = { totalMs: gc.totalMs + entry.duration, maxMs: Math.max(gc.maxMs, entry.duration) };
}).observe({ entryTypes: ['gc'] });

function stats(): AppStats {
  const cpu = process.cpuUsage(cpuMark);
  const memory = process.memoryUsage();
  return {
    loopDelayP50Ms: loop.percentile(50) / 1e6,
    loopDelayP99Ms: loop.percentile(99) / 1e6,
    loopDelayMaxMs: loop.max / 1e6,
    gcTotalMs: gc.totalMs,
    gcMaxPauseMs: gc.maxMs,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    rssMb: memory.rss / 2 ** 20,
    heapUsedMb: memory.heapUsed / 2 ** 20,
    ...(spec.databaseUrl
      ? { queries: Object.fromEntries([...queries].map(([kind, ms]) => [kind, { count: ms.length, medianMs: median(ms), totalMs: ms.reduce((a, b) => a + b, 0) }])) }
      : {}),
  };
}

let busy: ReturnType<typeof startBusyWork> | undefined;
try {
  const app = spec.mode === 'ours' ? await startOurs() : await startBare();
  process.on('message', (message: { type: string; whopUrl?: string; slackUrl?: string }) => {
    if (message.type === 'mark') {
      loop.reset();
      cpuMark = process.cpuUsage();
      gc = { totalMs: 0, maxMs: 0 };
      queries = new Map();
      send({ type: 'marked' });
    } else if (message.type === 'busy-start' && spec.busyNowIso && message.whopUrl && message.slackUrl) {
      busy = startBusyWork({ slackUrl: message.slackUrl, whopUrl: message.whopUrl, nowIso: spec.busyNowIso }, createLogger('silent'));
      void busy.then(() => send({ type: 'busy-started' }));
    } else if (message.type === 'busy-pause' && busy) {
      void busy.then(async (work) => {
        await work.pause();
        send({ type: 'busy-paused' });
      });
    } else if (message.type === 'busy-resume' && busy) {
      void busy.then((work) => {
        work.resume();
        send({ type: 'busy-resumed' });
      });
    } else if (message.type === 'busy-stop' && busy) {
      void busy.then(
        async (work) => send({ type: 'busy-stopped', rounds: await work.stop() }),
        (error: unknown) => send({ type: 'error', message: String(error) }),
      );
      busy = undefined;
    } else if (message.type === 'stats') {
      send({ type: 'stats', stats: stats() });
    } else if (message.type === 'stop') {
      // bot.stop() waits for acknowledged clicks to finish their Whop calls and message updates.
      void app.stop().then(
        // Exit explicitly: idle keep-alive sockets must not keep the child (and the bench) waiting.
        () => process.send!({ type: 'stopped' }, () => process.exit(0)),
        (error: unknown) => send({ type: 'error', message: String(error) }),
      );
    }
  });
  send({ type: 'ready', port: app.port });
} catch (error) {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
}
