import type { AdGroupRow, DigestView } from '../../blocks/digest';
import { mapLimit } from '../concurrency';
import type { DigestSettings } from '../config';
import { type Currency, currencyOf } from '../currency';
import type { EntityRef } from '../model';
import type { AdsGateway } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import type { AdCampaign, AdGroup } from '../whop/types';
import { groupIssues, type OpenIssue, openIssues } from './issues';
import { campaignTotals } from './totals';
import { type StatsWindow, statsWindow } from './window';

/** How many lookups the digest keeps in flight at once: fast for big accounts, gentle on Whop's rate limit. */
export const LOOKUP_CONCURRENCY = 8;

export interface DigestRequest {
  digest: Pick<DigestSettings, 'window' | 'campaigns' | 'top'>;
  timeZone: string;
  now: Date;
  sandbox: boolean;
}

const campaignRef = (c: AdCampaign): EntityRef => ({ kind: 'ad_campaign', id: c.id, title: c.title, status: c.status });
const adGroupRef = (g: AdGroup): EntityRef => ({ kind: 'ad_group', id: g.id, title: g.title, status: g.status });

function adGroupRow(group: AdGroup, campaigns: ReadonlyMap<string, AdCampaign>): AdGroupRow {
  return {
    kind: 'ad_group',
    id: group.id,
    title: group.title,
    status: group.status,
    campaignTitle: campaigns.get(group.ad_campaign.id)?.title ?? null,
    spend: group.spend,
    results: group.results,
    // Only where results were attributed: with none, Whop's cost per result says nothing.
    costPerResult: group.results ? group.cost_per_result : null,
  };
}

/**
 * Looks up what the issues name but the digest has not fetched yet, for titles and current status
 * (the row's button depends on it). An item deleted since is named by its id.
 */
export async function issueEntities(gateway: AdsGateway, issues: readonly OpenIssue[], known: Map<string, EntityRef>): Promise<WhopResult<Map<string, EntityRef>>> {
  const missing = [...new Map(issues.flatMap((i) => (i.resource_id && !known.has(i.resource_id) ? [[i.resource_id, i.resource_type] as const] : [])))];
  const found = await mapLimit(missing, LOOKUP_CONCURRENCY, async ([id, kind]) => {
    if (kind === 'ad') {
      const ad = await gateway.ad(id);
      return ad.ok ? { ok: true as const, value: { kind, id, title: ad.value.title, status: ad.value.status } } : ad;
    }
    if (kind === 'ad_group') {
      const group = await gateway.adGroup(id);
      return group.ok ? { ok: true as const, value: adGroupRef(group.value) } : group;
    }
    return { ok: true as const, value: { kind, id, title: null, status: 'unknown' } };
  });
  for (const result of found) {
    if (result.ok) known.set(result.value.id, result.value);
    else if (result.error.kind !== 'not_found') return result;
  }
  return { ok: true, value: known };
}

/** What one digest fetched from Whop: the campaigns over the window and the one before, the top ad groups, and what the issues name. */
export interface DigestData {
  current: readonly AdCampaign[];
  previous: readonly AdCampaign[];
  top: readonly AdGroup[];
  entities: ReadonlyMap<string, EntityRef>;
}

/** The account's currency: the first spend currency Whop names; null when none does. */
export const spendCurrency = (items: readonly Pick<AdCampaign | AdGroup, 'spend_currency'>[]): Currency | null =>
  items.map((c) => currencyOf(c.spend_currency)).find((c) => c !== null) ?? null;

/** The campaigns over a window and over the one before it: what the totals and their changes are worked out from. */
export async function campaignsAndBefore(gateway: AdsGateway, window: StatsWindow): Promise<WhopResult<Pick<DigestData, 'current' | 'previous'>>> {
  const { timeZone } = window;
  const [current, previous] = await Promise.all([gateway.campaigns({ ...window, timeZone }), gateway.campaigns({ ...window.previous, timeZone })]);
  if (!current.ok) return current;
  if (!previous.ok) return previous;
  return { ok: true, value: { current: current.value, previous: previous.value } };
}

const chosen = (digest: DigestRequest['digest'], list: readonly AdCampaign[]) => (digest.campaigns.length === 0 ? list : list.filter((c) => digest.campaigns.includes(c.id)));

/** Shapes what was fetched for the view, with no call to anyone: any data Whop can send goes through here. */
export function digestView(request: DigestRequest, data: DigestData): DigestView {
  const { digest, timeZone, now } = request;
  const window = statsWindow(digest.window, now, timeZone);
  const campaigns = chosen(digest, data.current);
  const byId = new Map(campaigns.map((c) => [c.id, c]));
  return {
    window: { name: window.name, from: window.from, to: window.to, timeZone },
    currency: spendCurrency([...campaigns, ...data.top]),
    totals: campaignTotals(campaigns),
    previous: campaignTotals(chosen(digest, data.previous)),
    topAdGroups: data.top.filter((g) => g.spend > 0).map((g) => adGroupRow(g, byId)),
    issues: groupIssues(openIssues(campaigns), data.entities),
    sandbox: request.sandbox,
  };
}

/** Fetches what one digest needs from Whop and shapes it for the view; nothing partial on failure. */
export async function buildDigest(gateway: AdsGateway, request: DigestRequest): Promise<WhopResult<DigestView>> {
  const { digest, timeZone, now } = request;
  const window = statsWindow(digest.window, now, timeZone);
  const [windows, top] = await Promise.all([campaignsAndBefore(gateway, window), gateway.topAdGroups({ ...window, timeZone }, digest.top, digest.campaigns)]);
  if (!windows.ok) return windows;
  if (!top.ok) return top;

  const { current, previous } = windows.value;
  const campaigns = chosen(digest, current);
  const known = new Map<string, EntityRef>([...campaigns.map((c) => [c.id, campaignRef(c)] as const), ...top.value.map((g) => [g.id, adGroupRef(g)] as const)]);
  const entities = await issueEntities(gateway, openIssues(campaigns), known);
  if (!entities.ok) return entities;
  return { ok: true, value: digestView(request, { current, previous, top: top.value, entities: entities.value }) };
}
