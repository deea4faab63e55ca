import { currencyOf } from '../../currency';
import type { Problem } from '../../model';
import { localDate, localMinutes } from '../../zoned-time';
import { type Observation, ref } from '../observation';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Today's spend passing a share of the daily budget before a time of day. */
export interface PacingThreshold {
  pct_of_daily_budget: number;
  before: string;
}

/** Pacing stays open for the rest of the day once it fired (`open`), rather than "resolving" when the clock passes the deadline. */
export function pacingProblems(seen: Observation, pacing: PacingThreshold, open: ReadonlySet<string>): Problem[] {
  const { pct_of_daily_budget: pct, before } = pacing;
  const day = localDate(seen.now, seen.timeZone);
  const early = localMinutes(seen.now, seen.timeZone) < minutes(before);
  const problems: Problem[] = [];
  // Multiplied out rather than divided: spend exactly at the threshold (55.00 of 100.00 at 55%) must count.
  for (const group of seen.today) {
    if (group.status !== 'active' || group.budget_type !== 'daily' || !group.budget_amount || group.spend * 100 < pct * group.budget_amount) continue;
    const key = `pacing:${group.id}:${day.year}-${day.month}-${day.day}`;
    if (!early && !open.has(key)) continue;
    problems.push({
      key,
      rule: 'pacing',
      entities: [ref('ad_group', group)],
      spend: group.spend,
      budget: group.budget_amount,
      currency: currencyOf(group.spend_currency),
      pct,
      before,
    });
  }
  return problems;
}
