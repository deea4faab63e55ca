import { currencyOf } from '../../currency';
import type { Problem } from '../../model';
import { type Observation, ref } from '../observation';

/** ROAS over the last 3 days below the floor; only where purchases are the goal: an awareness ad group returns nothing by design. */
export function roasProblems(seen: Observation, floor: number): Problem[] {
  const problems: Problem[] = [];
  for (const group of seen.lastThreeDays) {
    if (group.status !== 'active' || group.result_event !== 'purchase' || group.spend <= 0 || group.return_on_ad_spend >= floor) continue;
    problems.push({
      key: `roas:${group.id}`,
      rule: 'roas',
      entities: [ref('ad_group', group)],
      roas: group.return_on_ad_spend,
      limit: floor,
      spend: group.spend,
      currency: currencyOf(group.spend_currency),
    });
  }
  return problems;
}
