import type { WebClient } from '@slack/web-api';
import type { Settings } from '../config';
import { type Currency, currencyOf } from '../currency';
import type { Logger } from '../logger';
import type { AdsGateway } from '../whop/gateway';

/** What the last setup check found: problems in plain words, channel names, whether Whop answers with the key. */
export interface SetupReport {
  checkedAt: Date;
  problems: string[];
  channelNames: ReadonlyMap<string, string>;
  whop: { reachable: boolean; since: Date; reason: string | null; currency: Currency | null };
}

export interface SetupCheck {
  /** Checks everything now; never throws. */
  run(): Promise<SetupReport>;
  /** The last report; the first check's, waited for, when none has finished yet. */
  latest(): Promise<SetupReport>;
  /** The last report at once, if any: for a form that must open within 3 seconds. */
  current(): SetupReport | undefined;
  /** Resolves when no check is under way. */
  idle(): Promise<void>;
}

export interface SetupCheckDeps {
  settings: Pick<Settings, 'digests' | 'alerts' | 'summaries' | 'access' | 'timezone'>;
  client: WebClient;
  gateway: AdsGateway;
  now: () => Date;
  log: Logger;
}

const errorCode = (err: unknown): string => (err as { data?: { error?: string } }).data?.error ?? (err as Error).message;

const SCOPE_HINT = 'the app lacks a scope: reinstall it from the manifest (channels:read, groups:read, channels:join)';

/** Where each configured channel is used, for the problem line: "digest, alerts". */
function channelUses(settings: SetupCheckDeps['settings']): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const add = (channel: string, use: string) => uses.set(channel, [...new Set([...(uses.get(channel) ?? []), use])]);
  for (const d of settings.digests) add(d.channel, 'digest');
  for (const a of settings.alerts) add(a.channel, 'alerts');
  for (const s of settings.summaries) add(s.channel, 'summary');
  return uses;
}

/**
 * Every configured channel exists and the bot is in it (a public one it joins itself), every operator and user
 * group exists, Whop answers with the key. Each problem is one warning line in the log and one line on App Home.
 */
export function createSetupCheck(deps: SetupCheckDeps): SetupCheck {
  const { client, log, settings } = deps;
  let last: SetupReport | undefined;
  let running: Promise<SetupReport> | undefined;

  const checkChannel = async (channel: string, uses: string[], names: Map<string, string>): Promise<string | null> => {
    const where = `${channel} (${uses.join(', ')})`;
    let info: Awaited<ReturnType<WebClient['conversations']['info']>>;
    try {
      info = await client.conversations.info({ channel });
    } catch (err) {
      const code = errorCode(err);
      // Slack answers so for a private channel the bot is not in, too: it cannot see those.
      if (code === 'channel_not_found') return `Channel ${where} was not found: check its id in ads-bot.yml; if it is private, invite me with /invite @Whop Ads.`;
      if (code === 'missing_scope') return `Cannot check channel ${where}: ${SCOPE_HINT}.`;
      return `Cannot check channel ${where} (${code}): I may not be able to post there.`;
    }
    const c = info.channel;
    if (c?.name) names.set(channel, c.name);
    if (c?.is_archived) return `Channel ${where} is archived: pick another one in ads-bot.yml.`;
    // A direct message with someone: the bot is always in it.
    if (c?.is_member || c?.is_im) return null;
    try {
      await client.conversations.join({ channel });
      log.info({ channel }, 'setup check: joined a configured public channel');
      return null;
    } catch (err) {
      return `I am not in channel ${where} and cannot join it (${errorCode(err)}): invite me with /invite @Whop Ads.`;
    }
  };

  const checkOperator = async (id: string): Promise<string | null> => {
    try {
      if (id.startsWith('S')) {
        await client.usergroups.users.list({ usergroup: id });
        return null;
      }
      const { user } = await client.users.info({ user: id });
      return user?.deleted ? `Operator ${id} is deactivated in Slack: remove them from access.operators.` : null;
    } catch (err) {
      const code = errorCode(err);
      if (code === 'no_such_subteam') return `User group ${id} in access.operators does not exist: check its id (S…).`;
      if (code === 'user_not_found') return `Operator ${id} in access.operators is not a user of this workspace: check the id.`;
      return `Cannot check operator ${id} (${code}).`;
    }
  };

  const checkWhop = async (now: Date): Promise<SetupReport['whop']> => {
    const answer = await deps.gateway.campaigns({ from: new Date(now.getTime() - 3_600_000), to: now, timeZone: settings.timezone });
    const previous = last?.whop;
    const reachable = answer.ok;
    const since = previous && previous.reachable === reachable ? previous.since : now;
    if (!answer.ok) return { reachable, since, reason: answer.error.message, currency: previous?.currency ?? null };
    const currency = answer.value.map((c) => currencyOf(c.spend_currency)).find((c) => c !== null) ?? null;
    return { reachable, since, reason: null, currency };
  };

  const check = async (): Promise<SetupReport> => {
    const now = deps.now();
    const names = new Map<string, string>();
    const [channels, operators, whop] = await Promise.all([
      Promise.all([...channelUses(settings)].map(([channel, uses]) => checkChannel(channel, uses, names))),
      Promise.all(settings.access.operators.map(checkOperator)),
      checkWhop(now),
    ]);
    const problems = [...channels, ...operators].filter((p): p is string => p !== null);
    if (!whop.reachable) problems.push(`Whop does not answer with the API key: ${whop.reason ?? 'no reason given'}.`);
    for (const problem of problems) log.warn({ check: 'setup' }, `setup check: ${problem}`);
    log.info({ problems: problems.length }, 'setup check done');
    return { checkedAt: now, problems, channelNames: names, whop };
  };

  const run = (): Promise<SetupReport> => {
    running ??= check()
      .catch((err: unknown): SetupReport => {
        log.error({ err }, 'setup check failed');
        return (
          last ?? {
            checkedAt: deps.now(),
            problems: ['The setup check itself failed: see the log.'],
            channelNames: new Map(),
            whop: { reachable: false, since: deps.now(), reason: null, currency: null },
          }
        );
      })
      .then((report) => {
        last = report;
        running = undefined;
        return report;
      });
    return running;
  };

  return {
    run,
    latest: () => (last ? Promise.resolve(last) : run()),
    current: () => last,
    idle: async () => {
      await running;
    },
  };
}
