import { currencyOf } from '../../currency';
import type { Problem } from '../../model';
import { type Observation, ref } from '../observation';

/** Today's cost per result over the limit. */
export function costPerResultProblems(seen: Observation, limit: number): Problem[] {
  const problems: Problem[] = [];
  for (const group of seen.today) {
    // `results: null`: nothing Whop can attribute is optimised for (reach, awareness), so there is no cost per result.
    if (group.status !== 'active' || group.results === null) continue;
    // Spend with no result at all is the worst cost per result there is.
    const cost = group.results > 0 ? group.cost_per_result : group.spend;
    if (cost === null || cost <= limit) continue;
    problems.push({
      key: `cpr:${group.id}`,
      rule: 'cost_per_result',
      entities: [ref('ad_group', group)],
      costPerResult: cost,
      limit,
      currency: currencyOf(group.spend_currency),
    });
  }
  return problems;
}
