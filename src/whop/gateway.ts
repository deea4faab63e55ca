import Whop from '@whop/sdk';
import type { FinancialActivityListResponse } from '@whop/sdk/resources/financial-activity';
import type { TimeRange } from '../digest/window';
import { AccountScope, type ScopedKind } from './account-scope';
import { WHOP_API_VERSION } from './api-version';
import { ReportCache } from './report-cache';
import { attempt, type WhopResult } from './result';
import type { Ad, AdCampaign, AdGroup, AdReportRetrieveParams, ReportRow } from './types';

/** The largest page Whop serves: fewer round trips for a big account. */
const PAGE_SIZE = 100;
/** Whop's limit on the ids one report may be scoped to (AdReportRetrieveParams.ad_campaign_ids). */
const REPORT_IDS = 100;

export interface StatsRange extends TimeRange {
  timeZone: string;
}

/** A report range; `final`: its hours are settled and will not change, so an answer may be kept and reused. */
export interface ReportRange extends TimeRange {
  final?: boolean;
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
  setDelivery(kind: 'ad' | 'ad_group', id: string, verb: 'pause' | 'unpause', idempotencyKey: string): Promise<WhopResult<Ad | AdGroup>>;
  /** Asks Whop to charge again for a campaign whose payment failed; the key makes a repeated request charge once. */
  retryPayment(campaignId: string, idempotencyKey: string): Promise<WhopResult<AdCampaign>>;
  /**
   * Every ad group's hourly buckets over each range [from, to), one list of rows per range, in the order given.
   * One report request per range (per 100 campaigns without WHOP_COMPANY_ID), all at once; a `final` range asked
   * for before is answered from the gateway's cache of past days, without a request.
   */
  hourlyReport(ranges: readonly ReportRange[]): Promise<WhopResult<ReportRow[][]>>;
  /**
   * Each campaign's buckets over [from, to) at one grain, on the account's reporting clock; only the campaigns given,
   * or all. One report request per scope (per 100 campaigns without WHOP_COMPANY_ID, after listing them).
   */
  campaignReport(range: TimeRange, granularity: 'daily' | 'hourly', campaignIds: readonly string[]): Promise<WhopResult<ReportRow[]>>;
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
const hasNextPage = (page: { page_info: object }) => (page.page_info as Partial<FinancialActivityListResponse.PageInfo>).has_next_page === true;

const chunks = <T>(items: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of pages) items.push(item);
  return items;
}

/**
 * With `accountId` (WHOP_COMPANY_ID) everything stays inside that account: lists pass it as account_id, and
 * what is read or changed by id must belong to it (account-scope.ts), else it is answered as an unknown id.
 */
export function createAdsGateway(client: Whop, options: { accountId?: string; clock?: () => number; reportCache?: ReportCache } = {}): AdsGateway {
  const reportCache = options.reportCache ?? new ReportCache();
  const account = options.accountId ? { account_id: options.accountId } : {};
  const scope = options.accountId ? new AccountScope(client, options.accountId, options.clock) : null;
  const adGroup = async (id: string, range?: StatsRange) => {
    const group = await client.adGroups.retrieve(id, range ? statsParams(range) : {});
    return scope ? scope.confirm('ad_group', group, group.ad_campaign.id) : group;
  };
  const ad = async (id: string) => {
    const found = await client.ads.retrieve(id);
    return scope ? scope.confirm('ad', found, found.ad_campaign.id) : found;
  };
  /** A write by id, once the item is known to be the account's; a failed check wrote nothing, so it is never unsure. */
  const write = async <T>(kind: ScopedKind, id: string, call: () => Promise<T>): Promise<WhopResult<T>> => {
    if (scope) {
      const member = await attempt(() => scope.confirmId(kind, id));
      if (!member.ok) return { ok: false, error: { ...member.error, unsure: false } };
    }
    return attempt(call);
  };

  const topInCampaign = (range: StatsRange, limit: number, campaignId?: string) =>
    client.adGroups.list({
      ...account,
      ...statsParams(range),
      ...(campaignId ? { ad_campaign_id: campaignId } : {}),
      order: 'spend',
      direction: 'desc',
      first: limit,
    });

  /**
   * Whop scopes a report by company_id, or by ids. With WHOP_COMPANY_ID the company is known; without it, the key's
   * own account is what lists show, so its campaigns (listed once per call) scope the report, 100 to a request.
   */
  const reportScopes = async (): Promise<Pick<AdReportRetrieveParams, 'company_id' | 'ad_campaign_ids'>[]> => {
    if (options.accountId) return [{ company_id: options.accountId }];
    const ids: string[] = [];
    // Paged by hand: the SDK's iterator asks for a further, empty page after the last (see hasNextPage).
    for (let after: string | undefined; ; ) {
      const page = await client.adCampaigns.list({ first: PAGE_SIZE, ...(after ? { after } : {}) });
      ids.push(...page.data.map((c) => c.id));
      after = page.page_info.end_cursor ?? undefined;
      if (!hasNextPage(page) || !after) break;
    }
    return chunks(ids, REPORT_IDS).map((chunk) => ({ ad_campaign_ids: chunk }));
  };

  /** The rows of one report per scope over [from, to), side by side; `final`: a past day's, kept and read again from the cache. */
  const reportRows = async (
    scopes: Awaited<ReturnType<typeof reportScopes>>,
    range: TimeRange,
    breakdown: 'ad_group' | 'campaign',
    granularity: 'daily' | 'hourly',
    final = false,
  ): Promise<ReportRow[]> => {
    // Whop's `to` is inclusive: the last millisecond of the range keeps the next bucket out.
    const window = { from: range.from.toISOString(), to: new Date(range.to.getTime() - 1).toISOString() };
    const reports = await Promise.all(
      scopes.map(async (scope) => {
        // The scope is in the key: the same day of another account, or of other campaigns, is another report.
        const key = JSON.stringify([scope, window, breakdown, granularity]);
        const kept = final ? reportCache.get(key) : undefined;
        if (kept) return kept;
        const rows = (await client.adReports.retrieve({ ...scope, ...window, breakdown, granularity })).breakdown ?? [];
        if (final) reportCache.set(key, rows);
        return rows;
      }),
    );
    return reports.flat();
  };

  return {
    hourlyReport: (ranges) =>
      attempt(async () => {
        const scopes = await reportScopes();
        return Promise.all(ranges.map((range) => reportRows(scopes, range, 'ad_group', 'hourly', range.final)));
      }),

    campaignReport: (range, granularity, campaignIds) =>
      attempt(async () => {
        // Named campaigns scope the report themselves, unless the company does it in one request.
        const scopes = campaignIds.length === 0 || options.accountId ? await reportScopes() : chunks(campaignIds, REPORT_IDS).map((chunk) => ({ ad_campaign_ids: chunk }));
        const rows = await reportRows(scopes, range, 'campaign', granularity);
        return campaignIds.length === 0 ? rows : rows.filter((row) => campaignIds.includes(row.id));
      }),

    campaigns: (range) => attempt(() => collect(client.adCampaigns.list({ ...account, ...statsParams(range), first: PAGE_SIZE }))),

    topAdGroups: (range, limit, campaignIds) =>
      attempt(async () => {
        if (campaignIds.length === 0) return (await topInCampaign(range, limit)).data;
        const perCampaign = await Promise.all(campaignIds.map(async (id) => (await topInCampaign(range, limit, id)).data));
        return perCampaign
          .flat()
          .sort((a, b) => b.spend - a.spend)
          .slice(0, limit);
      }),

    adGroups: (range, status) => attempt(() => collect(client.adGroups.list({ ...account, ...statsParams(range), ...(status ? { status } : {}), first: PAGE_SIZE }))),
    adsWithStatus: (status) => attempt(() => collect(client.ads.list({ ...account, status, first: PAGE_SIZE }))),
    adGroup: (id, range) => attempt(() => adGroup(id, range)),
    campaign: (id) =>
      attempt(async () => {
        const campaign = await client.adCampaigns.retrieve(id);
        return scope ? scope.confirm('ad_campaign', campaign, campaign.id) : campaign;
      }),
    searchAdGroups: (query, limit) =>
      attempt(async () => {
        const page = await client.adGroups.list({ ...account, query, first: limit });
        return { groups: page.data, more: hasNextPage(page) };
      }),
    setBudget: (id, amount) => write('ad_group', id, () => client.adGroups.update(id, { budget_amount: amount })),
    ad: (id) => attempt(() => ad(id)),
    setDelivery: (kind, id, verb, idempotencyKey) =>
      write<Ad | AdGroup>(kind, id, () => {
        const key = { 'Idempotency-Key': idempotencyKey };
        return kind === 'ad' ? client.ads[verb](id, key) : client.adGroups[verb](id, key);
      }),
    retryPayment: (campaignId, idempotencyKey) => write('ad_campaign', campaignId, () => client.adCampaigns.retryPayment(campaignId, { 'Idempotency-Key': idempotencyKey })),
  };
}
