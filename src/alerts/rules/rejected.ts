import type { Problem } from '../../model';
import { type Observation, ref } from '../observation';

/**
 * Rejected ads and ad groups; `explainedByIssues`: those Whop also reports as an issue are already alerted, with
 * Whop's reason. `allRejected`: campaigns and ad groups alerted as having every ad rejected; what is under them is that alert's.
 */
export function rejectedProblems(seen: Observation, explainedByIssues: boolean, allRejected: ReadonlySet<string>): Problem[] {
  const explained = explainedByIssues ? new Set(seen.issues.map((i) => i.resource_id)) : new Set<string | null>();
  const rejected = [
    ...seen.rejectedAdGroups.filter((g) => !allRejected.has(g.id) && !allRejected.has(g.ad_campaign.id)).map((g) => ref('ad_group', g)),
    ...seen.rejectedAds.filter((a) => !allRejected.has(a.ad_group.id) && !allRejected.has(a.ad_campaign.id)).map((a) => ref('ad', a)),
  ];
  return rejected.filter((entity) => !explained.has(entity.id)).map((entity) => ({ key: `rejected:${entity.id}`, rule: 'rejected', entities: [entity] }));
}
