import { setImmediate } from 'node:timers/promises';
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
  return findingsWith(seen, rules, open, rules.anomaly ? anomalyProblems(seen, rules.anomaly) : []);
}

/** Ad groups the anomaly rule judges between two turns of the event loop: a few milliseconds of work. */
const ANOMALY_SLICE = 100;

/**
 * The same findings as findProblems, for a check on the event loop that acks: the anomaly rule, most of a big
 * account's work, judges ANOMALY_SLICE ad groups at a time and lets the loop turn in between (each ad group is
 * judged on its own, so the slices' problems in order are the whole list's).
 */
export async function findProblemsInTurns(seen: Observation, rules: AlertRules, open: ReadonlySet<string>): Promise<Findings> {
  const anomalies: Problem[] = [];
  if (rules.anomaly) {
    for (let from = 0; from < seen.today.length; from += ANOMALY_SLICE) {
      anomalies.push(...anomalyProblems({ ...seen, today: seen.today.slice(from, from + ANOMALY_SLICE) }, rules.anomaly));
      await setImmediate();
    }
  }
  return findingsWith(seen, rules, open, anomalies);
}

function findingsWith(seen: Observation, rules: AlertRules, open: ReadonlySet<string>, anomalies: Problem[]): Findings {
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
    ...anomalies,
    ...(rules.cost_per_result_above ? costPerResultProblems(seen, rules.cost_per_result_above, skipped) : []),
    ...(rules.roas_below ? roasProblems(seen, rules.roas_below, skipped) : []),
    ...(rules.no_delivery_hours ? noDeliveryProblems(seen, rules.no_delivery_hours, skipped) : []),
    ...(rules.fatigue ? fatigueProblems(seen, rules.fatigue) : []),
  ];
  return { problems, skipped };
}
