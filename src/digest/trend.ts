import type { TrendDay } from '../../blocks/chart';
import { mapLimit } from '../concurrency';
import type { DigestChart, WindowName } from '../model';
import type { AdsGateway } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import type { ReportRow } from '../whop/types';
import { addDays, localDate, startOfLocalDay } from '../zoned-time';
import { LOOKUP_CONCURRENCY } from './build';
import { campaignTotals } from './totals';
import { statsWindow } from './window';

/** How many local days the digest's chart shows. */
export const TREND_DAYS = 14;

const HOUR_MS = 3_600_000;

export interface TrendRequest {
  window: WindowName;
  campaigns: readonly string[];
  /** What the chart draws: ROAS needs purchase values, which report buckets do not carry. */
  metric: Exclude<DigestChart, 'off'>;
  timeZone: string;
  now: Date;
}

interface Day {
  start: Date;
  next: Date;
  /** The next day's start, or now for today. */
  end: Date;
}

type Figures = Pick<TrendDay, 'spend' | 'results' | 'roas'>;

/**
 * Sums report buckets into the team's days, or null when a bucket does not fall wholly inside one of them: Whop
 * buckets on the account's reporting clock, which need not be the team's.
 */
function intoDays(rows: readonly ReportRow[], days: readonly Day[], granularity: 'daily' | 'hourly'): Figures[] | null {
  const cents = days.map(() => 0);
  const results: (number | null)[] = days.map(() => null);
  for (const bucket of rows.flatMap((row) => row.granularity ?? [])) {
    const start = Date.parse(bucket.bucket_start);
    const i = days.findIndex((d) => (granularity === 'daily' ? start === d.start.getTime() : start >= d.start.getTime() && start + HOUR_MS <= d.next.getTime()));
    if (i < 0) return null;
    cents[i] = (cents[i] ?? 0) + Math.round(bucket.spend * 100);
    if (bucket.result_count !== null) results[i] = (results[i] ?? 0) + bucket.result_count;
  }
  return days.map((_, i) => ({ spend: (cents[i] ?? 0) / 100, results: results[i] ?? null, roas: null }));
}

/** One campaigns list per day: the digest's own totals, ROAS included, at a request (or page) per day. */
async function fromCampaignLists(gateway: AdsGateway, request: TrendRequest, days: readonly Day[]): Promise<WhopResult<Figures[]>> {
  const lists = await mapLimit(days, LOOKUP_CONCURRENCY, (d) => gateway.campaigns({ from: d.start, to: d.end, timeZone: request.timeZone }));
  const figures: Figures[] = [];
  for (const list of lists) {
    if (!list.ok) return list;
    const chosen = request.campaigns.length === 0 ? list.value : list.value.filter((c) => request.campaigns.includes(c.id));
    const { spend, results, roas } = campaignTotals(chosen);
    figures.push({ spend, results, roas });
  }
  return { ok: true, value: figures };
}

/**
 * Spend and results of each day from one daily report (per scope); when the account reports on another clock than
 * the team's, from one hourly report summed into the team's days; for ROAS, or a zone whose hours do not line up,
 * from a campaigns list per day.
 */
async function dayFigures(gateway: AdsGateway, request: TrendRequest, days: readonly Day[]): Promise<WhopResult<Figures[]>> {
  if (request.metric === 'roas') return fromCampaignLists(gateway, request, days);
  const range = { from: (days[0] as Day).start, to: (days.at(-1) as Day).end };
  for (const granularity of ['daily', 'hourly'] as const) {
    const rows = await gateway.campaignReport(range, granularity, request.campaigns);
    if (!rows.ok) return rows;
    const figures = intoDays(rows.value, days, granularity);
    if (figures) return { ok: true, value: figures };
  }
  return fromCampaignLists(gateway, request, days);
}

/**
 * The last TREND_DAYS local days up to the digest window's end (today so far, for `today`), each marked as in the
 * window, in the one before, or earlier: the same stats the digest's totals add up, Whop's rounding aside.
 */
export async function trendDays(gateway: AdsGateway, request: TrendRequest): Promise<WhopResult<TrendDay[]>> {
  const { timeZone, now } = request;
  const window = statsWindow(request.window, now, timeZone);
  const today = localDate(now, timeZone);
  const lastDay = request.window === 'today' ? today : addDays(today, -1);
  const days = Array.from({ length: TREND_DAYS }, (_, i): Day => {
    const date = addDays(lastDay, i - TREND_DAYS + 1);
    const next = startOfLocalDay(addDays(date, 1), timeZone);
    return { start: startOfLocalDay(date, timeZone), next, end: new Date(Math.min(next.getTime(), now.getTime())) };
  });
  const figures = await dayFigures(gateway, request, days);
  if (!figures.ok) return figures;
  return {
    ok: true,
    value: days.map(({ start }, i) => {
      const within = (range: { from: Date; to: Date }) => start >= range.from && start < range.to;
      const part = within(window) ? 'current' : within(window.previous) ? 'previous' : 'earlier';
      return { start, ...(figures.value[i] as Figures), part };
    }),
  };
}
