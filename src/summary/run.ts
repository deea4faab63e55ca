import type { WebClient } from '@slack/web-api';
import { summaryMessage } from '../../blocks/summary';
import { mapLimit } from '../concurrency';
import type { SummarySettings } from '../config';
import { statsWindow } from '../digest/window';
import type { Logger } from '../logger';
import type { SummaryAccount } from './account';
import { accountLine } from './line';

/** Accounts read at once: each costs two list calls to its own Whop key, so a few at a time is quick and gentle. */
const ACCOUNT_CONCURRENCY = 4;

export interface SummaryJobDeps {
  accounts: readonly SummaryAccount[];
  /** Marks its posts on the sandbox, as the digests' client does (sandboxClient). */
  slack: WebClient;
  /** The workspace's address (auth.test's url), for links to each account's digest message. */
  workspaceUrl: string | null;
  timeZone: string;
  sandbox: boolean;
  now: () => Date;
  log: Logger;
}

/** The accounts a summary entry lists: those it names (the config refused unknown names), or every account. */
const chosenAccounts = (deps: SummaryJobDeps, entry: SummarySettings): readonly SummaryAccount[] =>
  entry.accounts ? deps.accounts.filter((a) => entry.accounts?.includes(a.name)) : deps.accounts;

/**
 * One fire of a summary entry: every chosen account's line over the window, then one post. An account Whop does not
 * answer for is a line saying so; Slack failures are thrown, for the scheduler to log.
 */
export async function runSummary(deps: SummaryJobDeps, entry: SummarySettings): Promise<{ channel: string; ts: string }> {
  const now = deps.now();
  const window = statsWindow(entry.window, now, deps.timeZone);
  const lines = await mapLimit(chosenAccounts(deps, entry), ACCOUNT_CONCURRENCY, (account) => accountLine(account, window, deps.workspaceUrl));
  const message = summaryMessage({ window: { name: window.name, from: window.from, to: window.to, timeZone: deps.timeZone }, lines, sandbox: deps.sandbox }, now);
  const posted = await deps.slack.chat.postMessage({ channel: entry.channel, text: message.text, blocks: message.blocks });
  // biome-ignore lint/style/noNonNullAssertion: an ok chat.postMessage always answers with the new message's ts (the WebClient throws when ok is false)
  const ts = posted.ts!;
  const failed = lines.filter((l) => !l.ok).map((l) => l.name);
  deps.log.info({ channel: entry.channel, ts, accounts: lines.length, failed }, 'summary posted');
  return { channel: entry.channel, ts };
}
