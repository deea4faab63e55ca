// Figure 2: one digest of a big account (2,000 ad groups, 20,000 ads, 500 issues) with Whop answering after
// 50 ms, against the fastest any digest could be given the requests it needs and the concurrency the bot allows.
import type { ChildProcess } from 'node:child_process';
import { LOOKUP_CONCURRENCY } from '../src/digest/build';
import { statsWindow } from '../src/digest/window';
import { scaledAccount } from '../src/sandbox';
import { createAdsGateway, createWhopClient } from '../src/whop/gateway';
import type { DigestRunResult } from './digest-child';
import { ask, forkTs, median, startFakes, TIME_ZONE, WHOP_KEY } from './setup';

export const DIGEST_LATENCY_MS = 50;
const SIZE = { adGroups: 2000, ads: 20_000, issues: 500 };
const TOP = 5;
/** Whop's largest page, as src/whop/gateway.ts asks for. */
const PAGE_SIZE = 100;
const MEASURED_RUNS = 3;
/** A fixed clock: the sandbox memoises stats per window, and every run asks for the same one. */
const NOW = new Date('2025-11-25T15:00:00Z');

export interface DigestFloor {
  campaigns: number;
  currentPages: number;
  previousPages: number;
  topPages: number;
  /** Distinct ads and ad groups that issues name and that neither the campaign list nor the top page already gave. */
  lookups: number;
  fewestRequests: number;
  /** Rounds of DIGEST_LATENCY_MS on the critical path. */
  rounds: number;
  floorMs: number;
  /** requests × latency ÷ concurrency, for comparison: it ignores that lookups wait for the campaign list. */
  naiveFloorMs: number;
}

export interface DigestResult {
  size: typeof SIZE;
  latencyMs: number;
  lookupConcurrency: number;
  floor: DigestFloor;
  cold: DigestRunResult & { requests: number };
  runs: Array<DigestRunResult & { requests: number }>;
  wallMs: number;
  requests: number;
  /** Whop requests of the digest's 14-day trend (chart or sparkline), read after the digest as postDigest does. */
  trendRequests: number;
  peakRssMb: number;
  maxRssMb: number;
  /** The digest process's RSS once loaded, before its first digest. */
  idleRssMb: number;
  /** Median of sequential single lookups (one ad) from the digest's process: what one round really costs. */
  roundTripMs: number;
  sandboxRssMb: number;
}

/**
 * The floor, from the data the digest sees:
 *  - the campaign lists for the window and for the window before: ceil(campaigns / 100) pages each, one after
 *    another (each page's cursor comes from the one before);
 *  - the top ad groups: one page;
 *  - one lookup per distinct ad or ad group an issue names that is not known already (campaigns come with the
 *    list, the top ad groups with their page); campaign issues need none.
 * The three lists start together; the lookups can start only once the current window's list has answered
 * (it carries the issues), and then go LOOKUP_CONCURRENCY at a time. So the critical path is
 *   currentPages + ceil(lookups / LOOKUP_CONCURRENCY) rounds of 50 ms
 * (the previous-window and top lists could run alongside the lookups; as buildDigest awaits all three lists
 * first, its own path is max(pages) + ceil(lookups / 8): the same here, every list being one page).
 */
async function computeFloor(whopUrl: string): Promise<DigestFloor> {
  const gateway = createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: whopUrl }));
  const window = statsWindow('yesterday', NOW, TIME_ZONE);
  const [current, previous, top] = await Promise.all([
    gateway.campaigns({ ...window, timeZone: TIME_ZONE }),
    gateway.campaigns({ ...window.previous, timeZone: TIME_ZONE }),
    gateway.topAdGroups({ ...window, timeZone: TIME_ZONE }, TOP, []),
  ]);
  if (!current.ok || !previous.ok || !top.ok) throw new Error('the sandbox refused the floor queries');
  const known = new Set([...current.value.map((c) => c.id), ...top.value.map((g) => g.id)]);
  const named = new Set(current.value.flatMap((c) => c.issues).flatMap((i) => (i.resource_id && !known.has(i.resource_id) ? [i.resource_id] : [])));
  const pages = (n: number) => Math.max(1, Math.ceil(n / PAGE_SIZE));
  const currentPages = pages(current.value.length);
  const previousPages = pages(previous.value.length);
  const topPages = 1;
  const lookups = named.size;
  const fewestRequests = currentPages + previousPages + topPages + lookups;
  const rounds = currentPages + Math.ceil(lookups / LOOKUP_CONCURRENCY);
  return {
    campaigns: current.value.length,
    currentPages,
    previousPages,
    topPages,
    lookups,
    fewestRequests,
    rounds,
    floorMs: rounds * DIGEST_LATENCY_MS,
    naiveFloorMs: (fewestRequests * DIGEST_LATENCY_MS) / LOOKUP_CONCURRENCY,
  };
}

export async function digestScale(log: (line: string) => void): Promise<DigestResult> {
  // Reporting on the team's clock, as a business's ad account usually does: the trend's days are Whop's daily buckets.
  const account = scaledAccount({ ...SIZE, reportingTimeZone: TIME_ZONE, now: () => NOW });
  const fakes = await startFakes(account);
  let child: ChildProcess | undefined;
  try {
    const { sandbox } = fakes;
    sandbox.faults.latencyMs = DIGEST_LATENCY_MS;
    const floor = await computeFloor(sandbox.url);
    child = forkTs('./digest-child.ts', { whopUrl: sandbox.url, nowIso: NOW.toISOString() });
    const { idleRssMb } = await ask<{ type: 'ready'; idleRssMb: number }>(child, {}, 'ready', 60_000);

    const runOnce = async () => {
      const mark = sandbox.requests.length;
      const { result } = await ask<{ type: 'result'; result: DigestRunResult }>(child!, { type: 'run' }, 'result');
      return { ...result, requests: sandbox.requests.length - mark };
    };
    // The first digest in a fresh process also pays for loading and compiling the SDK and the views.
    const cold = await runOnce();
    const runs = [];
    for (let i = 0; i < MEASURED_RUNS; i++) runs.push(await runOnce());

    const trendMark = sandbox.requests.length;
    await ask(child, { type: 'trend' }, 'result');
    const trendRequests = sandbox.requests.length - trendMark;
    const { result: rtt } = await ask<{ type: 'result'; result: { roundTripMs: number } }>(child, { type: 'rtt', ids: account.ads.slice(0, 16).map((a) => a.id) }, 'result');
    const result: DigestResult = {
      size: SIZE,
      latencyMs: DIGEST_LATENCY_MS,
      lookupConcurrency: LOOKUP_CONCURRENCY,
      floor,
      cold,
      runs,
      wallMs: median(runs.map((r) => r.wallMs)),
      requests: median(runs.map((r) => r.requests)),
      trendRequests,
      peakRssMb: Math.max(cold.peakRssMb, ...runs.map((r) => r.peakRssMb)),
      maxRssMb: Math.max(...runs.map((r) => r.maxRssMb)),
      idleRssMb,
      roundTripMs: rtt.roundTripMs,
      sandboxRssMb: process.memoryUsage().rss / 2 ** 20,
    };
    log(
      `  digest: ${result.wallMs.toFixed(0)} ms (cold ${cold.wallMs.toFixed(0)} ms), ${result.requests} Whop requests` +
        ` (fewest ${floor.fewestRequests}) and ${trendRequests} more for its trend, floor ${floor.floorMs} ms = ${floor.rounds} rounds, peak RSS ${result.peakRssMb.toFixed(0)} MB (${idleRssMb.toFixed(0)} MB before the first digest)`,
    );
    return result;
  } finally {
    if (child) await ask(child, { type: 'stop' }, 'stopped').catch(() => child!.kill());
    await fakes.close();
  }
}
