// Figure 3: from a Pause click leaving Slack to the message showing "Paused by …", against the round trips the
// flow cannot avoid making one after another: read the ad group (is it already paused?), pause it, chat.update.
// Whop and Slack each answer after a fixed delay, so the floor is mostly that delay three times.
// Figure 5 (clickByStore) is the same measurement with the app's state in PostgreSQL against SQLite.
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EntityRef } from '../src/model';
import { DEFAULT_ACCOUNT } from '../src/model';
import { scaledAccount } from '../src/sandbox';
import { openStore } from '../src/store';
import { createWhopClient } from '../src/whop/gateway';
import type { FakeSlack, RecordedCall } from '../test/support/fake-slack';
import { postToSlackEvents } from '../test/support/slack-request';
import { postgresProblem, type Skipped, shownUrl, withFreshDatabase } from './postgres';
import {
  type AppProcess,
  type AppStats,
  CHANNEL,
  type ClickTarget,
  clickBody,
  type Fakes,
  freshDbPath,
  median,
  percentile,
  postRows,
  SIGNING_SECRET,
  slackClient,
  startApp,
  startFakes,
  USER,
  WHOP_KEY,
} from './setup';

export const CLICK_WHOP_LATENCY_MS = 20;
export const CLICK_SLACK_LATENCY_MS = 20;
const CLICKS = 30;
const WARMUP_CLICKS = 3;
const FLOOR_REPS = 10;
/** Calls per store operation when timing the stores alone (after STORE_WARMUP untimed ones). */
const STORE_REPS = 30;
const STORE_WARMUP = 3;

/** Where the app under test keeps its state: a fresh SQLite file, or a PostgreSQL database (DATABASE_URL). */
export type ClickStore = { kind: 'sqlite' } | { kind: 'postgres'; databaseUrl: string };

/** The clicks timed against one app. */
export interface ClickSamples {
  store: ClickStore['kind'];
  clicks: number;
  samplesMs: number[];
  medianMs: number;
  p90Ms: number;
  /** The click's own HTTP answer (the ack), median: part of the measured time. */
  ackMedianMs: number;
  /** CPU time (user + system) the app's process spent per timed click, from its own process.cpuUsage(). */
  appCpuMsPerClick: number;
  /** PostgreSQL only: the store's queries during the timed clicks, as the app itself timed them, by kind. */
  appQueries?: AppStats['queries'];
  /** PostgreSQL only: claim + advisory lock + audit waits per click, as the app timed them (the unlock is off the path). */
  appDbOnPathMsPerClick?: number;
}

export interface ClickResult extends ClickSamples {
  whopLatencyMs: number;
  slackLatencyMs: number;
  floor: { retrieveMs: number; pauseMs: number; chatUpdateMs: number; totalMs: number };
}

/** The store calls a Pause click makes, each timed alone from the bench process (medians, ms). */
export interface StoreOps {
  /** clicks.claim: one INSERT … ON CONFLICT DO NOTHING. */
  claimMs: number;
  /** locks.run, from the call to the task starting: in-process queue, then (PostgreSQL) a lock-pool connection and pg_advisory_lock. */
  lockAcquireMs: number;
  /** The first locks.run on a fresh store: for PostgreSQL it opens the lock pool's connection. */
  lockAcquireColdMs: number;
  /** locks.run, from the task ending to the call resolving (pg_advisory_unlock); after the thread reply, off the timed path. */
  lockReleaseMs: number;
  /** audit.record of the outcome: one INSERT. */
  auditMs: number;
  /** claim + lock acquire + audit: the store work between the click arriving and its chat.update. */
  onPathMs: number;
}

export interface ClickByStoreResult {
  whopLatencyMs: number;
  slackLatencyMs: number;
  databaseUrl: string;
  sqlite: ClickSamples;
  postgres: ClickSamples;
  /** PostgreSQL median − SQLite median. */
  medianDifferenceMs: number;
  storeOps: { sqlite: StoreOps; postgres: StoreOps };
}

/** True for the chat.update that shows this item paused: its row now carries the Unpause button. */
const showsPaused = (call: RecordedCall, ts: string, id: string) =>
  call.method === 'chat.update' && call.args.ts === ts && JSON.stringify(call.args.blocks).includes(`"action_id":"ad_group.unpause","value":"${id}"`);

async function timeEach(reps: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return times;
}

// ── The world the clicks happen in ───────────────────────────────────────────────────────────────────────────

type ActiveGroup = EntityRef & { kind: 'ad_group' };

interface ClickWorld {
  fakes: Fakes;
  /** Hands out active ad groups never handed out before: each click, and each timed pause, has its own. */
  take(count: number): ActiveGroup[];
  close(): Promise<void>;
}

async function clickWorld(): Promise<ClickWorld> {
  const now = new Date(); // fixed, so the sandbox memoises its stats
  const account = scaledAccount({ adGroups: 200, ads: 400, issues: 0, now: () => now });
  const fakes = await startFakes(account);
  const active = account.adGroups.filter((g) => g.status === 'active').map((g): ActiveGroup => ({ kind: 'ad_group', id: g.id, title: g.title, status: g.status }));
  let next = 0;
  return {
    fakes,
    take: (count) => {
      if (next + count > active.length) throw new Error(`the bench account has only ${active.length} active ad groups`);
      next += count;
      return active.slice(next - count, next);
    },
    close: () => fakes.close(),
  };
}

/** Whop and Slack answer after the fixed delays; call once the messages to click are posted. */
function slowDown(fakes: Fakes): void {
  fakes.sandbox.faults.latencyMs = CLICK_WHOP_LATENCY_MS;
  fakes.slack.latencyMs = CLICK_SLACK_LATENCY_MS;
}

const storeSpec = (store: ClickStore) => (store.kind === 'postgres' ? { databaseUrl: store.databaseUrl } : {});

// ── The measurement ──────────────────────────────────────────────────────────────────────────────────────────

/**
 * One click, waited for to the end: signed click sent → fake Slack records the chat.update showing the item
 * paused; then the thread reply, so the next click never queues behind this one's work.
 */
async function clickOnce(slack: FakeSlack, app: AppProcess, target: ClickTarget): Promise<{ ms: number; ackMs: number }> {
  const { ts } = target.message;
  const { id } = target.entity;
  const body = clickBody(slack, target); // the message as it looks now, earlier clicks' rows included
  let updatedAt = 0;
  const updated = slack.waitFor((c) => showsPaused(c, ts, id), 10_000).then(() => (updatedAt = performance.now()));
  const started = performance.now();
  const ack = await postToSlackEvents(app.url, SIGNING_SECRET, body);
  if (ack.status !== 200) throw new Error(`click answered ${ack.status}`);
  await updated;
  await slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts && String(c.args.text).includes(id), 10_000);
  return { ms: updatedAt - started, ackMs: ack.ms };
}

/**
 * WARMUP_CLICKS + CLICKS clicks on each app, one at a time, taking turns between the apps when there are
 * several: whatever the machine does meanwhile falls on all of them alike. Each app gets its own ad groups.
 */
async function timeClicks(world: ClickWorld, apps: Array<{ store: ClickStore; app: AppProcess }>): Promise<ClickSamples[]> {
  const { slack } = world.fakes;
  const perApp: ClickTarget[][] = [];
  for (const _ of apps) perApp.push(await postRows(slack, world.take(WARMUP_CLICKS + CLICKS)));
  slowDown(world.fakes);
  const samples = apps.map(() => ({ ms: [] as number[], acks: [] as number[] }));
  for (let i = 0; i < WARMUP_CLICKS + CLICKS; i++) {
    if (i === WARMUP_CLICKS) for (const { app } of apps) await app.mark();
    for (const [a, { app }] of apps.entries()) {
      const timed = await clickOnce(slack, app, perApp[a]![i]!);
      if (i < WARMUP_CLICKS) continue;
      samples[a]!.ms.push(timed.ms);
      samples[a]!.acks.push(timed.ackMs);
    }
  }
  const cpu: AppStats[] = [];
  for (const { app } of apps) cpu.push(await app.stats());
  return apps.map(({ store }, a) => ({
    store: store.kind,
    clicks: samples[a]!.ms.length,
    samplesMs: samples[a]!.ms,
    medianMs: median(samples[a]!.ms),
    p90Ms: percentile(samples[a]!.ms, 0.9),
    ackMedianMs: median(samples[a]!.acks),
    appCpuMsPerClick: (cpu[a]!.cpuUserMs + cpu[a]!.cpuSystemMs) / samples[a]!.ms.length,
    ...(cpu[a]!.queries
      ? {
          appQueries: cpu[a]!.queries,
          appDbOnPathMsPerClick: ['claim', 'advisoryLock', 'audit'].reduce((sum, kind) => sum + (cpu[a]!.queries![kind]?.totalMs ?? 0), 0) / samples[a]!.ms.length,
        }
      : {}),
  }));
}

/** Starts one app per store (the real bot, each in its own process), times the clicks, stops the apps. */
async function clicksOn(world: ClickWorld, stores: ClickStore[]): Promise<ClickSamples[]> {
  const { sandbox, slack } = world.fakes;
  const apps: Array<{ store: ClickStore; app: AppProcess }> = [];
  try {
    for (const store of stores) apps.push({ store, app: await startApp({ mode: 'ours', slackUrl: slack.url, whopUrl: sandbox.url, ...storeSpec(store) }) });
    return await timeClicks(world, apps);
  } finally {
    for (const { app } of apps) await app.stop();
  }
}

const fmt = (ms: number) => ms.toFixed(1);

export async function clickToUpdate(log: (line: string) => void, store: ClickStore = { kind: 'sqlite' }): Promise<ClickResult> {
  const world = await clickWorld();
  try {
    const [samples] = await clicksOn(world, [store]);

    // The floor: each round trip alone, from the same kind of client the bot uses, against the same servers.
    const { sandbox, slack } = world.fakes;
    const forRetrieve = world.take(FLOOR_REPS + 1);
    const forPause = world.take(FLOOR_REPS);
    sandbox.faults.latencyMs = 0;
    slack.latencyMs = 0;
    const [floorRow] = await postRows(slack, world.take(10));
    slowDown(world.fakes);
    const whop = createWhopClient({ apiKey: WHOP_KEY, baseURL: sandbox.url });
    const web = slackClient(slack);
    const message = floorRow!.message;
    await whop.adGroups.retrieve(forRetrieve[FLOOR_REPS]!.id, {}); // warm the connection, as the bot's is
    const retrieve = await timeEach(FLOOR_REPS, (i) => whop.adGroups.retrieve(forRetrieve[i]!.id, {}));
    const pause = await timeEach(FLOOR_REPS, (i) => whop.adGroups.pause(forPause[i]!.id, { 'Idempotency-Key': randomUUID() }));
    const update = await timeEach(FLOOR_REPS, () => web.chat.update({ channel: CHANNEL, ts: message.ts, text: message.text, blocks: message.blocks as never }));
    const floor = { retrieveMs: median(retrieve), pauseMs: median(pause), chatUpdateMs: median(update), totalMs: 0 };
    floor.totalMs = floor.retrieveMs + floor.pauseMs + floor.chatUpdateMs;

    const result: ClickResult = { ...samples!, whopLatencyMs: CLICK_WHOP_LATENCY_MS, slackLatencyMs: CLICK_SLACK_LATENCY_MS, floor };
    log(
      `  click → chat.update (${result.store}): median ${fmt(result.medianMs)} ms, p90 ${fmt(result.p90Ms)} ms; floor ${fmt(floor.totalMs)} ms` +
        ` (GET ${fmt(floor.retrieveMs)} + pause ${fmt(floor.pauseMs)} + chat.update ${fmt(floor.chatUpdateMs)})`,
    );
    return result;
  } finally {
    await world.close();
  }
}

// ── PostgreSQL against SQLite ────────────────────────────────────────────────────────────────────────────────

/**
 * The store calls of one Pause click, each timed alone from the bench process through the bot's own store code
 * (src/store) on a store of the given kind: the part of the click's time that depends on the store.
 */
async function timeStoreOps(store: ClickStore): Promise<StoreOps> {
  const sqlitePath = freshDbPath();
  const opened = await openStore({ databaseUrl: store.kind === 'postgres' ? store.databaseUrl : undefined, sqlitePath });
  try {
    const acquire: number[] = [];
    const release: number[] = [];
    const lockOnce = async (key: string) => {
      const called = performance.now();
      let started = 0;
      let ended = 0;
      await opened.locks.run(key, async () => {
        started = performance.now();
        ended = performance.now();
      });
      return { acquireMs: started - called, releaseMs: performance.now() - ended };
    };
    const lockAcquireColdMs = (await lockOnce(`adgrp_cold${randomUUID().slice(0, 8)}`)).acquireMs;
    const entry = (i: number) => ({
      at: new Date(),
      userId: USER,
      action: 'ad_group.pause',
      entityKind: 'ad_group',
      entityId: `adgrp_bench${i}`,
      entityTitle: `Ad group ${i}`,
      before: 'active',
      after: 'paused',
      channel: CHANNEL,
      messageTs: '1700000000.000100',
      outcome: 'done' as const,
      reason: null,
      detail: null,
    });
    const claim = await timeEach(STORE_WARMUP + STORE_REPS, () => opened.clicks.claim(randomUUID(), new Date()));
    for (let i = 0; i < STORE_WARMUP + STORE_REPS; i++) {
      const timed = await lockOnce(`adgrp_bench${i}`);
      acquire.push(timed.acquireMs);
      release.push(timed.releaseMs);
    }
    const audit = await timeEach(STORE_WARMUP + STORE_REPS, (i) => opened.forAccount(DEFAULT_ACCOUNT).audit.record(entry(i)));
    const warm = (samples: number[]) => median(samples.slice(STORE_WARMUP));
    const ops = {
      claimMs: warm(claim),
      lockAcquireMs: warm(acquire),
      lockAcquireColdMs,
      lockReleaseMs: warm(release),
      auditMs: warm(audit),
      onPathMs: 0,
    };
    ops.onPathMs = ops.claimMs + ops.lockAcquireMs + ops.auditMs;
    return ops;
  } finally {
    await opened.close();
    rmSync(dirname(sqlitePath), { recursive: true, force: true });
  }
}

const fmtOps = (o: StoreOps) =>
  `claim ${o.claimMs.toFixed(2)} + lock ${o.lockAcquireMs.toFixed(2)} + audit ${o.auditMs.toFixed(2)} = ${o.onPathMs.toFixed(2)} ms` +
  ` (unlock ${o.lockReleaseMs.toFixed(2)} ms off the path; first lock ${o.lockAcquireColdMs.toFixed(2)} ms)`;

/**
 * The click measurement twice side by side, clicks taking turns: one app on a fresh SQLite file, one with
 * DATABASE_URL on a fresh PostgreSQL database. Then the store calls a click makes, timed alone on each store,
 * to tell what the difference is made of.
 */
export async function clickByStore(log: (line: string) => void, baseUrl: string): Promise<ClickByStoreResult | Skipped> {
  const problem = await postgresProblem(baseUrl);
  if (problem) {
    log(`  SKIPPED: PostgreSQL at ${shownUrl(baseUrl)} cannot be used (${problem}); set DATABASE_URL to one that can`);
    return { skipped: true, reason: `PostgreSQL unreachable at ${shownUrl(baseUrl)}: ${problem}` };
  }
  const [sqlite, postgres] = await withFreshDatabase(baseUrl, async (databaseUrl) => {
    const world = await clickWorld();
    try {
      return await clicksOn(world, [{ kind: 'sqlite' }, { kind: 'postgres', databaseUrl }]);
    } finally {
      await world.close();
    }
  });
  const storeOps = {
    sqlite: await timeStoreOps({ kind: 'sqlite' }),
    postgres: await withFreshDatabase(baseUrl, (databaseUrl) => timeStoreOps({ kind: 'postgres', databaseUrl })),
  };
  const result: ClickByStoreResult = {
    whopLatencyMs: CLICK_WHOP_LATENCY_MS,
    slackLatencyMs: CLICK_SLACK_LATENCY_MS,
    databaseUrl: shownUrl(baseUrl),
    sqlite: sqlite!,
    postgres: postgres!,
    medianDifferenceMs: postgres!.medianMs - sqlite!.medianMs,
    storeOps,
  };
  log(
    `  click → chat.update: SQLite median ${fmt(sqlite!.medianMs)} ms, p90 ${fmt(sqlite!.p90Ms)} ms;` +
      ` PostgreSQL median ${fmt(postgres!.medianMs)} ms, p90 ${fmt(postgres!.p90Ms)} ms (${result.medianDifferenceMs >= 0 ? '+' : ''}${result.medianDifferenceMs.toFixed(2)} ms);` +
      ` app CPU per click ${sqlite!.appCpuMsPerClick.toFixed(2)} ms against ${postgres!.appCpuMsPerClick.toFixed(2)} ms`,
  );
  const q = postgres!.appQueries ?? {};
  const each = (kind: string) => `${kind} ${(q[kind]?.medianMs ?? NaN).toFixed(2)}`;
  log(
    `  PostgreSQL queries as the app timed them (medians, ms): ${['claim', 'advisoryLock', 'audit', 'advisoryUnlock'].map(each).join(', ')};` +
      ` on the path ${(postgres!.appDbOnPathMsPerClick ?? NaN).toFixed(2)} ms per click; ${Object.values(q).reduce((n, k) => n + k.count, 0)} queries in all`,
  );
  log(`  store calls per click timed alone, SQLite: ${fmtOps(storeOps.sqlite)}`);
  log(`  store calls per click timed alone, PostgreSQL: ${fmtOps(storeOps.postgres)}`);
  return result;
}
