import type { AnomalyRule } from '../../config';
import type { Problem } from '../../model';
import { delivered, groupDays, metricOf, settledHour, type Totals, until, weekdayOf } from '../hourly-history';
import { type Observation, ref } from '../observation';
import { usualOf, zScore } from '../usual';

const meetsFloors = (t: Totals, rule: AnomalyRule) => t.spend >= rule.min_spend && t.impressions >= rule.min_impressions;

/**
 * Each active ad group's spend, cost per result, CTR and CPM from local midnight up to the last settled hour,
 * against the same span on the same weekday of past weeks: a problem when today lies more than `sigma` standard
 * deviations from their mean. Cumulative ("by 10:00") rather than the last hour alone: a single hour of a small ad
 * group is a handful of clicks, a morning is a number. Ratios count a past week only where it met the floors too.
 */
export function anomalyProblems(seen: Observation, rule: AnomalyRule): Problem[] {
  const history = seen.history;
  const hour = settledHour(seen.now, seen.timeZone, rule.settle_hours);
  const today = history?.days[0];
  if (!history || hour === null || !today) return [];
  const [todayRows, ...pastRows] = history.rows.map((rows, i) => groupDays(rows, history.days[i] ?? today, seen.timeZone));
  const day = `${today.year}-${today.month}-${today.day}`;
  const problems: Problem[] = [];
  for (const group of seen.today) {
    const current = todayRows?.get(group.id);
    if (group.status !== 'active' || !current) continue;
    const now = until(current, hour);
    if (!meetsFloors(now, rule)) continue;
    const weeks = pastRows.slice(0, rule.weeks).map((rows) => rows.get(group.id));
    for (const metric of rule.metrics) {
      const value = metricOf(metric, now);
      if (value === null) continue;
      const past = weeks.map((week) => {
        if (!delivered(week)) return null;
        const then = until(week, hour);
        return metric === 'spend' || meetsFloors(then, rule) ? metricOf(metric, then) : null;
      });
      const usual = usualOf(past);
      if (!usual) continue;
      const sigma = zScore(value, usual);
      // Infinite only against a history of fractions of a cent: nothing a person could read as usual.
      if (!Number.isFinite(sigma) || Math.abs(sigma) <= rule.sigma) continue;
      problems.push({
        key: `anomaly:${metric}:${group.id}:${day}`,
        rule: 'anomaly',
        entities: [ref('ad_group', group)],
        metric,
        value,
        usualLow: usual.low,
        usualHigh: usual.high,
        mean: usual.mean,
        sigma,
        weeks: usual.weeks,
        at: { weekday: weekdayOf(today), hour },
        currency: current.currency,
      });
    }
  }
  return problems;
}
