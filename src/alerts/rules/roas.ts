import type { AlertRules } from '../../config';
import { currencyOf } from '../../currency';
import type { Problem, Skipped } from '../../model';
import { belowFloor, countSkip } from '../floors';
import { type Observation, ref } from '../observation';

/**
 * ROAS over 3 settled days below the limit, once the ad group has spent and shown enough to judge; only where
 * purchases are the goal: an awareness ad group returns nothing by design.
 */
export function roasProblems(seen: Observation, rule: NonNullable<AlertRules['roas_below']>, skipped: Skipped): Problem[] {
  const problems: Problem[] = [];
  for (const group of seen.lastThreeDays) {
    if (group.status !== 'active' || group.result_event !== 'purchase') continue;
    const floor = belowFloor(group, rule);
    if (floor) {
      countSkip(skipped, 'roas', floor);
      continue;
    }
    // With no floor (min_spend: 0), nothing spent is nothing returned, not a poor return.
    if (group.spend <= 0 || group.return_on_ad_spend >= rule.limit) continue;
    problems.push({
      key: `roas:${group.id}`,
      rule: 'roas',
      entities: [ref('ad_group', group)],
      roas: group.return_on_ad_spend,
      limit: rule.limit,
      spend: group.spend,
      currency: currencyOf(group.spend_currency),
      settleHours: rule.settle_hours,
    });
  }
  return problems;
}
