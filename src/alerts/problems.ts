import type { AlertRules } from '../config';
import type { Problem, Skipped } from '../model';
import type { Observation } from './observation';
import { anomalyProblems } from './rules/anomaly';
import { costPerResultProblems } from './rules/cost-per-result';
import { deliveryStatusProblems } from './rules/delivery-status';
import { fatigueProblems } from './rules/fatigue';
import { forecastProblems } from './rules/forecast';
import { issueProblems } from './rules/issues';
import { noDeliveryProblems } from './rules/no-delivery';
import { pacingProblems } from './rules/pacing';
import { rejectedProblems } from './rules/rejected';
import { roasProblems } from './rules/roas';

export type { Observation } from './observation';

/** What one check found, and how many ad groups each rule left unjudged for lack of data (see floors.ts). */
export interface Findings {
  problems: Problem[];
  skipped: Skipped;
}

/**
 * Every problem the rules find, each under a key that stays the same while the problem lasts, so a
 * check that sees it again changes nothing. `open` are keys already alerted. What Whop's delivery_status says is
 * found first: an issue or a rejection its alert already carries is not alerted a second time.
 */
export function findProblems(seen: Observation, rules: AlertRules, open: ReadonlySet<string>): Findings {
  const skipped: Skipped = {};
  const delivery = deliveryStatusProblems(seen, rules.delivery_status);
  const problems = [
    ...delivery.problems,
    ...(rules.new_issues ? issueProblems(seen, delivery.explainedIssues) : []),
    ...(rules.rejected ? rejectedProblems(seen, rules.new_issues, delivery.allRejected) : []),
    ...(rules.pacing?.pct_of_daily_budget !== undefined && rules.pacing.before !== undefined
      ? pacingProblems(seen, { pct_of_daily_budget: rules.pacing.pct_of_daily_budget, before: rules.pacing.before }, open)
      : []),
    ...(rules.pacing?.forecast ? forecastProblems(seen, rules.pacing.forecast) : []),
    ...(rules.anomaly ? anomalyProblems(seen, rules.anomaly) : []),
    ...(rules.cost_per_result_above ? costPerResultProblems(seen, rules.cost_per_result_above, skipped) : []),
    ...(rules.roas_below ? roasProblems(seen, rules.roas_below, skipped) : []),
    ...(rules.no_delivery_hours ? noDeliveryProblems(seen, rules.no_delivery_hours, skipped) : []),
    ...(rules.fatigue ? fatigueProblems(seen, rules.fatigue) : []),
  ];
  return { problems, skipped };
}
