// Charts (--only=charts): how long one digest chart takes to draw (SVG → PNG in the worker thread) and what the
// renderer adds to the process's peak RSS; then, in one run against one app, the ack p99 of clicks and commands at
// a paced, Slack-like rate on an idle bot and again while the 2,000-ad-group digest with its chart and an alert
// check run back to back inside the same app (busy-work.ts).
import type { ChildProcess } from 'node:child_process';
import { getPriority } from 'node:os';
import { trendChartSvg } from '../blocks/chart';
import { createChartRenderer } from '../src/charts/renderer';
import { currencyOf } from '../src/currency';
import { trendDays } from '../src/digest/trend';
import type { EntityRef } from '../src/model';
import { scaledAccount } from '../src/sandbox';
import { mulberry32 } from '../src/sandbox/random';
import { createAdsGateway, createWhopClient } from '../src/whop/gateway';
import type { BusyRounds } from './busy-work';
import { CHARTS_ACCOUNT, CHARTS_NOW } from './charts-account';
import { DIGEST_LATENCY_MS } from './digest-scale';
import type { LatencySummary } from './load-child';
import {
  type AppStats,
  ask,
  clickBody,
  commandBody,
  FAKES_NICE,
  forkTs,
  median,
  percentile,
  postRows,
  setThreadsPriority,
  startApp,
  startFakes,
  TIME_ZONE,
  WHOP_KEY,
} from './setup';

const NOW = CHARTS_NOW;
const RENDERS = 30;
/** Paced like a busy workspace's clicks and commands, each kind on its own run. */
const RATE = 20;
/**
 * Acks a kind gets on each side: the p99 of 900 is the ninth-slowest, so a few stray pauses of the shared machine do
 * not set it. Each click pauses an active ad group of its own (1,844 of 2,000), which bounds it.
 */
const REQUESTS = Number(process.env.BENCH_CHARTS_REQUESTS ?? 900);
const WARMUP = 60;
/**
 * Idle, busy, idle, busy, idle: the machine's other work drifts over minutes, and one side timed first would be
 * charged that drift. With these sizes both sides' blocks are centred on the same instant, so a steady drift cancels.
 */
const BLOCKS: Array<['idle' | 'busy', number]> = [
  ['idle', REQUESTS / 3],
  ['busy', REQUESTS / 2],
  ['idle', REQUESTS / 3],
  ['busy', REQUESTS / 2],
  ['idle', REQUESTS / 3],
];
/** Resamplings for the p99 ratio's 95 % interval. */
const DRAWS = 1000;

type Kind = 'click' | 'command';
export interface ChartsResult {
  renderP50Ms: number;
  renderP99Ms: number;
  coldRenderMs: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAddedMb: number;
  pngBytes: number;
  rate: number;
  requestsPerRun: number;
  /** Each run with the app's own view of it: its event loop's delay and its collector's pauses, on the thread that acks. */
  runs: { kind: Kind; phase: 'idle' | 'busy'; summary: LatencySummary; app: AppStats }[];
  /** Per kind: the 95 % interval of busy p99 ÷ idle p99 over resamplings of the run's own latencies. */
  p99RatioIntervals: Record<Kind, [number, number]>;
  busy: BusyRounds;
}

/**
 * How far chance alone moves busy p99 ÷ idle p99: the 2.5th and 97.5th percentiles of the ratio over resamplings
 * (with replacement, seeded) of each side's latencies. An interval across 1.2 says one run cannot tell.
 */
export function p99RatioInterval(busy: readonly number[], idle: readonly number[]): [number, number] {
  const rng = mulberry32(15);
  const resampled = (from: readonly number[]) =>
    percentile(
      Array.from({ length: from.length }, () => from[Math.floor(rng() * from.length)] as number),
      0.99,
    );
  const ratios = Array.from({ length: DRAWS }, () => resampled(busy) / resampled(idle));
  return [percentile(ratios, 0.025), percentile(ratios, 0.975)];
}

const sumOf = <T>(parts: readonly T[], f: (part: T) => number) => parts.reduce((t, p) => t + f(p), 0);
const mostOf = <T>(parts: readonly T[], f: (part: T) => number) => Math.max(...parts.map(f));

/** One summary of a phase's blocks, as if one run: percentiles over all their latencies. */
function pooledSummary(parts: readonly LatencySummary[]): LatencySummary {
  const all = parts.flatMap((p) => p.samplesMs ?? []);
  const requests = sumOf(parts, (p) => p.requests);
  const durationMs = sumOf(parts, (p) => p.durationMs);
  return {
    requests,
    non2xx: sumOf(parts, (p) => p.non2xx),
    errors: sumOf(parts, (p) => p.errors),
    timeouts: sumOf(parts, (p) => p.timeouts),
    p50Ms: percentile(all, 0.5),
    p90Ms: percentile(all, 0.9),
    p99Ms: percentile(all, 0.99),
    maxMs: Math.max(...all),
    firstRequestMaxMs: mostOf(parts, (p) => p.firstRequestMaxMs),
    durationMs,
    requestsPerSecond: (requests / durationMs) * 1000,
    loadGenLoopP99Ms: mostOf(parts, (p) => p.loadGenLoopP99Ms),
  };
}

/** The app's view over a phase's blocks: CPU and collection summed; event-loop delay and pauses the worst block's. */
function pooledStats(parts: readonly AppStats[]): AppStats {
  return {
    loopDelayP50Ms: mostOf(parts, (p) => p.loopDelayP50Ms),
    loopDelayP99Ms: mostOf(parts, (p) => p.loopDelayP99Ms),
    loopDelayMaxMs: mostOf(parts, (p) => p.loopDelayMaxMs),
    gcTotalMs: sumOf(parts, (p) => p.gcTotalMs),
    gcMaxPauseMs: mostOf(parts, (p) => p.gcMaxPauseMs),
    cpuUserMs: sumOf(parts, (p) => p.cpuUserMs),
    cpuSystemMs: sumOf(parts, (p) => p.cpuSystemMs),
    rssMb: mostOf(parts, (p) => p.rssMb),
    heapUsedMb: mostOf(parts, (p) => p.heapUsedMb),
  };
}

async function renderCost(whopUrl: string) {
  const gateway = createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: whopUrl }));
  const days = await trendDays(gateway, { window: 'yesterday', campaigns: [], metric: 'spend_results', timeZone: TIME_ZONE, now: NOW });
  if (!days.ok) throw new Error(days.error.message);
  const svg = trendChartSvg({ metric: 'spend_results', days: days.value, currency: currencyOf('usd'), timeZone: TIME_ZONE });
  global.gc?.();
  const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
  let rssPeakMb = rssBeforeMb;
  const sample = setInterval(() => {
    rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / 2 ** 20);
  }, 2);
  const charts = createChartRenderer();
  try {
    let started = performance.now();
    const png = await charts.render(svg);
    const coldRenderMs = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < RENDERS; i++) {
      started = performance.now();
      await charts.render(trendChartSvg({ metric: 'spend_results', days: days.value, currency: currencyOf('usd'), timeZone: TIME_ZONE }));
      times.push(performance.now() - started);
      rssPeakMb = Math.max(rssPeakMb, process.memoryUsage().rss / 2 ** 20);
    }
    return { renderP50Ms: median(times), renderP99Ms: percentile(times, 0.99), coldRenderMs, rssBeforeMb, rssPeakMb, rssAddedMb: rssPeakMb - rssBeforeMb, pngBytes: png.length };
  } finally {
    clearInterval(sample);
    await charts.close();
  }
}

export async function chartsBench(log: (line: string) => void): Promise<ChartsResult> {
  // Reporting on the team's clock, as a business's ad account usually does: the trend's days are Whop's daily buckets.
  const account = scaledAccount(CHARTS_ACCOUNT);
  const fakes = await startFakes(account);
  let loader: ChildProcess | undefined;
  let busyFakes: ChildProcess | undefined;
  try {
    const render = await renderCost(fakes.sandbox.url);
    log(
      `  chart render p50 ${render.renderP50Ms.toFixed(1)} ms (p99 ${render.renderP99Ms.toFixed(1)}, first ${render.coldRenderMs.toFixed(0)} ms with the worker's start), RSS +${render.rssAddedMb.toFixed(1)} MB`,
    );
    fakes.sandbox.faults.latencyMs = DIGEST_LATENCY_MS;
    const active = account.adGroups
      .filter((g) => g.status === 'active')
      .map((g): EntityRef & { kind: 'ad_group' } => ({ kind: 'ad_group', id: g.id, title: g.title, status: g.status }));
    const needed = WARMUP / 2 + 2 * REQUESTS;
    if (active.length < needed) throw new Error(`only ${active.length} active ad groups for ${needed} clicks`);
    const targets = await postRows(fakes.slack, active.slice(0, needed));
    const groupIds = account.adGroups.map((g) => g.id);
    let nextClick = 0;
    let nextCommand = 0;
    const bodies: Record<Kind, (n: number) => string[]> = {
      click: (n) => Array.from({ length: n }, () => clickBody(fakes.slack, targets[nextClick++]!)),
      command: (n) => Array.from({ length: n }, () => commandBody(fakes.slack, groupIds[nextCommand++ % groupIds.length]!)),
    };
    loader = forkTs('./load-child.ts', {});
    await ask(loader, {}, 'ready', 60_000);
    busyFakes = forkTs('./busy-fakes.ts', {});
    const busyUrls = await ask<{ type: 'ready'; whopUrl: string; slackUrl: string }>(busyFakes, {}, 'ready', 60_000);
    setThreadsPriority(FAKES_NICE, busyFakes.pid!);
    const app = await startApp({ mode: 'ours', slackUrl: fakes.slack.url, whopUrl: fakes.sandbox.url, busyNowIso: NOW.toISOString() });
    const runs: ChartsResult['runs'] = [];
    const intervals = {} as ChartsResult['p99RatioIntervals'];
    let busy: BusyRounds = { rounds: 0, digestMs: [], alertMs: [] };
    try {
      const load = async (kind: Kind, count: number) => {
        await ask(loader!, { type: 'prepare', url: app.url, connections: 20, ratePerSecond: RATE, bodies: bodies[kind](count), keepSamples: true }, 'prepared');
        return (await ask<{ type: 'result'; summary: LatencySummary }>(loader!, { type: 'load' }, 'result', 600_000)).summary;
      };
      await load('click', WARMUP / 2);
      await load('command', WARMUP / 2);
      const priority = getPriority();
      setThreadsPriority(FAKES_NICE);
      try {
        // The first round (cold) runs here, untimed; then the work waits between two jobs while the bot is idle.
        await app.busy.start({ whopUrl: busyUrls.whopUrl, slackUrl: busyUrls.slackUrl });
        await app.busy.pause();
        for (const kind of ['click', 'command'] as const) {
          const blocks: Record<'idle' | 'busy', { summary: LatencySummary; app: AppStats }[]> = { idle: [], busy: [] };
          for (const [phase, count] of BLOCKS) {
            if (phase === 'busy') await app.busy.resume();
            await app.mark();
            const summary = await load(kind, count);
            blocks[phase].push({ summary, app: await app.stats() });
            if (phase === 'busy') await app.busy.pause();
          }
          const interval = p99RatioInterval(
            blocks.busy.flatMap((b) => b.summary.samplesMs ?? []),
            blocks.idle.flatMap((b) => b.summary.samplesMs ?? []),
          );
          intervals[kind] = interval;
          for (const phase of ['idle', 'busy'] as const) {
            const run = { kind, phase, summary: pooledSummary(blocks[phase].map((b) => b.summary)), app: pooledStats(blocks[phase].map((b) => b.app)) };
            runs.push(run);
            const { summary, app: seen } = run;
            log(
              `  ack ${phase} ${kind.padEnd(7)} @${RATE}/s p50 ${summary.p50Ms.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms; the app's event loop delay p99 ${seen.loopDelayP99Ms.toFixed(1)} ms, max ${seen.loopDelayMaxMs.toFixed(1)} ms, its collector ${seen.gcTotalMs.toFixed(0)} ms in all, longest pause ${seen.gcMaxPauseMs.toFixed(1)} ms; the app's CPU ${((seen.cpuUserMs + seen.cpuSystemMs) / 1000).toFixed(1)} s`,
            );
          }
          log(`  ${kind} p99 busy ÷ idle: 95 % of resamplings between ${interval[0].toFixed(2)}× and ${interval[1].toFixed(2)}×`);
        }
        busy = await app.busy.stop();
      } finally {
        setThreadsPriority(priority);
      }
      log(`  busy work: ${busy.rounds} rounds, digest with chart median ${median(busy.digestMs).toFixed(0)} ms, alert check median ${median(busy.alertMs).toFixed(0)} ms`);
    } finally {
      await app.stop();
    }
    return { ...render, rate: RATE, requestsPerRun: REQUESTS, runs, p99RatioIntervals: intervals, busy };
  } finally {
    if (loader) await ask(loader, { type: 'stop' }, 'stopped').catch(() => loader!.kill());
    if (busyFakes) await ask(busyFakes, { type: 'stop' }, 'stopped').catch(() => busyFakes!.kill());
    await fakes.close();
  }
}
