import type { AccountContext } from '../accounts/context';
import { shownName } from '../accounts/shown-name';
import { digestJobKey } from '../home/jobs';
import type { PostedMessage } from '../model';
import type { AccountStore } from '../store/types';
import type { SummaryAccount } from './account';

/** The parts of an account the summary reads: its gateway, its digests and alert checks, and its runs and alerts. */
export type SummarySource = Pick<AccountContext, 'name' | 'companyId' | 'gateway' | 'digests' | 'alerts'> & { store: Pick<AccountStore, 'alerts' | 'runs'> };

const unique = (values: readonly string[]) => [...new Set(values)];

/**
 * The account's latest digest: of its scheduled digests' last runs, the newest that posted one (a run keeps the ts it
 * posted, JobRun.messageTs). A run that failed since keeps none: the summary then names the channel, no error.
 */
async function latestDigest(account: SummarySource): Promise<PostedMessage | null> {
  const channelOf = new Map(account.digests.map((d) => [digestJobKey(d), d.channel]));
  const runs = await account.store.runs.last([...channelOf.keys()]);
  let latest: { channel: string; ts: string; at: Date } | null = null;
  for (const run of runs.values()) {
    const channel = channelOf.get(run.job);
    if (channel && run.messageTs && (!latest || run.finishedAt > latest.at)) latest = { channel, ts: run.messageTs, at: run.finishedAt };
  }
  return latest && { channel: latest.channel, ts: latest.ts };
}

/** One account as the summary reads it: from Whop through its gateway, and from its own part of the bot's state. */
export function summaryAccountOf(account: SummarySource): SummaryAccount {
  const alertChannels = unique(account.alerts.map((a) => a.channel));
  return {
    name: account.name,
    shownName: shownName(account),
    gateway: account.gateway,
    openAlerts: async () => (await Promise.all(alertChannels.map((channel) => account.store.alerts.open(channel)))).reduce((n, open) => n + open.length, 0),
    latestDigest: () => latestDigest(account),
    digestChannel: account.digests[0]?.channel ?? null,
  };
}
