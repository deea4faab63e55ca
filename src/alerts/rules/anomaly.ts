import type { AnomalyRule } from '../../config';
import type { AnomalyMetric, Problem } from '../../model';
import { addDays } from '../../zoned-time';
import { between, delivered, type GroupDay, metricOf, settledIndex, type Totals, weekdayOf } from '../hourly-history';
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
  span: Span;
}

/** Hours [from, to) of the series a GroupDay holds: today is its last 24, so a span may begin on the days before. */
interface Span {
  from: number;
  to: number;
  /** The trend judges prices only (TREND_METRICS). */
  trend: boolean;
}

/**
 * What the trend judges: what a slow drift or a dearer day moves. Spend over a day is what the budget lets through,
 * and a CTR falling over days is creative fatigue, which has its own rule; both only added false alerts.
 */
const TREND_METRICS: ReadonlySet<AnomalyMetric> = new Set(['cost_per_result', 'cpm']);

/** The metric over the hours of the span against the same hours of past weeks; null when within sigma or not judged. */
function judge(metric: AnomalyMetric, today: GroupDay, weeks: (GroupDay | undefined)[], span: Span, rule: AnomalyRule): Finding | null {
  const now = between(today, span.from, span.to);
  if (!meetsFloors(now, rule)) return null;
  const value = metricOf(metric, now);
  if (value === null) return null;
  const past = weeks.map((week) => {
    if (!delivered(week, span.from, span.to)) return null;
    const then = between(week, span.from, span.to);
    return metric === 'spend' || meetsFloors(then, rule) ? metricOf(metric, then) : null;
  });
  const usual = usualOf(past, countingNoise(metric, now));
  if (!usual) return null;
  const sigma = zScore(value, usual);
  // Infinite only against a history of fractions of a cent: nothing a person could read as usual.
  if (!Number.isFinite(sigma) || Math.abs(sigma) <= rule.sigma) return null;
  return { value, usual, sigma, span };
}

/**
 * The spans judged, steadiest first: the day so far (from local midnight to the last settled hour), the last
 * `window_hours` settled hours, and the last `trend_hours` (cost per result and CPM only). The day so far makes a
 * small ad group's figures a number rather than a handful of clicks; the window finds what starts late in the day,
 * which the day so far dilutes; the trend finds what creeps up over days, and the cost of a few results a day, which
 * only many hours make a count. The window and the trend reach back over midnight into the days before (just after
 * midnight, when nothing of today has settled, they are all there is); a span that would be one already judged is
 * left out.
 */
function spansOf(settled: number, midnight: number, rule: AnomalyRule): Span[] {
  const spans: Span[] = settled > midnight ? [{ from: midnight, to: settled, trend: false }] : [];
  const add = (hours: number, trend: boolean) => {
    const from = settled - hours;
    if (hours > 0 && from >= 0 && from !== midnight && !spans.some((s) => s.from === from)) spans.push({ from, to: settled, trend });
  };
  add(rule.window_hours, false);
  add(rule.trend_hours, true);
  return spans;
}

/**
 * Each active ad group's spend, cost per result, CTR and CPM over each span (spansOf) up to the last settled hour,
 * against the same wall-clock hours on the same weekdays of past weeks: a problem when now lies more than `sigma`
 * standard deviations from their mean. Ratios count a past week only where it met the floors too.
 */
export function anomalyProblems(seen: Observation, rule: AnomalyRule): Problem[] {
  const history = seen.history;
  const today = history?.days[0];
  if (!history || !today) return [];
  const midnight = history.daysBefore * 24;
  const settled = settledIndex(seen.now, seen.timeZone, rule.settle_hours, history.daysBefore);
  if (settled === null) return [];
  const spans = spansOf(settled, midnight, rule);
  const [todayRows, ...pastRows] = history.spans;
  const day = `${today.year}-${today.month}-${today.day}`;
  // The settled hour on its own day's clock: just after midnight, an hour of yesterday.
  const settledDay = addDays(today, Math.floor(settled / 24) - history.daysBefore - (settled % 24 === 0 ? 1 : 0));
  const at = { weekday: weekdayOf(settledDay), hour: settled % 24 === 0 ? 24 : settled % 24 };
  const problems: Problem[] = [];
  for (const group of seen.today) {
    const current = todayRows?.get(group.id);
    if (group.status !== 'active' || !current) continue;
    const weeks = pastRows.slice(0, rule.weeks).map((rows) => rows.get(group.id));
    for (const metric of rule.metrics) {
      // One problem per metric whichever span shows it, so an alert does not flip between two keys.
      let found: Finding | null = null;
      for (const span of spans) {
        if (span.trend && !TREND_METRICS.has(metric)) continue;
        found = judge(metric, current, weeks, span, rule);
        if (found) break;
      }
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
        at,
        from: found.span.from % 24,
        hours: found.span.to - found.span.from,
        currency: current.currency,
      });
    }
  }
  return problems;
}
