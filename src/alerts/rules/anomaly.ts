import type { AnomalyRule } from '../../config';
import type { AnomalyMetric, Problem } from '../../model';
import { between, delivered, type GroupDay, groupDays, metricOf, settledHour, type Totals, weekdayOf } from '../hourly-history';
import { type Observation, ref } from '../observation';
import { type Usual, usualOf, zScore } from '../usual';

const meetsFloors = (t: Totals, rule: AnomalyRule) => t.spend >= rule.min_spend && t.impressions >= rule.min_impressions;

/**
 * The spread chance alone gives a ratio of a small count, around the usual `mean`: a count expected to be n comes
 * out n ± √n, so the ratio moves by mean/√n. Expected under the usual, not today's count: a day with no clicks
 * still has a spread to be judged against. CPM and spend count nothing small enough to need it.
 */
function countingNoise(metric: AnomalyMetric, today: Totals): (mean: number) => number {
  switch (metric) {
    case 'cost_per_result':
      return (mean) => (mean > 0 ? mean / Math.sqrt(today.spend / mean) : 0);
    case 'ctr':
      return (mean) => (mean > 0 ? mean / Math.sqrt(today.impressions * mean) : 0);
    case 'spend':
    case 'cpm':
      return () => 0;
  }
}

interface Finding {
  value: number;
  usual: Usual;
  sigma: number;
  from: number;
}

/** The metric over today's hours [from, to) against the same hours of past weeks; null when within sigma or not judged. */
function judge(metric: AnomalyMetric, today: GroupDay, weeks: (GroupDay | undefined)[], from: number, to: number, rule: AnomalyRule): Finding | null {
  const now = between(today, from, to);
  if (!meetsFloors(now, rule)) return null;
  const value = metricOf(metric, now);
  if (value === null) return null;
  const past = weeks.map((week) => {
    if (!delivered(week)) return null;
    const then = between(week, from, to);
    return metric === 'spend' || meetsFloors(then, rule) ? metricOf(metric, then) : null;
  });
  const usual = usualOf(past, countingNoise(metric, now));
  if (!usual) return null;
  const sigma = zScore(value, usual);
  // Infinite only against a history of fractions of a cent: nothing a person could read as usual.
  if (!Number.isFinite(sigma) || Math.abs(sigma) <= rule.sigma) return null;
  return { value, usual, sigma, from };
}

/**
 * Each active ad group's spend, cost per result, CTR and CPM from local midnight up to the last settled hour, and
 * over the last `window_hours` settled hours, against the same wall-clock hours on the same weekday of past weeks:
 * a problem when today lies more than `sigma` standard deviations from their mean. The day so far makes a small
 * ad group's figures a number rather than a handful of clicks; the window finds what starts late in the day, which
 * the day so far dilutes. The window stays within today (the history holds only today's weekday): before
 * `window_hours` have passed it is the day so far. Ratios count a past week only where it met the floors too.
 */
export function anomalyProblems(seen: Observation, rule: AnomalyRule): Problem[] {
  const history = seen.history;
  const hour = settledHour(seen.now, seen.timeZone, rule.settle_hours);
  const today = history?.days[0];
  if (!history || hour === null || !today) return [];
  const [todayRows, ...pastRows] = history.rows.map((rows, i) => groupDays(rows, history.days[i] ?? today, seen.timeZone));
  const day = `${today.year}-${today.month}-${today.day}`;
  const windowFrom = rule.window_hours > 0 && hour > rule.window_hours ? hour - rule.window_hours : null;
  const problems: Problem[] = [];
  for (const group of seen.today) {
    const current = todayRows?.get(group.id);
    if (group.status !== 'active' || !current) continue;
    const weeks = pastRows.slice(0, rule.weeks).map((rows) => rows.get(group.id));
    for (const metric of rule.metrics) {
      // One problem per metric whichever span shows it, so an alert does not flip between two keys; the day so far
      // first, the steadier figure, and the window only for what the day so far dilutes.
      const found = judge(metric, current, weeks, 0, hour, rule) ?? (windowFrom === null ? null : judge(metric, current, weeks, windowFrom, hour, rule));
      if (!found) continue;
      problems.push({
        key: `anomaly:${metric}:${group.id}:${day}`,
        rule: 'anomaly',
        entities: [ref('ad_group', group)],
        metric,
        value: found.value,
        usualLow: found.usual.low,
        usualHigh: found.usual.high,
        mean: found.usual.mean,
        sigma: found.sigma,
        weeks: found.usual.weeks,
        at: { weekday: weekdayOf(today), hour },
        from: found.from,
        currency: current.currency,
      });
    }
  }
  return problems;
}
