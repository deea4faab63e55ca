import type { ForecastRule } from '../../config';
import type { EntityRef, Problem } from '../../model';
import { addInto, type GroupDay, settledHour, until, weekdayOf } from '../hourly-history';
import { type Observation, ref } from '../observation';
import { usualOf } from '../usual';

/**
 * A past day that had spent less than this share of itself by the hour holds no shape to project from (it would
 * multiply today's spend by a hundred and more): it counts as a week missing.
 */
const MIN_WEEK_SHARE = 0.01;

export interface Budgeted {
  entity: EntityRef;
  budget: number;
  groupIds: readonly string[];
}

function combined(days: readonly (GroupDay | undefined)[]): GroupDay | undefined {
  const present = days.filter((d): d is GroupDay => d !== undefined);
  const [first] = present;
  if (!first) return undefined;
  const hours = first.hours.map(() => ({ spend: 0, impressions: 0, clicks: 0, results: 0 as number | null }));
  for (const day of present) {
    day.hours.forEach((part, h) => {
      if (hours[h]) addInto(hours[h], part);
    });
  }
  return { hours, currency: present.find((d) => d.currency !== null)?.currency ?? null };
}

/** Ad groups with a daily budget of their own, and campaigns whose daily budget their ad groups share. */
export function budgeted(seen: Observation): Budgeted[] {
  const groups: Budgeted[] = seen.today
    .filter((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount !== null && g.budget_amount > 0)
    .map((g) => ({ entity: ref('ad_group', g), budget: g.budget_amount as number, groupIds: [g.id] }));
  const campaigns: Budgeted[] = (seen.history?.campaigns ?? [])
    .filter((c) => c.status === 'active' && c.budget_type === 'daily' && c.budget_amount !== null && c.budget_amount > 0)
    .map((c) => ({
      entity: { kind: 'ad_campaign', id: c.id, title: c.title, status: c.status },
      budget: c.budget_amount as number,
      groupIds: seen.today.filter((g) => g.ad_campaign.id === c.id).map((g) => g.id),
    }));
  return [...groups, ...campaigns];
}

/**
 * The day's spend projected from the hour-of-day curve of past weeks: spend by the last settled hour divided by
 * the share of the whole day the same weekday usually had spent by then (not a straight line: evenings spend
 * more than nights). The range divides by the largest and the smallest of those shares.
 */
export function forecastProblems(seen: Observation, rule: ForecastRule, items: readonly Budgeted[] = budgeted(seen)): Problem[] {
  const history = seen.history;
  const hour = settledHour(seen.now, seen.timeZone, rule.settle_hours);
  const today = history?.days[0];
  if (!history || hour === null || !today) return [];
  const [todayRows, ...pastRows] = history.dayOnly;
  const day = `${today.year}-${today.month}-${today.day}`;
  const problems: Problem[] = [];
  for (const item of items) {
    const current = combined(item.groupIds.map((id) => todayRows?.get(id)));
    if (!current) continue;
    const soFar = until(current, hour).spend;
    if (soFar < rule.min_spend || soFar <= 0) continue;
    const shares = pastRows.slice(0, rule.weeks).map((rows) => {
      const past = combined(item.groupIds.map((id) => rows.get(id)));
      if (!past) return null;
      const [by, total] = [until(past, hour).spend, until(past, 24).spend];
      return total > 0 && by / total >= MIN_WEEK_SHARE ? by / total : null;
    });
    const usual = usualOf(shares);
    if (!usual || usual.mean * 100 < rule.min_day_pct) continue;
    const projected = soFar / usual.mean;
    const direction = projected > item.budget * (1 + rule.over_pct / 100) ? 'over' : projected < item.budget * (1 - rule.under_pct / 100) ? 'under' : null;
    if (!direction) continue;
    problems.push({
      key: `forecast:${direction}:${item.entity.id}:${day}`,
      rule: 'forecast',
      entities: [item.entity],
      direction,
      soFar,
      projected,
      low: soFar / usual.high,
      high: soFar / usual.low,
      budget: item.budget,
      at: { weekday: weekdayOf(today), hour },
      currency: current.currency,
    });
  }
  return problems;
}
