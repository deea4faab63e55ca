import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';

/** Who sent a request, read from the request itself (see requester.ts), never from a button value or metadata. */
export interface Requester {
  userId: string;
  /** The workspace the request came from (`team.id`, `team_id`). */
  teamId: string | null;
  /** The Enterprise Grid organisation it came from (`enterprise.id`, `team.enterprise_id`, `enterprise_id`). */
  enterpriseId: string | null;
  /**
   * The person's own workspace as Slack reports it (`user.team_id`): in a Slack Connect channel, the other
   * organisation's; on Enterprise Grid, the organisation's E… id. Null where the payload has none (slash commands).
   */
  userTeamId: string | null;
}

/** The workspace (and Enterprise Grid organisation) the bot is installed in, as `auth.test` says at start. */
export interface SlackHome {
  teamId: string;
  enterpriseId: string | null;
}

/**
 * Why someone may not act. `unverified`: Slack could not tell whether the person is a guest (users.info failed),
 * so the bot refuses rather than guess.
 */
export type Refusal = 'other_workspace' | 'guest' | 'not_operator' | 'unverified';

export type Verdict = { ok: true } | { ok: false; reason: Refusal };

export interface Authz {
  /** May this person change ads? Asked at every step, never cached from an earlier step's answer. */
  check(who: Requester): Promise<Verdict>;
  /** Who to ask instead, as Slack mentions; empty when `access.operators` is. */
  operatorsMention(): string;
}

/** What a refusal is recorded as in the audit log. */
export const REFUSAL_DETAIL: Record<Refusal, string> = {
  other_workspace: 'from another Slack workspace or organisation',
  guest: 'a guest not listed by id in access.operators',
  not_operator: 'not an operator',
  unverified: 'Slack could not say who this is (users.info failed)',
};

/** Group members and user profiles are kept this long: a click costs no extra call, changes still show up quickly. */
const CACHE_TTL_MS = 60_000;

interface Profile {
  guest: boolean;
  teamId: string | null;
  enterpriseId: string | null;
}

export interface AuthzOptions {
  /** `access.operators`: user ids (U…, W…) and user-group ids (S…). */
  operators: readonly string[];
  home: SlackHome;
  client: WebClient;
  log: Logger;
  now?: () => number;
}

/**
 * Only people of the bot's own workspace may act. Guests (single- and multi-channel) only when their own user
 * id is in `access.operators`: not through a user group, nor through an empty list meaning everyone. With
 * operators set, everyone else must be listed or in a listed user group.
 */
export function createAuthz({ operators, home, client, log, now = () => Date.now() }: AuthzOptions): Authz {
  const groups = operators.filter((id) => id.startsWith('S'));
  // Everything else is a user: U… ids, and W… ids on Enterprise Grid.
  const users = new Set(operators.filter((id) => !id.startsWith('S')));
  // On Enterprise Grid, Slack reports a person's team as the organisation's id (user.team_id, users.info).
  const ours = new Set([home.teamId, ...(home.enterpriseId ? [home.enterpriseId] : [])]);
  const groupCache = new Map<string, { members: Set<string>; until: number }>();
  const profileCache = new Map<string, { profile: Profile; until: number }>();

  const members = async (group: string): Promise<Set<string>> => {
    const cached = groupCache.get(group);
    if (cached && cached.until > now()) return cached.members;
    try {
      const answer = await client.usergroups.users.list({ usergroup: group });
      const set = new Set(answer.users ?? []);
      groupCache.set(group, { members: set, until: now() + CACHE_TTL_MS });
      return set;
    } catch (err) {
      // Refusing is the safe answer when Slack cannot tell us who is in the group.
      log.warn({ err, group }, 'could not read user group members');
      return new Set();
    }
  };

  const inAGroup = async (userId: string) => {
    for (const group of groups) if ((await members(group)).has(userId)) return true;
    return false;
  };

  /** The person as Slack knows them; null when Slack could not say (not cached, so the next click asks again). */
  const profile = async (userId: string): Promise<Profile | null> => {
    const cached = profileCache.get(userId);
    if (cached && cached.until > now()) return cached.profile;
    try {
      const { user } = await client.users.info({ user: userId });
      const found: Profile = {
        guest: user?.is_restricted === true || user?.is_ultra_restricted === true,
        teamId: user?.team_id ?? null,
        enterpriseId: user?.enterprise_user?.enterprise_id ?? null,
      };
      profileCache.set(userId, { profile: found, until: now() + CACHE_TTL_MS });
      return found;
    } catch (err) {
      log.warn({ err, user: userId }, 'could not read the user from Slack (users.info); refusing the action');
      return null;
    }
  };

  const fromHome = (who: Requester) => who.teamId === home.teamId && who.enterpriseId === home.enterpriseId && (who.userTeamId === null || ours.has(who.userTeamId));

  // users.info as a second opinion: a person of another organisation keeps their own team there.
  const profileFromHome = (p: Profile) => (p.teamId !== null && ours.has(p.teamId)) || (home.enterpriseId !== null && p.enterpriseId === home.enterpriseId);

  return {
    check: async (who) => {
      if (!fromHome(who)) return { ok: false, reason: 'other_workspace' };
      // Listed by their own id: guest or not, this person may act.
      if (users.has(who.userId)) return { ok: true };
      if (operators.length > 0 && !(await inAGroup(who.userId))) return { ok: false, reason: 'not_operator' };
      const p = await profile(who.userId);
      if (!p) return { ok: false, reason: 'unverified' };
      if (!profileFromHome(p)) return { ok: false, reason: 'other_workspace' };
      return p.guest ? { ok: false, reason: 'guest' } : { ok: true };
    },
    operatorsMention: () => operators.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(', '),
  };
}

/**
 * The one start-up warning when anyone in the workspace may change real ads; null when operators are set or the
 * ads are the sandbox's.
 */
export function everyoneMayActWarning(operators: readonly string[], sandbox: boolean): string | null {
  if (sandbox || operators.length > 0) return null;
  return (
    'access.operators is empty: every member of this Slack workspace (not guests, not people of other organisations) ' +
    'may pause, unpause and change budgets of your Whop ads. To choose who may, list their user ids (U…, W…) ' +
    'or user-group ids (S…) under access.operators in ads-bot.yml and restart the bot.'
  );
}
