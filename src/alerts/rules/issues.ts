import { createHash } from 'node:crypto';
import { groupIssues } from '../../digest/issues';
import type { Problem } from '../../model';
import type { Observation } from '../observation';

const messageKey = (message: string) => `issue:${createHash('sha256').update(message.trim()).digest('hex').slice(0, 32)}`;

/** One problem per issue message Whop reports, naming every item that has it; `explained`: issues another alert already carries. */
export function issueProblems(seen: Observation, explained: ReadonlySet<string>): Problem[] {
  return groupIssues(
    seen.issues.filter((issue) => !explained.has(issue.id)),
    seen.entities,
  ).map((group) => ({ key: messageKey(group.message), rule: 'issue', message: group.message, entities: group.entities }));
}
