import type { AlertRules } from '../../config';
import { currencyOf } from '../../currency';
import type { Problem, Skipped } from '../../model';
import { belowFloor, countSkip } from '../floors';
import { type Observation, ref } from '../observation';

/** Today's cost per result so far over the limit, once the ad group has spent and shown enough to judge. */
export function costPerResultProblems(seen: Observation, rule: NonNullable<AlertRules['cost_per_result_above']>, skipped: Skipped): Problem[] {
  const problems: Problem[] = [];
  for (const group of seen.today) {
    // `results: null`: nothing Whop can attribute is optimised for (reach, awareness), so there is no cost per result.
    if (group.status !== 'active' || group.results === null) continue;
    const floor = belowFloor(group, rule);
    if (floor) {
      countSkip(skipped, 'cost_per_result', floor);
      continue;
    }
    // Spend with no result at all is the worst cost per result there is.
    const cost = group.results > 0 ? group.cost_per_result : group.spend;
    if (cost === null || cost <= rule.limit) continue;
    problems.push({
      key: `cpr:${group.id}`,
      rule: 'cost_per_result',
      entities: [ref('ad_group', group)],
      costPerResult: cost,
      limit: rule.limit,
      spend: group.spend,
      currency: currencyOf(group.spend_currency),
    });
  }
  return problems;
}
