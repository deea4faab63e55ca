import type { Problem } from '../../model';
import { type Observation, ref } from '../observation';

/** Rejected ads and ad groups; `explainedByIssues`: those Whop also reports as an issue are already alerted, with Whop's reason. */
export function rejectedProblems(seen: Observation, explainedByIssues: boolean): Problem[] {
  const explained = explainedByIssues ? new Set(seen.issues.map((i) => i.resource_id)) : new Set<string | null>();
  const rejected = [...seen.rejectedAdGroups.map((g) => ref('ad_group', g)), ...seen.rejectedAds.map((a) => ref('ad', a))];
  return rejected.filter((entity) => !explained.has(entity.id)).map((entity) => ({ key: `rejected:${entity.id}`, rule: 'rejected', entities: [entity] }));
}
