// Child process: builds the digest the way the bot does (real SDK gateway, buildDigest, digestMessages) against
// the parent's sandbox, reads the digest's trend on request (trendDays, as postDigest does after the digest), and measures its own wall time and memory. A process of its own, so the peak RSS is the
// bot's: the 20,000 simulated ads live in the parent's sandbox, not here.
import { digestMessages } from '../blocks/digest';
import { buildDigest } from '../src/digest/build';
import { trendDays } from '../src/digest/trend';
import { createAdsGateway, createWhopClient } from '../src/whop/gateway';
import { TIME_ZONE, WHOP_KEY } from './setup';

interface Spec {
  whopUrl: string;
  nowIso: string;
}

export interface DigestRunResult {
  wallMs: number;
  /** Highest process.memoryUsage().rss seen, sampled every 10 ms during the run. */
  peakRssMb: number;
  /** The kernel's high-water mark for the whole child process so far (getrusage maxrss). */
  maxRssMb: number;
  issueGroups: number;
  issueEntities: number;
  replies: number;
  mainBlocks: number;
}

const spec = JSON.parse(process.argv[2]!) as Spec;
const now = new Date(spec.nowIso);
const gateway = createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: spec.whopUrl }));

async function once(): Promise<DigestRunResult> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 10);
  const started = performance.now();
  try {
    const view = await buildDigest(gateway, {
      digest: { window: 'yesterday', campaigns: [], top: 5 },
      timeZone: TIME_ZONE,
      now,
      sandbox: true,
    });
    if (!view.ok) throw new Error(`digest failed: ${view.error.message}`);
    const { main, replies } = digestMessages(view.value, now);
    const wallMs = performance.now() - started;
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      wallMs,
      peakRssMb: peak / 2 ** 20,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      issueGroups: view.value.issues.length,
      issueEntities: view.value.issues.reduce((n, g) => n + g.entities.length, 0),
      replies: replies.length,
      mainBlocks: main.blocks.length,
    };
  } finally {
    clearInterval(sampler);
  }
}

/** One lookup at a time, as each of the 8 lookup workers does: the real cost of a round, latency included. */
async function roundTrip(ids: readonly string[]): Promise<number> {
  const times: number[] = [];
  for (const id of ids) {
    const started = performance.now();
    const ad = await gateway.ad(id);
    if (!ad.ok) throw new Error(ad.error.message);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

process.on('message', (message: { type: string }) => {
  if (message.type === 'run') {
    once().then(
      (result) => process.send!({ type: 'result', result }),
      (error: unknown) => process.send!({ type: 'error', message: String(error) }),
    );
  } else if (message.type === 'trend') {
    trendDays(gateway, { window: 'yesterday', campaigns: [], metric: 'spend_results', timeZone: TIME_ZONE, now }).then(
      (days) => process.send!(days.ok ? { type: 'result', result: { days: days.value.length } } : { type: 'error', message: days.error.message }),
      (error: unknown) => process.send!({ type: 'error', message: String(error) }),
    );
  } else if (message.type === 'rtt') {
    roundTrip((message as { ids?: string[] }).ids ?? []).then(
      (roundTripMs) => process.send!({ type: 'result', result: { roundTripMs } }),
      (error: unknown) => process.send!({ type: 'error', message: String(error) }),
    );
  } else if (message.type === 'stop') {
    process.send!({ type: 'stopped' }, () => process.exit(0));
  }
});
// What the process holds before any digest (Node, tsx, the SDK and the views loaded): the digest's own share is the rest.
process.send!({ type: 'ready', idleRssMb: process.memoryUsage().rss / 2 ** 20 });
