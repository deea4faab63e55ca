// "cost per result +38% since @ana raised the budget": what the alert's own metric did after a change, the hours
// since it against as many hours before, told only when both sides hold data enough to mean something.
import type { AlertRules } from '../config';
import { currencyOf } from '../currency';
import type { MetricMove, MovedMetric, Problem } from '../model';
import type { AdsGateway } from '../whop/gateway';
import type { AdGroup } from '../whop/types';
import { belowFloor, FLOOR_DEFAULTS, type Floors } from './floors';

const HOUR = 3_600_000;
/** Under an hour after a change, its few clicks say more about chance than about the change. */
const MIN_HOURS = 1;

/** What Whop reports of an ad group over a range that a comparison reads. */
export type RangeStats = Pick<AdGroup, 'spend' | 'impressions' | 'results' | 'return_on_ad_spend' | 'click_through_rate' | 'cost_per_mille' | 'spend_currency'>;

/** The metric an alert is about; none for rules that judge no figure. */
export function metricOf(problem: Problem): MovedMetric | null {
  switch (problem.rule) {
    case 'cost_per_result':
      return 'cost_per_result';
    case 'roas':
      return 'roas';
    case 'pacing':
    case 'forecast':
      return 'spend';
    case 'anomaly':
      return problem.metric;
    case 'fatigue':
      // Fatigue is judged on CTR falling (as frequency rises).
      return 'ctr';
    case 'issue':
    case 'rejected':
    case 'no_delivery':
    case 'delivery_status':
      return null;
  }
}

/** The floors of the rule that found the problem; the defaults where the rule has none of its own. */
export function floorsOf(problem: Problem, rules: AlertRules): Floors {
  switch (problem.rule) {
    case 'cost_per_result':
      return rules.cost_per_result_above ?? FLOOR_DEFAULTS;
    case 'roas':
      return rules.roas_below ?? FLOOR_DEFAULTS;
    case 'anomaly':
      return rules.anomaly ?? FLOOR_DEFAULTS;
    case 'forecast':
      return { ...FLOOR_DEFAULTS, min_spend: rules.pacing?.forecast?.min_spend ?? FLOOR_DEFAULTS.min_spend };
    case 'fatigue':
      return { ...FLOOR_DEFAULTS, min_impressions: rules.fatigue?.min_impressions ?? FLOOR_DEFAULTS.min_impressions };
    default:
      return FLOOR_DEFAULTS;
  }
}

/** The metric over one range; null where it has no value (no results, no impressions, no spend). */
function figureOf(metric: MovedMetric, stats: RangeStats): number | null {
  switch (metric) {
    case 'spend':
      return stats.spend;
    case 'cost_per_result':
      return stats.results ? stats.spend / stats.results : null;
    case 'roas':
      return stats.spend > 0 ? stats.return_on_ad_spend : null;
    case 'ctr':
      return stats.impressions > 0 ? stats.click_through_rate : null;
    case 'cpm':
      return stats.impressions > 0 ? stats.cost_per_mille : null;
  }
}

/**
 * The move from `before` to `since`, each over `hours`; null unless the change is an hour old or more, both sides
 * meet the floors, and the metric had a value above zero before (no "+∞%").
 */
export function compareAround(metric: MovedMetric, around: { before: RangeStats; since: RangeStats; hours: number }, floors: Floors): MetricMove | null {
  const { before, since, hours } = around;
  if (hours < MIN_HOURS) return null;
  if (belowFloor(before, floors) || belowFloor(since, floors)) return null;
  const from = figureOf(metric, before);
  const to = figureOf(metric, since);
  if (from === null || to === null || !(from > 0) || !Number.isFinite(to)) return null;
  return { metric, hours, before: from, since: to, currency: currencyOf(since.spend_currency ?? before.spend_currency) };
}

/**
 * How the problem's metric moved on its ad group since `at`: two range requests to Whop, none when there is no
 * metric, no ad group or less than an hour to compare. A failed request shows nothing rather than half a figure.
 */
export async function moveSince(deps: { gateway: AdsGateway; timeZone: string }, problem: Problem, at: Date, now: Date, rules: AlertRules): Promise<MetricMove | null> {
  const metric = metricOf(problem);
  const [entity] = problem.entities;
  const span = now.getTime() - at.getTime();
  if (metric === null || entity?.kind !== 'ad_group' || span < MIN_HOURS * HOUR) return null;
  const range = (from: number, to: number) => ({ from: new Date(from), to: new Date(to), timeZone: deps.timeZone });
  const [before, since] = await Promise.all([
    deps.gateway.adGroup(entity.id, range(at.getTime() - span, at.getTime())),
    deps.gateway.adGroup(entity.id, range(at.getTime(), now.getTime())),
  ]);
  if (!before.ok || !since.ok) return null;
  return compareAround(metric, { before: before.value, since: since.value, hours: span / HOUR }, floorsOf(problem, rules));
}
