import type { Problem } from '../../model';
import { type Observation, ref, SHOULD_DELIVER } from '../observation';

/** Ad groups meant to deliver that showed nothing for `hours`, once they are that old. */
export function noDeliveryProblems(seen: Observation, hours: number): Problem[] {
  const since = seen.now.getTime() - hours * 3_600_000;
  const problems: Problem[] = [];
  for (const group of seen.recent) {
    // A creation time that does not parse (the SDK types it as any string) cannot make an ad group old enough.
    const oldEnough = Date.parse(group.created_at) <= since;
    if (group.status !== 'active' || !SHOULD_DELIVER.has(group.delivery_status) || group.impressions > 0 || !oldEnough) continue;
    problems.push({ key: `nodelivery:${group.id}`, rule: 'no_delivery', entities: [ref('ad_group', group)], hours });
  }
  return problems;
}
