import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';

/** Who sent a request, read from the request itself. */
export interface Requester {
  userId: string;
  teamId: string | null;
  enterpriseId: string | null;
}

export type Refusal = 'other_workspace' | 'guest' | 'not_operator';

export interface Authz {
  /** May this person change ads? Asked at every step, never carried over from an earlier step's answer. */
  check(who: Requester): Promise<{ ok: true } | { ok: false; reason: Refusal }>;
  mayAct(userId: string): Promise<boolean>;
  /** Who to ask instead, as Slack mentions. */
  operatorsMention(): string;
}

const GROUP_TTL_MS = 60_000;

/**
 * Operators are user ids and user-group ids; group members are fetched from Slack and kept for a
 * minute, so a click costs no extra call while membership changes still show up quickly.
 */
export function createAuthz(operators: readonly string[], client: WebClient, log: Logger, now = () => Date.now()): Authz {
  const groups = operators.filter((id) => id.startsWith('S'));
  // Everything else is a user: U… ids, and W… ids on Enterprise Grid.
  const users = new Set(operators.filter((id) => !id.startsWith('S')));
  const cache = new Map<string, { members: Set<string>; until: number }>();

  const members = async (group: string): Promise<Set<string>> => {
    const cached = cache.get(group);
    if (cached && cached.until > now()) return cached.members;
    try {
      const answer = await client.usergroups.users.list({ usergroup: group });
      const set = new Set(answer.users ?? []);
      cache.set(group, { members: set, until: now() + GROUP_TTL_MS });
      return set;
    } catch (err) {
      // Refusing is the safe answer when Slack cannot tell us who is in the group.
      log.warn({ err, group }, 'could not read user group members');
      return new Set();
    }
  };

  const mayAct = async (userId: string) => {
    if (operators.length === 0 || users.has(userId)) return true;
    for (const group of groups) if ((await members(group)).has(userId)) return true;
    return false;
  };
  return {
    check: async (who) => ((await mayAct(who.userId)) ? { ok: true } : { ok: false, reason: 'not_operator' }),
    mayAct,
    operatorsMention: () => operators.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(', '),
  };
}
