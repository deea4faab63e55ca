import type { OpenIssue } from '../../digest/issues';
import type { DeliveryStatusAlert, Problem } from '../../model';
import { type Observation, ref } from '../observation';

/**
 * What the delivery-status alerts found, and what they already say: the issues they carry as Whop's words, and
 * the items whose rejections an all-rejected alert stands for, so the issue and rejected rules leave those out.
 */
/** The alert key of an item in a delivery state: the Retry payment click finds its line in a grouped message by it. */
export const deliveryStatusKey = (status: DeliveryStatusAlert, id: string) => `delivery:${status}:${id}`;

export interface DeliveryFindings {
  problems: Problem[];
  explainedIssues: ReadonlySet<string>;
  /** Campaigns and ad groups with every ad rejected: their rejected ads and ad groups are this alert's. */
  allRejected: ReadonlySet<string>;
}

const messagesOf = (issues: readonly OpenIssue[]) => [...new Set(issues.map((i) => i.message.trim()))];

/**
 * One alert per item in a watched state. Whop returns the highest-precedence state only, and its unions rank
 * payment_failed and all_ads_rejected above issues, learning_limited and ad_groups_off below: only the first two
 * can meet an open issue, and they carry it (a failed card: the campaign's own issues; all rejected: every
 * issue under it, Whop's reasons for each rejection). An ad group under an all-rejected campaign is that alert's.
 */
export function deliveryStatusProblems(seen: Observation, watched: readonly DeliveryStatusAlert[]): DeliveryFindings {
  const on = new Set(watched);
  const problems: Problem[] = [];
  const explained = new Set<string>();
  const allRejected = new Set<string>();
  const add = (status: DeliveryStatusAlert, entity: ReturnType<typeof ref>, issues: readonly OpenIssue[]) => {
    for (const issue of issues) explained.add(issue.id);
    problems.push({ key: deliveryStatusKey(status, entity.id), rule: 'delivery_status', status, entities: [entity], whopSays: messagesOf(issues) });
  };
  for (const campaign of seen.campaigns) {
    const status = campaign.delivery_status;
    if (status === 'payment_failed' && on.has(status))
      add(
        status,
        ref('ad_campaign', campaign),
        campaign.issues.filter((i) => i.resource_id === campaign.id),
      );
    if (status === 'all_ads_rejected' && on.has(status)) {
      allRejected.add(campaign.id);
      add(status, ref('ad_campaign', campaign), campaign.issues);
    }
    if (status === 'ad_groups_off' && on.has(status)) add(status, ref('ad_campaign', campaign), []);
  }
  for (const group of seen.today) {
    const status = group.delivery_status;
    if (status === 'learning_limited' && on.has(status)) add(status, ref('ad_group', group), []);
    if (status === 'all_ads_rejected' && on.has(status) && !allRejected.has(group.ad_campaign.id)) {
      allRejected.add(group.id);
      add(status, ref('ad_group', group), group.issues);
    }
  }
  return { problems, explainedIssues: explained, allRejected };
}
