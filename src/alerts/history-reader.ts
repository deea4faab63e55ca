// Where a check's hourly history is read: here, or in the history worker (history-worker.ts), which keeps the
// parsing of Whop's big hourly reports and their grouping by local hour off the event loop that acks Slack.
import type { AdsGateway } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import type { ReportRow } from '../whop/types';
import type { LocalDate } from '../zoned-time';
import { type HistoryWeeks, historyDays, historyOfRows } from './hourly-history';

/** Today and the same weekday of `weeks` weeks before, each with its `daysBefore` days before, up to `now`. */
export interface HistoryRequest {
  now: Date;
  timeZone: string;
  weeks: number;
  daysBefore: number;
}

export interface HistoryReader {
  read(request: HistoryRequest): Promise<WhopResult<HistoryWeeks>>;
}

/** A past day's hourly figures are taken as final a day after it ended: the gateway may keep them from then on. */
const FINAL_AFTER_HOURS = 24;

/**
 * The hourly report of each history day, one request per local day so that past days are answered from the
 * gateway's cache; each week's days put back together, oldest first.
 */
export async function historyRows(gateway: AdsGateway, request: HistoryRequest): Promise<WhopResult<{ days: LocalDate[]; rows: ReportRow[][] }>> {
  const { days, ranges } = historyDays(request.now, request.timeZone, request.weeks, request.daysBefore);
  const finalBy = request.now.getTime() - FINAL_AFTER_HOURS * 3_600_000;
  const flat = ranges.flat().map((range) => ({ ...range, final: range.to.getTime() <= finalBy }));
  const report = await gateway.hourlyReport(flat);
  if (!report.ok) return report;
  let next = 0;
  return { ok: true, value: { days, rows: ranges.map((week) => week.flatMap(() => report.value[next++] ?? [])) } };
}

/** Reads and groups the history in this process, through the gateway given. */
export const localHistory = (gateway: AdsGateway): HistoryReader => ({
  read: async (request) => {
    const read = await historyRows(gateway, request);
    return read.ok ? { ok: true, value: historyOfRows({ ...read.value, daysBefore: request.daysBefore }, request.timeZone) } : read;
  },
});
