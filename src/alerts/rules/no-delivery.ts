import type { AlertRules } from '../../config';
import type { Problem, Skipped } from '../../model';
import { countSkip } from '../floors';
import { type Observation, ref, SHOULD_DELIVER, settledWindow } from '../observation';

/**
 * Ad groups meant to deliver that showed nothing over the settled window. Zero impressions is the finding, so the
 * spend and impressions floors do not apply; instead an ad group is judged only when it was meant to deliver for
 * the whole window: created, and scheduled to start, before the window began.
 */
export function noDeliveryProblems(seen: Observation, rule: NonNullable<AlertRules['no_delivery_hours']>, skipped: Skipped): Problem[] {
  const since = settledWindow(seen.now, rule.hours, rule.settle_hours).from.getTime();
  const problems: Problem[] = [];
  for (const group of seen.recent) {
    if (group.status !== 'active' || !SHOULD_DELIVER.has(group.delivery_status)) continue;
    // A creation time that does not parse (the SDK types it as any string) cannot make an ad group old enough.
    const startedInTime = Date.parse(group.created_at) <= since && (group.starts_at === null || Date.parse(group.starts_at) <= since);
    if (!startedInTime) {
      countSkip(skipped, 'no_delivery', 'too_new');
      continue;
    }
    if (group.impressions > 0) continue;
    problems.push({ key: `nodelivery:${group.id}`, rule: 'no_delivery', entities: [ref('ad_group', group)], hours: rule.hours, settleHours: rule.settle_hours });
  }
  return problems;
}
