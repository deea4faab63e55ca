import type { TrendDay } from '../../blocks/chart';
import { mapLimit } from '../concurrency';
import type { WindowName } from '../model';
import type { AdsGateway } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import { addDays, localDate, startOfLocalDay } from '../zoned-time';
import { LOOKUP_CONCURRENCY } from './build';
import { campaignTotals } from './totals';
import { statsWindow } from './window';

/** How many local days the digest's chart shows. */
export const TREND_DAYS = 14;

export interface TrendRequest {
  window: WindowName;
  campaigns: readonly string[];
  timeZone: string;
  now: Date;
}

/**
 * The last TREND_DAYS local days up to the digest window's end (today so far, for `today`), each marked as in the
 * window, in the one before, or earlier. One campaigns list per day: the same stats the digest's totals add up.
 */
export async function trendDays(gateway: AdsGateway, request: TrendRequest): Promise<WhopResult<TrendDay[]>> {
  const { timeZone, now } = request;
  const window = statsWindow(request.window, now, timeZone);
  const today = localDate(now, timeZone);
  const lastDay = request.window === 'today' ? today : addDays(today, -1);
  const starts = Array.from({ length: TREND_DAYS }, (_, i) => startOfLocalDay(addDays(lastDay, i - TREND_DAYS + 1), timeZone));
  const lists = await mapLimit(starts, LOOKUP_CONCURRENCY, (from) => {
    const next = startOfLocalDay(addDays(localDate(from, timeZone), 1), timeZone);
    return gateway.campaigns({ from, to: new Date(Math.min(next.getTime(), now.getTime())), timeZone });
  });
  const days: TrendDay[] = [];
  for (const [i, list] of lists.entries()) {
    if (!list.ok) return list;
    const start = starts[i] ?? now;
    const chosen = request.campaigns.length === 0 ? list.value : list.value.filter((c) => request.campaigns.includes(c.id));
    const totals = campaignTotals(chosen);
    const within = (range: { from: Date; to: Date }) => start >= range.from && start < range.to;
    const part = within(window) ? 'current' : within(window.previous) ? 'previous' : 'earlier';
    days.push({ start, spend: totals.spend, results: totals.results, roas: totals.roas, part });
  }
  return { ok: true, value: days };
}
