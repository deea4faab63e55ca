// Shared pieces of `npm run bench`: the fake Whop and Slack, a Slack app in its own process, messages with
// Pause buttons to click, signed requests, and small statistics helpers.
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { cpus, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { KnownBlock } from '@slack/types';
import { WebClient } from '@slack/web-api';
import { mention, toggleButton } from '../blocks/entity';
import { section } from '../blocks/kit';
import type { EntityRef } from '../src/model';
import { type SandboxAccount, type SandboxServer, startSandbox } from '../src/sandbox';
import { type FakeSlack, type StoredMessage, startFakeSlack } from '../test/support/fake-slack';
import { blockActionPayload, blockActionsBody, signSlackRequest, slashCommandBody } from '../test/support/slack-request';
import type { BusyRounds } from './busy-work';

export const SIGNING_SECRET = 'bench-signing-secret';
export const BOT_TOKEN = 'xoxb-bench';
export const WHOP_KEY = 'whop-bench-key';
export const USER = 'U0MARIA';
export const CHANNEL = 'C0DIGEST';
export const TIME_ZONE = 'America/New_York';

export interface Fakes {
  sandbox: SandboxServer;
  slack: FakeSlack;
  close(): Promise<void>;
}

/** The sandbox Whop and the fake Slack, both in this process, on 127.0.0.1. */
export async function startFakes(account: SandboxAccount): Promise<Fakes> {
  const sandbox = await startSandbox({ apiKey: WHOP_KEY, account });
  const slack = await startFakeSlack({ token: BOT_TOKEN });
  return {
    sandbox,
    slack,
    close: async () => {
      await slack.close();
      await sandbox.close();
    },
  };
}

/** The lowest priority: the fakes' while the app under test is measured. */
export const FAKES_NICE = 19;

/**
 * Every thread of a process of fakes (their event loop, and V8's and libuv's helpers that collect and read for them):
 * Whop and Slack answer from machines of their own, so while the app is measured their fakes must not outrank it.
 */
export function setThreadsPriority(nice: number, pid: number | 'self' = 'self'): void {
  for (const thread of readdirSync(`/proc/${pid}/task`)) setPriority(Number(thread), nice);
}

export const slackClient = (fake: FakeSlack) => new WebClient(BOT_TOKEN, { slackApiUrl: fake.url, retryConfig: { retries: 0 } });

// ── A Slack app in a child process ────────────────────────────────────────────────────────────────────────────
// The app runs alone in its own process, so its event loop is not shared with the load generator or with the
// fake Whop and Slack (which answer thousands of calls): the ack latency measured is the app's, not theirs.

export type AppMode = 'ours' | 'bare';

export interface AppSpec {
  mode: AppMode;
  slackUrl: string;
  whopUrl: string;
  /** Set: the bot keeps its state in this PostgreSQL database (DATABASE_URL); unset: a fresh SQLite file. */
  databaseUrl?: string;
  /** Set (ours only): the app can run the big digest and an alert check back to back at this clock (busy-work.ts). */
  busyNowIso?: string;
}

/** What the child reports about itself: event-loop delay (ms) since the last mark, CPU time and memory. */
export interface AppStats {
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcTotalMs: number;
  gcMaxPauseMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  rssMb: number;
  heapUsedMb: number;
  /** On PostgreSQL: the store's queries since the last mark, by kind (claim, advisoryLock, …), as the app timed them. */
  queries?: Record<string, { count: number; medianMs: number; totalMs: number }>;
}

export interface AppProcess {
  url: string;
  /** Starts a fresh measurement window for the child's own stats. */
  mark(): Promise<void>;
  stats(): Promise<AppStats>;
  /**
   * The heavy work of busy-work.ts, from start until stop, but for pauses (each resolved once the job under way has
   * finished); stop answers how many rounds ran and how long each job took.
   */
  busy: { start(fakes: { whopUrl: string; slackUrl: string }): Promise<void>; pause(): Promise<void>; resume(): Promise<void>; stop(): Promise<BusyRounds> };
  stop(): Promise<void>;
}

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

type ChildMessage = { type: string; [key: string]: unknown };

/** Sends a request to a forked child and waits for its answer of the given type. */
export function ask<T extends ChildMessage>(child: ChildProcess, message: object, answer: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`child did not answer ${answer} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: ChildMessage) => {
      if (m.type === answer) done(undefined, m as T);
      else if (m.type === 'error') done(new Error(String(m.message)));
    };
    const onExit = (code: number | null) => done(new Error(`child exited (${code}) before answering ${answer}`));
    const done = (error?: Error, value?: T) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    if (Object.keys(message).length > 0) child.send(message);
  });
}

/** Forks a bench/*.ts module under tsx; BENCH_CPU_PROF=<dir> writes a V8 CPU profile of it on exit. */
export function forkTs(file: string, spec: object): ChildProcess {
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  return fork(here(file), [JSON.stringify(spec)], {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export async function startApp(spec: AppSpec): Promise<AppProcess> {
  const child = forkTs('./app-process.ts', spec);
  const ready = await ask<{ type: 'ready'; port: number }>(child, {}, 'ready', 60_000);
  return {
    url: `http://127.0.0.1:${ready.port}/slack/events`,
    mark: async () => void (await ask(child, { type: 'mark' }, 'marked')),
    stats: async () => (await ask<{ type: 'stats'; stats: AppStats }>(child, { type: 'stats' }, 'stats')).stats,
    busy: {
      start: async (fakes) => void (await ask(child, { type: 'busy-start', ...fakes }, 'busy-started')),
      pause: async () => void (await ask(child, { type: 'busy-pause' }, 'busy-paused', 600_000)),
      resume: async () => void (await ask(child, { type: 'busy-resume' }, 'busy-resumed')),
      stop: async () => (await ask<{ type: 'busy-stopped'; rounds: BusyRounds }>(child, { type: 'busy-stop' }, 'busy-stopped', 600_000)).rounds,
    },
    stop: async () => {
      await ask(child, { type: 'stop' }, 'stopped', 180_000);
      if (child.exitCode === null) await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** A fresh SQLite path per bot, so no run inherits another's handled clicks. */
export const freshDbPath = () => join(mkdtempSync(join(tmpdir(), 'ads-bot-bench-')), 'state.sqlite');

// ── Messages with buttons, and the requests Slack sends for them ─────────────────────────────────────────────

export interface ClickTarget {
  message: StoredMessage;
  entity: EntityRef & { kind: 'ad' | 'ad_group' };
  blockId: string;
}

/**
 * Posts messages of `perMessage` rows, each row an item with its Pause button, built with the bot's own
 * blocks (the same row a digest shows), and returns one click target per item.
 */
export async function postRows(fake: FakeSlack, entities: ReadonlyArray<EntityRef & { kind: 'ad' | 'ad_group' }>, perMessage = 10): Promise<ClickTarget[]> {
  const client = slackClient(fake);
  const targets: ClickTarget[] = [];
  for (let start = 0; start < entities.length; start += perMessage) {
    const chunk = entities.slice(start, start + perMessage);
    const blocks: KnownBlock[] = [section('*Ads to watch*'), ...chunk.map((e) => section(mention(e), toggleButton(e)))];
    const posted = await client.chat.postMessage({ channel: CHANNEL, text: 'Ads to watch', blocks });
    const message = fake.messages(CHANNEL).find((m) => m.ts === posted.ts)!;
    chunk.forEach((entity, i) => targets.push({ message, entity, blockId: (message.blocks[i + 1] as { block_id: string }).block_id }));
  }
  return targets;
}

let actionSequence = 0;

/** The body Slack sends for a click on a target's Pause button; each has its own action_ts, as real clicks do. */
export function clickBody(fake: FakeSlack, target: ClickTarget): string {
  const { message, entity } = target;
  const payload = blockActionPayload({
    user: USER,
    channel: CHANNEL,
    message: { ts: message.ts, text: message.text, blocks: message.blocks },
    action: { action_id: `${entity.kind}.pause`, block_id: target.blockId, value: entity.id },
    response_url: fake.responseUrl(),
  });
  // Distinct even for clicks within the same microsecond: the click ledger keys on action_ts.
  const actions = payload.actions as Array<{ action_ts: string }>;
  actions[0]!.action_ts = `${(Date.now() / 1000).toFixed(0)}.${String(++actionSequence).padStart(6, '0')}`;
  return blockActionsBody(payload);
}

/** `/adgroup adgrp_…` as Slack sends it, answered through its own response_url on the fake Slack. */
export function commandBody(fake: FakeSlack, adGroupId: string): string {
  return slashCommandBody({ command: '/adgroup', text: adGroupId, user_id: USER, channel_id: CHANNEL, response_url: fake.responseUrl() });
}

/** Signs like Slack does, with the current timestamp. */
export const signedHeaders = (body: string) => ({ ...signSlackRequest(SIGNING_SECRET, body) });

export async function postSigned(url: string, body: string): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers: signedHeaders(body), body });
  await res.text();
  return res.status;
}

// ── Waiting and statistics ───────────────────────────────────────────────────────────────────────────────────

/** Polls until `done()` holds or the time is up; returns the time waited, or null on time-out. */
export async function until(done: () => boolean, timeoutMs: number, everyMs = 20): Promise<number | null> {
  const started = performance.now();
  while (!done()) {
    if (performance.now() - started > timeoutMs) return null;
    await sleep(everyMs);
  }
  return performance.now() - started;
}

/** Nearest-rank percentile (q in 0..1) of unsorted samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (samples: readonly number[]) => percentile(samples, 0.5);

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

export function machineInfo() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
  };
}
