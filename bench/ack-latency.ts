// Figure 1: how long Slack waits for the bot's ack, under load, against a Bolt app that only acks.
//
// Three processes: the app (ours or bare), the load generator (autocannon), and this one with the fake Whop and
// Slack. Both apps get the same signed requests: `/adgroup adgrp_…` (ack at once, the card follows through
// response_url) and Pause clicks on rows of posted messages (every click on a different active ad group, with its
// own action_ts, so each one really pauses something). Ours then does the real work after each ack (Whop calls
// answered after 200 ms, SQLite writes, chat.update, a thread reply); the bare app does nothing. That work
// competing with new acks for the app's event loop is what the ratio shows.
import type { ChildProcess } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { EntityRef } from '../src/model';
import { scaledAccount } from '../src/sandbox';
import type { LatencySummary } from './load-child';
import { type AppMode, type AppStats, ask, type ClickTarget, clickBody, commandBody, type Fakes, forkTs, postRows, startApp, startFakes, until } from './setup';

export const WHOP_LATENCY_MS = 200;
const KINDS = ['command', 'click'] as const;
/** Requests per measured run; BENCH_ACK_REQUESTS lowers it for a quick look. */
const REQUESTS = Number(process.env.BENCH_ACK_REQUESTS ?? 2000);
const WARMUP = Math.min(200, REQUESTS);
/**
 * Closed loop (autocannon: each connection sends its next request as soon as the last is acked) at 50 and 200
 * connections: as fast as the app acks, so ours, which also does each request's work, runs at full CPU. Then a
 * paced case, evenly spaced requests at a rate ours keeps up with, to tell the cost of acking next to the work
 * from the cost of a saturated app. Connections are accepted before the clock starts (see load-child.ts), except
 * in the last case, where 200 connections arrive as the load starts, as they would from Slack after a quiet spell.
 */
const PACED = { rate: 100, requests: Math.min(1000, REQUESTS) };
const CASES: ReadonlyArray<{ kind: Kind; connections: number; rate?: number; fresh?: boolean; requests: number }> = [
  ...KINDS.flatMap((kind) => [50, 200].map((connections) => ({ kind, connections, requests: REQUESTS }))),
  ...KINDS.map((kind) => ({ kind, connections: 50, rate: PACED.rate, requests: PACED.requests })),
  { kind: 'click', connections: 200, fresh: true, requests: REQUESTS },
];
/** The longest the bench waits for ours to finish the work behind one run's acks. */
const DRAIN_TIMEOUT_MS = 120_000;

export type Kind = (typeof KINDS)[number];

export interface AckRun extends LatencySummary {
  mode: AppMode;
  kind: Kind;
  connections: number;
  /** Paced requests per second; absent for closed-loop runs. */
  rate?: number;
  /** Connections opened as the run starts (the app accepts them while already busy). */
  fresh?: boolean;
  app: AppStats;
  /** Event-loop delay and CPU time of this process (the fake Whop and Slack) during the run: it shares the 2 cores. */
  fakesLoopP99Ms: number;
  fakesCpuMs: number;
  /** ours only: how long after the last ack the work behind the run's requests finished (null: not within the time-out). */
  drainMs?: number | null;
}

export interface AckResult {
  requestsPerRun: number;
  whopLatencyMs: number;
  runs: AckRun[];
}

/** Counts of what ours sends to Slack once it has finished a request's work. */
function finished(fakes: Fakes) {
  const calls = fakes.slack.calls;
  return {
    responses: fakes.slack.responses.length,
    updates: calls.filter((c) => c.method === 'chat.update').length,
    threadReplies: calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts !== undefined).length,
  };
}

/** Waits until ours has answered every command through response_url, or updated the message and replied in its thread for every click. */
function drain(fakes: Fakes, kind: Kind, before: ReturnType<typeof finished>, count: number): Promise<number | null> {
  return until(
    () => {
      const now = finished(fakes);
      return kind === 'command' ? now.responses >= before.responses + count : now.updates >= before.updates + count && now.threadReplies >= before.threadReplies + count;
    },
    DRAIN_TIMEOUT_MS,
    50,
  );
}

export async function ackLatency(log: (line: string) => void): Promise<AckResult> {
  // Enough active ad groups that every click of ours (warm-up and all runs) pauses a different one. A fixed clock
  // lets the sandbox memoise its stats: it shares the 2 cores with the app, so it should do as little as it can.
  const now = new Date();
  const account = scaledAccount({ adGroups: 8500, ads: 8500, issues: 0, now: () => now });
  const fakes = await startFakes(account);
  let loader: ChildProcess | undefined;
  try {
    const active = account.adGroups
      .filter((g) => g.status === 'active')
      .map((g): EntityRef & { kind: 'ad_group' } => ({ kind: 'ad_group', id: g.id, title: g.title, status: g.status }));
    const needed = WARMUP + CASES.filter((c) => c.kind === 'click').reduce((n, c) => n + c.requests, 0);
    if (active.length < needed) throw new Error(`only ${active.length} active ad groups for ${needed} clicks`);
    const targets: ClickTarget[] = await postRows(fakes.slack, active.slice(0, needed));
    const groupIds = account.adGroups.map((g) => g.id);
    fakes.sandbox.faults.latencyMs = WHOP_LATENCY_MS;
    loader = forkTs('./load-child.ts', {});
    await ask(loader, {}, 'ready', 60_000);

    const runs: AckRun[] = [];
    for (const mode of ['bare', 'ours'] as const) {
      const app = await startApp({ mode, slackUrl: fakes.slack.url, whopUrl: fakes.sandbox.url });
      // Each app walks the targets from the start: the bare app changes nothing, ours must never click twice.
      let nextClick = 0;
      let nextCommand = 0;
      const bodies: Record<Kind, (count: number) => string[]> = {
        command: (count) => Array.from({ length: count }, () => commandBody(fakes.slack, groupIds[nextCommand++ % groupIds.length]!)),
        click: (count) => Array.from({ length: count }, () => clickBody(fakes.slack, targets[nextClick++]!)),
      };
      const run = async (kind: Kind, connections: number, amount: number, rate?: number, fresh?: boolean) => {
        const prepare = { type: 'prepare', url: app.url, connections, ratePerSecond: rate, fresh, bodies: bodies[kind](amount) };
        await ask(loader!, prepare, 'prepared');
        const before = finished(fakes);
        await app.mark();
        const loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        const cpu = process.cpuUsage();
        const { summary } = await ask<{ type: 'result'; summary: LatencySummary }>(loader!, { type: 'load' }, 'result');
        loop.disable();
        const fakesCpu = process.cpuUsage(cpu);
        const drainMs = mode === 'ours' ? await drain(fakes, kind, before, summary.requests - summary.non2xx) : undefined;
        return {
          ...summary,
          app: await app.stats(),
          fakesLoopP99Ms: loop.percentile(99) / 1e6,
          fakesCpuMs: (fakesCpu.user + fakesCpu.system) / 1000,
          ...(drainMs !== undefined ? { drainMs } : {}),
        };
      };
      try {
        // JIT, connection pools and SQLite's first pages warm up here, for both apps alike.
        for (const kind of KINDS) await run(kind, 50, WARMUP);
        for (const { kind, connections, rate, fresh, requests } of CASES) {
          const measured = await run(kind, connections, requests, rate, fresh);
          runs.push({ mode, kind, connections, ...(rate ? { rate } : {}), ...(fresh ? { fresh } : {}), ...measured });
          const work =
            measured.drainMs === undefined ? '' : `, work done ${measured.drainMs === null ? 'NOT within the time-out' : `${(measured.drainMs / 1000).toFixed(1)} s after`}`;
          log(
            `  ack ${mode.padEnd(4)} ${kind.padEnd(7)} ×${String(connections).padEnd(3)}${rate ? ` @${rate}/s` : ''}${fresh ? ' fresh' : ''}` +
              ` p50 ${measured.p50Ms.toFixed(1)} ms, p99 ${measured.p99Ms.toFixed(1)} ms, ${measured.requestsPerSecond.toFixed(0)} req/s${work}`,
          );
        }
      } finally {
        await app.stop();
      }
    }
    return { requestsPerRun: REQUESTS, whopLatencyMs: WHOP_LATENCY_MS, runs };
  } finally {
    if (loader) await ask(loader, { type: 'stop' }, 'stopped').catch(() => loader!.kill());
    await fakes.close();
  }
}
