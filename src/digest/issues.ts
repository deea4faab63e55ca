import type { IssueGroup } from '../../blocks/digest';
import type { EntityRef } from '../model';
import type { AdCampaign } from '../whop/types';

export type OpenIssue = AdCampaign['issues'][number];

/** Every open issue once: a campaign lists those of its ad groups and ads too. */
export function openIssues(campaigns: readonly AdCampaign[]): OpenIssue[] {
  const seen = new Map<string, OpenIssue>();
  for (const campaign of campaigns) for (const issue of campaign.issues) seen.set(issue.id, issue);
  return [...seen.values()];
}

/** Open issues as the digest counts them: each item once per message it is named in. */
export const issueCount = (groups: readonly IssueGroup[]): number => groups.reduce((n, g) => n + g.entities.length, 0);

const RANK: Record<string, number> = { rejected: 0, active: 1, in_review: 2, paused: 3 };

/**
 * Groups issues by message, naming what each affects. Rejections and problems on live ads come
 * first (they cost money or reach now), then the widest problems.
 */
export function groupIssues(issues: readonly OpenIssue[], entities: ReadonlyMap<string, EntityRef>): IssueGroup[] {
  const groups = new Map<string, EntityRef[]>();
  for (const issue of issues) {
    const entity = entities.get(issue.resource_id ?? '') ?? {
      kind: issue.resource_type,
      id: issue.resource_id ?? issue.id,
      title: null,
      status: 'unknown',
    };
    const key = issue.message.trim();
    const list = groups.get(key) ?? [];
    if (!list.some((e) => e.id === entity.id)) list.push(entity);
    groups.set(key, list);
  }
  const urgency = (group: IssueGroup) => Math.min(...group.entities.map((e) => RANK[e.status] ?? 4));
  return [...groups]
    .map(([message, list]) => ({ message, entities: list }))
    .sort((a, b) => urgency(a) - urgency(b) || b.entities.length - a.entities.length || a.message.localeCompare(b.message));
}
