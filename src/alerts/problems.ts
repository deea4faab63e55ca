import type { AlertRules } from '../config';
import type { Problem } from '../model';
import type { Observation } from './observation';
import { anomalyProblems } from './rules/anomaly';
import { costPerResultProblems } from './rules/cost-per-result';
import { forecastProblems } from './rules/forecast';
import { issueProblems } from './rules/issues';
import { noDeliveryProblems } from './rules/no-delivery';
import { pacingProblems } from './rules/pacing';
import { rejectedProblems } from './rules/rejected';
import { roasProblems } from './rules/roas';

export type { Observation } from './observation';

/**
 * Every problem the rules find, each under a key that stays the same while the problem lasts, so a
 * check that sees it again changes nothing. `open` are keys already alerted.
 */
export function findProblems(seen: Observation, rules: AlertRules, open: ReadonlySet<string>): Problem[] {
  return [
    ...(rules.new_issues ? issueProblems(seen) : []),
    ...(rules.rejected ? rejectedProblems(seen, rules.new_issues) : []),
    ...(rules.pacing?.pct_of_daily_budget !== undefined && rules.pacing.before !== undefined
      ? pacingProblems(seen, { pct_of_daily_budget: rules.pacing.pct_of_daily_budget, before: rules.pacing.before }, open)
      : []),
    ...(rules.pacing?.forecast ? forecastProblems(seen, rules.pacing.forecast) : []),
    ...(rules.anomaly ? anomalyProblems(seen, rules.anomaly) : []),
    ...(rules.cost_per_result_above !== undefined ? costPerResultProblems(seen, rules.cost_per_result_above) : []),
    ...(rules.roas_below !== undefined ? roasProblems(seen, rules.roas_below) : []),
    ...(rules.no_delivery_hours !== undefined ? noDeliveryProblems(seen, rules.no_delivery_hours) : []),
  ];
}
