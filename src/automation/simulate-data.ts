// What `/ads rules simulate` reads from Whop, in as few requests as it can: the ad groups once, and one hourly report
// (broken down by ad group) per month of history, all at once. Through the gateway, so WHOP_COMPANY_ID scopes both.
import type { AdsGateway } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import { anyReplayable, type Replay, type ReplayInput, type ReplaySettings, replayRules, replayWindow } from './simulate';

const HOUR = 3_600_000;

/** Hours of history one report covers at most: 92 days, the hourly span the sandbox serves (src/sandbox/reports.ts), so 4 weeks of history and 4 weeks replayed are one request. */
const REPORT_HOURS = 92 * 24;

/** [from, to) cut into consecutive ranges of at most REPORT_HOURS. */
export function reportRanges(from: Date, to: Date): Array<{ from: Date; to: Date }> {
  const ranges: Array<{ from: Date; to: Date }> = [];
  for (let start = from.getTime(); start < to.getTime(); start += REPORT_HOURS * HOUR) {
    ranges.push({ from: new Date(start), to: new Date(Math.min(start + REPORT_HOURS * HOUR, to.getTime())) });
  }
  return ranges;
}

/** The ad groups as listed now and the hourly rows the replay of the last `days` days reads. */
export async function readReplayData(gateway: AdsGateway, settings: ReplaySettings, days: number, now: Date): Promise<WhopResult<Pick<ReplayInput, 'groups' | 'rows'>>> {
  const { firstCheck, readFrom } = replayWindow(settings, days, now);
  const [groups, rows] = await Promise.all([gateway.adGroups({ from: firstCheck, to: now, timeZone: settings.timezone }), gateway.hourlyReport(reportRanges(readFrom, now))]);
  if (!groups.ok) return groups;
  if (!rows.ok) return rows;
  return { ok: true, value: { groups: groups.value, rows: rows.value.flat() } };
}

/** The replay over the last `days` days of the configured account; changes nothing anywhere. */
export async function simulateRules(gateway: AdsGateway, settings: ReplaySettings, days: number, now: Date): Promise<WhopResult<Replay>> {
  if (!anyReplayable(settings)) return { ok: true, value: replayRules({ settings, groups: [], rows: [], days, now }) };
  const data = await readReplayData(gateway, settings, days, now);
  if (!data.ok) return data;
  return { ok: true, value: replayRules({ settings, ...data.value, days, now, notifyAsApprove: true }) };
}
