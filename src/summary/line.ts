import type { Currency } from '../currency';
import { campaignsAndBefore, spendCurrency } from '../digest/build';
import { groupIssues, issueCount, openIssues } from '../digest/issues';
import { campaignTotals } from '../digest/totals';
import type { StatsWindow } from '../digest/window';
import { messageLink } from '../home/summary';
import type { WhopFailure } from '../whop/result';
import type { AdCampaign } from '../whop/types';
import type { SummaryAccount } from './account';

/** What one account's line compares: the digest's totals, three of them. */
export interface AccountFigures {
  spend: number;
  roas: number | null;
  results: number | null;
}

/** Where an account's line points: its latest digest message, or the channel its digests go to. */
export type DigestLink = { kind: 'message'; url: string } | { kind: 'channel'; channel: string } | null;

interface LineBase {
  name: string;
  openAlerts: number;
  digest: DigestLink;
}

/** One account in the summary: its figures over the window and the one before, or why Whop gave none. */
export type AccountLine =
  | (LineBase & { ok: true; currency: Currency | null; current: AccountFigures; previous: AccountFigures; openIssues: number })
  | (LineBase & { ok: false; failure: Pick<WhopFailure, 'kind' | 'message'> });

const figures = (campaigns: readonly AdCampaign[]): AccountFigures => {
  const { spend, roas, results } = campaignTotals(campaigns);
  return { spend, roas, results };
};

async function digestLink(account: SummaryAccount, workspaceUrl: string | null): Promise<DigestLink> {
  const latest = await account.latestDigest();
  const url = latest ? messageLink(workspaceUrl, latest.channel, latest.ts) : null;
  if (url) return { kind: 'message', url };
  const channel = latest?.channel ?? account.digestChannel;
  return channel ? { kind: 'channel', channel } : null;
}

/** Reads one account's line; a Whop failure becomes a line saying so, never a summary that does not post. */
export async function accountLine(account: SummaryAccount, window: StatsWindow, workspaceUrl: string | null): Promise<AccountLine> {
  const [campaigns, openAlerts, digest] = await Promise.all([campaignsAndBefore(account.gateway, window), account.openAlerts(), digestLink(account, workspaceUrl)]);
  const base = { name: account.shownName, openAlerts, digest };
  if (!campaigns.ok) return { ...base, ok: false, failure: campaigns.error };
  const { current, previous } = campaigns.value;
  return {
    ...base,
    ok: true,
    currency: spendCurrency(current),
    current: figures(current),
    previous: figures(previous),
    // Counted as the digest counts them; the titles it looks up do not change the count.
    openIssues: issueCount(groupIssues(openIssues(current), new Map())),
  };
}
