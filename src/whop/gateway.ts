import Whop from '@whop/sdk';
import type { FinancialActivityListResponse } from '@whop/sdk/resources/financial-activity';
import type { TimeRange } from '../digest/window';
import { WHOP_API_VERSION } from './api-version';
import { type WhopResult, attempt } from './result';
import type { Ad, AdCampaign, AdGroup } from './types';

/** The largest page Whop serves: fewer round trips for a big account. */
const PAGE_SIZE = 100;

export interface StatsRange extends TimeRange {
  timeZone: string;
}

export interface WhopClientOptions {
  apiKey: string;
  baseURL?: string;
  timeoutMs?: number;
  maxRetries?: number;
}

export function createWhopClient(options: WhopClientOptions): Whop {
  return new Whop({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs ?? 15_000,
    maxRetries: options.maxRetries ?? 2,
    version: WHOP_API_VERSION,
    // No Whop webhooks or app features are used; stop the SDK reading unrelated env variables.
    webhookKey: null,
    appID: null,
  });
}

/** The one way the bot talks to Whop: every call returns a WhopResult, never throws a Whop error. */
export interface AdsGateway {
  campaigns(range: StatsRange): Promise<WhopResult<AdCampaign[]>>;
  /** Ad groups ranked by spend over the range; all campaigns, or only those given. */
  topAdGroups(range: StatsRange, limit: number, campaignIds: readonly string[]): Promise<WhopResult<AdGroup[]>>;
  /** Every ad group, with stats over the range; optionally only those with a status. */
  adGroups(range: StatsRange, status?: AdGroup['status']): Promise<WhopResult<AdGroup[]>>;
  /** Every ad with a status (no stats: the checks that list ads need only who they are). */
  adsWithStatus(status: Ad['status']): Promise<WhopResult<Ad[]>>;
  /** One ad group; with a range, its stats over that range. */
  adGroup(id: string, range?: StatsRange): Promise<WhopResult<AdGroup>>;
  campaign(id: string): Promise<WhopResult<AdCampaign>>;
  /** Ad groups whose title or id contains the words, at most one page; `more` when Whop has further pages. */
  searchAdGroups(query: string, limit: number): Promise<WhopResult<{ groups: AdGroup[]; more: boolean }>>;
  setBudget(id: string, amount: number): Promise<WhopResult<AdGroup>>;
  ad(id: string): Promise<WhopResult<Ad>>;
  /** Pauses or resumes delivery; the key makes a repeated request change nothing twice. */
  setDelivery(
    kind: 'ad' | 'ad_group',
    id: string,
    verb: 'pause' | 'unpause',
    idempotencyKey: string,
  ): Promise<WhopResult<Ad | AdGroup>>;
}

const statsParams = (range: StatsRange) => ({
  stats_from: range.from.toISOString(),
  stats_to: range.to.toISOString(),
  time_zone: range.timeZone,
});

/**
 * Whether Whop has a further page. Not the SDK's `hasNextPage()`: that only asks whether end_cursor is set, and
 * Whop sets it on the last page too. The SDK's CursorPage types page_info as `{ end_cursor?: string }` alone;
 * where the SDK spells a page_info out in full (FinancialActivityListResponse.PageInfo), has_next_page is in it.
 */
const hasNextPage = (page: { page_info: object }) =>
  (page.page_info as Partial<FinancialActivityListResponse.PageInfo>).has_next_page === true;

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

export function createAdsGateway(client: Whop, options: { accountId?: string } = {}): AdsGateway {
  const account = options.accountId ? { account_id: options.accountId } : {};

  const topInCampaign = (range: StatsRange, limit: number, campaignId?: string) =>
    client.adGroups.list({
      ...account,
      ...statsParams(range),
      ...(campaignId ? { ad_campaign_id: campaignId } : {}),
      order: 'spend',
      direction: 'desc',
      first: limit,
    });

  return {
    campaigns: (range) =>
      attempt(() => collect(client.adCampaigns.list({ ...account, ...statsParams(range), first: PAGE_SIZE }))),

    topAdGroups: (range, limit, campaignIds) =>
      attempt(async () => {
        if (campaignIds.length === 0) return (await topInCampaign(range, limit)).data;
        const perCampaign = await Promise.all(campaignIds.map(async (id) => (await topInCampaign(range, limit, id)).data));
        return perCampaign
          .flat()
          .sort((a, b) => b.spend - a.spend)
          .slice(0, limit);
      }),

    adGroups: (range, status) =>
      attempt(() => collect(client.adGroups.list({ ...account, ...statsParams(range), ...(status ? { status } : {}), first: PAGE_SIZE }))),
    adsWithStatus: (status) => attempt(() => collect(client.ads.list({ ...account, status, first: PAGE_SIZE }))),
    adGroup: (id, range) => attempt(() => client.adGroups.retrieve(id, range ? statsParams(range) : {})),
    campaign: (id) => attempt(() => client.adCampaigns.retrieve(id)),
    searchAdGroups: (query, limit) =>
      attempt(async () => {
        const page = await client.adGroups.list({ ...account, query, first: limit });
        return { groups: page.data, more: hasNextPage(page) };
      }),
    setBudget: (id, amount) => attempt(() => client.adGroups.update(id, { budget_amount: amount })),
    ad: (id) => attempt(() => client.ads.retrieve(id)),
    setDelivery: (kind, id, verb, idempotencyKey) =>
      attempt<Ad | AdGroup>(() => {
        const key = { 'Idempotency-Key': idempotencyKey };
        return kind === 'ad' ? client.ads[verb](id, key) : client.adGroups[verb](id, key);
      }),
  };
}
