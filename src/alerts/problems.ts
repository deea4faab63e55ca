import { setImmediate } from 'node:timers/promises';
import type { AlertRules } from '../config';
import type { Problem, Skipped } from '../model';
import type { Observation } from './observation';
import { anomalyProblems } from './rules/anomaly';
import { costPerResultProblems } from './rules/cost-per-result';
import { deliveryStatusProblems } from './rules/delivery-status';
import { fatigueProblems } from './rules/fatigue';
import { budgeted, forecastProblems } from './rules/forecast';
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
  const forecast = rules.pacing?.forecast;
  return findingsWith(seen, rules, open, {
    anomaly: rules.anomaly ? anomalyProblems(seen, rules.anomaly) : [],
    forecast: forecast ? forecastProblems(seen, forecast) : [],
  });
}

/** Ad groups (or budgets, for the forecast) judged between two turns of the event loop: a few milliseconds of work. */
const SLICE = 25;

/** `judge` over `items` SLICE at a time, letting the event loop turn after each slice; the problems in order. */
async function inTurns<T>(items: readonly T[], judge: (slice: T[]) => Problem[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (let from = 0; from < items.length; from += SLICE) {
    problems.push(...judge(items.slice(from, from + SLICE)));
    await setImmediate();
  }
  return problems;
}

/**
 * The same findings as findProblems, for a check on the event loop that acks: the anomaly rule and the pacing
 * forecast, most of a big account's work, judge SLICE ad groups or budgets at a time and let the loop turn in
 * between (each is judged on its own, so the slices' problems in order are the whole list's).
 */
export async function findProblemsInTurns(seen: Observation, rules: AlertRules, open: ReadonlySet<string>): Promise<Findings> {
  const { anomaly } = rules;
  const forecast = rules.pacing?.forecast;
  return findingsWith(seen, rules, open, {
    anomaly: anomaly ? await inTurns(seen.today, (today) => anomalyProblems({ ...seen, today }, anomaly)) : [],
    forecast: forecast ? await inTurns(budgeted(seen), (items) => forecastProblems(seen, forecast, items)) : [],
  });
}

/** The rules' problems in their order, the anomaly rule's and the forecast's as judged already. */
function findingsWith(seen: Observation, rules: AlertRules, open: ReadonlySet<string>, judged: { anomaly: Problem[]; forecast: Problem[] }): Findings {
  const skipped: Skipped = {};
  const delivery = deliveryStatusProblems(seen, rules.delivery_status);
  const problems = [
    ...delivery.problems,
    ...(rules.new_issues ? issueProblems(seen, delivery.explainedIssues) : []),
    ...(rules.rejected ? rejectedProblems(seen, rules.new_issues, delivery.allRejected) : []),
    ...(rules.pacing?.pct_of_daily_budget !== undefined && rules.pacing.before !== undefined
      ? pacingProblems(seen, { pct_of_daily_budget: rules.pacing.pct_of_daily_budget, before: rules.pacing.before }, open)
      : []),
    ...judged.forecast,
    ...judged.anomaly,
    ...(rules.cost_per_result_above ? costPerResultProblems(seen, rules.cost_per_result_above, skipped) : []),
    ...(rules.roas_below ? roasProblems(seen, rules.roas_below, skipped) : []),
    ...(rules.no_delivery_hours ? noDeliveryProblems(seen, rules.no_delivery_hours, skipped) : []),
    ...(rules.fatigue ? fatigueProblems(seen, rules.fatigue) : []),
  ];
  return { problems, skipped };
}
