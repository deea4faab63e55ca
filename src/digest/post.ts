import type { WebClient } from '@slack/web-api';
import { trendAltText, trendChartSvg, trendSparkline } from '../../blocks/chart';
import { type DigestTrend, type DigestView, digestMessages } from '../../blocks/digest';
import type { ChartRenderer } from '../charts/renderer';
import type { DigestSettings } from '../config';
import type { Logger } from '../logger';
import { uploadImage } from '../slack/upload-image';
import type { DigestPosts } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { WhopFailure } from '../whop/result';
import { buildDigest } from './build';
import { trendDays } from './trend';

export interface DigestDeps {
  gateway: AdsGateway;
  slack: WebClient;
  charts: ChartRenderer;
  /** Where each digest posted is kept, for the morning summary's link to the newest. */
  posts: Pick<DigestPosts, 'record'>;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}

export type DigestOutcome = { posted: true; channel: string; ts: string; replies: number } | { posted: false; reason: string; failure: WhopFailure };

type PostedDigest = Pick<DigestSettings, 'channel' | 'window' | 'campaigns' | 'top'> & Partial<Pick<DigestSettings, 'chart'>>;

/**
 * The digest's trend: the chart drawn off the event loop and uploaded, or, when charts are off or any step fails,
 * the sparkline of the same days; none when even the days could not be read. A chart never stops the digest.
 */
async function digestTrend(deps: DigestDeps, digest: PostedDigest, view: DigestView, now: Date): Promise<DigestTrend | undefined> {
  const metric = digest.chart === 'roas' ? 'roas' : 'spend_results';
  const days = await trendDays(deps.gateway, { window: digest.window, campaigns: digest.campaigns, metric, timeZone: deps.timeZone, now });
  if (!days.ok) {
    deps.log.warn({ channel: digest.channel, whop: days.error }, 'digest posted without its trend: Whop failed');
    return undefined;
  }
  const chart = { metric, days: days.value, currency: view.currency, timeZone: deps.timeZone } as const;
  if (digest.chart === 'off') return { kind: 'sparkline', line: trendSparkline(chart) };
  const altText = trendAltText(chart);
  try {
    const png = await deps.charts.render(trendChartSvg(chart));
    const title = metric === 'roas' ? 'ROAS, last 14 days' : 'Spend and results, last 14 days';
    const fileId = await uploadImage(deps.slack, { png, filename: `digest-${digest.window}.png`, title, altText });
    return { kind: 'image', fileId, altText, title };
  } catch (err) {
    deps.log.warn({ err, channel: digest.channel }, 'digest chart not uploaded: a sparkline stands in');
    return { kind: 'sparkline', line: trendSparkline(chart) };
  }
}

/**
 * Builds the whole digest before posting anything, so a Whop failure posts nothing half-built.
 * Thread replies go one after another: Slack allows about one message per second per channel.
 */
export async function postDigest(deps: DigestDeps, digest: PostedDigest): Promise<DigestOutcome> {
  const now = deps.now();
  const view = await buildDigest(deps.gateway, { digest, timeZone: deps.timeZone, now, sandbox: deps.sandbox });
  if (!view.ok) {
    deps.log.warn({ channel: digest.channel, whop: view.error }, 'digest not posted: Whop failed');
    return { posted: false, reason: view.error.message, failure: view.error };
  }
  const trend = await digestTrend(deps, digest, view.value, now);
  const { main, replies } = digestMessages(view.value, now, trend);
  const posted = await deps.slack.chat.postMessage({ channel: digest.channel, text: main.text, blocks: main.blocks });
  // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
  const ts = posted.ts!;
  for (const reply of replies) {
    await deps.slack.chat.postMessage({ channel: digest.channel, thread_ts: ts, text: reply.text, blocks: reply.blocks });
  }
  // Only the summary's link depends on it: a store that fails here does not undo or fail a digest in the channel.
  await deps.posts
    .record({ channel: digest.channel, ts, at: now })
    .catch((err: unknown) => deps.log.warn({ err, channel: digest.channel }, 'digest posted, but not kept as the newest'));
  deps.log.info({ channel: digest.channel, ts, replies: replies.length, issues: view.value.issues.length, trend: trend?.kind ?? 'none' }, 'digest posted');
  return { posted: true, channel: digest.channel, ts, replies: replies.length };
}
