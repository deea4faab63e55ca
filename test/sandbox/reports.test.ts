// GET /ad_reports against the contract @whop/sdk types: every field of the response, every nullable one null
// somewhere, buckets adding up to their summary and to the range stats of the same hours, and Whop's parameter rules.
import Whop, { BadRequestError, NotFoundError, UnprocessableEntityError } from '@whop/sdk';
import type { AdReportRetrieveResponse } from '@whop/sdk/resources/ad-reports';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addIncident, demoAccount, SANDBOX_ACCOUNT_ID, type SandboxServer, scaledAccount, startSandbox } from '../../src/sandbox';
import { WHOP_API_VERSION } from '../../src/whop/api-version';
import { localMinutes } from '../../src/zoned-time';

const API_KEY = 'sandbox_reports_key';
// 10:30 on a Friday in New York, the demo account's reporting zone.
const NOW = new Date('2025-11-28T15:30:00Z');
const ZONE = 'America/New_York';
const DAY = { from: '2025-11-27', to: '2025-11-27' };

let sandbox: SandboxServer;
let client: Whop;
beforeEach(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now: () => NOW }) });
  client = new Whop({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, version: WHOP_API_VERSION });
});
afterEach(() => sandbox.close());

type Summary = AdReportRetrieveResponse.Summary;
type Row = AdReportRetrieveResponse.Breakdown;
type Bucket = AdReportRetrieveResponse.Granularity;

// Records keyed by every field, true where the SDK types it nullable: a field added or dropped fails the type check.
const SUMMARY: Record<keyof Summary, boolean> = {
  click_through_rate: false,
  clicks: false,
  cost_per_click: false,
  cost_per_mille: true,
  cost_per_result: true,
  frequency: true,
  impressions: false,
  reach: false,
  result_count: true,
  result_label_key: true,
  result_label_override: true,
  return_on_ad_spend: true,
  spend: false,
  spend_currency: true,
};
const ROW: Record<keyof Row, boolean> = { id: false, granularity: true, level: false, name: true, summary: false };
const BUCKET: Record<keyof Bucket, boolean> = {
  bucket_start: false,
  clicks: false,
  granularity: false,
  impressions: false,
  reach: false,
  result_count: true,
  result_label_key: true,
  result_label_override: true,
  spend: false,
  spend_currency: false,
  stat_date: false,
  stat_hour: true,
};
const RESPONSE: Record<keyof AdReportRetrieveResponse, boolean> = { breakdown: true, granularity: true, summary: false };

const cents = (n: number) => Math.round(n * 100);
const sum = (items: readonly { spend: number }[]) => items.reduce((s, i) => s + cents(i.spend), 0);

/** Every object's keys are the SDK's; non-nullable fields are never null; each nullable one is null in some object. */
function checkFields<T extends object>(objects: readonly T[], fields: Record<string, boolean>): void {
  const names = Object.keys(fields).sort();
  for (const object of objects) expect(Object.keys(object).sort()).toEqual(names);
  for (const [name, nullable] of Object.entries(fields)) {
    const nulls = objects.filter((o) => (o as Record<string, unknown>)[name] === null).length;
    if (nullable) expect(nulls, `${name} is null somewhere`).toBeGreaterThan(0);
    else expect(nulls, `${name} is never null`).toBe(0);
  }
}

describe('GET /ad_reports: shapes', () => {
  it('every field as the SDK types it, and every nullable field null somewhere', async () => {
    const reports = await Promise.all([
      client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'ad_group', granularity: 'hourly', ...DAY }),
      client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'campaign', granularity: 'daily', from: '2025-11-20', to: '2025-11-27' }),
      client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'ad', ...DAY }),
      client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, ...DAY }),
    ]);
    const rows = reports.flatMap((r) => r.breakdown ?? []);
    const buckets = [...reports.flatMap((r) => r.granularity ?? []), ...rows.flatMap((r) => r.granularity ?? [])];

    checkFields(reports, RESPONSE);
    checkFields(rows, ROW);
    checkFields([...reports.map((r) => r.summary), ...rows.map((r) => r.summary)], SUMMARY);
    checkFields(buckets, BUCKET);
    for (const row of rows) expect(row.level === 'ad_group' || row.level === 'campaign' || row.level === 'ad').toBe(true);
  });

  it('hourly buckets: UTC starts, stat_date at midnight UTC, stat_hour on the reporting clock, no reach, lower-case currency', async () => {
    const report = await client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'ad_group', granularity: 'hourly', ...DAY });
    const hours = report.granularity!;
    expect(hours).toHaveLength(24);
    expect(hours[0]).toMatchObject({ bucket_start: '2025-11-27T05:00:00.000Z', stat_date: '2025-11-27T00:00:00.000Z', stat_hour: 0, granularity: 'hourly' });
    for (const bucket of hours) {
      expect(bucket.bucket_start).toMatch(/^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/);
      expect(bucket.stat_date).toBe('2025-11-27T00:00:00.000Z');
      expect(bucket.stat_hour).toBe(localMinutes(new Date(bucket.bucket_start), ZONE) / 60);
      expect(bucket.reach).toBe(0);
      expect(bucket.spend_currency).toBe('usd');
    }
    // A reach goal has no result count; a purchase goal has one.
    const reach = report.breakdown!.find((r) => r.name === 'Reach – US & CA')!;
    expect(reach.summary).toMatchObject({ result_count: null, result_label_key: 'reach', cost_per_result: null });
    expect(reach.granularity!.every((b) => b.result_count === null)).toBe(true);
    const buyers = report.breakdown!.find((r) => r.name === 'Lookalike 1% – Purchasers')!;
    expect(buyers.summary.result_label_key).toBe('website_purchases');
    expect(buyers.summary.result_count).toBe(buyers.granularity!.reduce((s, b) => s + b.result_count!, 0));
  });

  it('daily buckets: one per day from midnight on the reporting clock (25 hours when DST ends), no stat_hour, each the campaigns’ range stats of that day', async () => {
    const report = await client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'campaign', granularity: 'daily', from: '2025-10-31', to: '2025-11-03' });
    const days = report.granularity!;
    expect(days.map((d) => d.bucket_start)).toEqual(['2025-10-31T04:00:00.000Z', '2025-11-01T04:00:00.000Z', '2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z']);
    for (const d of days) expect(d).toMatchObject({ granularity: 'daily', stat_hour: null, stat_date: `${d.bucket_start.slice(0, 10)}T00:00:00.000Z` });
    expect(days.every((d) => d.reach > 0)).toBe(true);
    const edges = [...days.map((d) => d.bucket_start), '2025-11-04T05:00:00.000Z'];
    for (const [i, d] of days.entries()) {
      const list = await client.adCampaigns.list({ stats_from: edges[i]!, stats_to: edges[i + 1]!, first: 100 });
      // As for hours: each ad rounds once per range in the list, once per running total in the report.
      expect(Math.abs(sum(list.data) - cents(d.spend))).toBeLessThanOrEqual(sandbox.account.ads.length);
      expect(sum(report.breakdown!.map((row) => row.granularity![i]!))).toBe(cents(d.spend));
    }
  });

  it('an account without an hour shape reports days on its reportingTimeZone, else on UTC', async () => {
    for (const [reportingTimeZone, start] of [
      ['America/New_York', '2025-11-20T05:00:00.000Z'],
      [undefined, '2025-11-20T00:00:00.000Z'],
    ] as const) {
      const other = await startSandbox({ apiKey: API_KEY, account: scaledAccount({ adGroups: 2, ads: 2, issues: 0, reportingTimeZone, now: () => NOW }) });
      try {
        const scaled = new Whop({ apiKey: API_KEY, baseURL: other.url, maxRetries: 0, version: WHOP_API_VERSION });
        const report = await scaled.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, granularity: 'daily', from: '2025-11-20', to: '2025-11-20' });
        expect(report.granularity!.map((d) => d.bucket_start)).toEqual([start]);
      } finally {
        await other.close();
      }
    }
  });

  it('evenings spend more than nights: the hours follow the account’s day, and no bucket starts after now', async () => {
    const report = await client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, granularity: 'hourly', from: '2025-11-27', to: '2025-11-28' });
    const byHour = (h: number) => report.granularity!.find((b) => b.stat_hour === h && b.stat_date.startsWith('2025-11-27'))!.spend;
    expect(byHour(20)).toBeGreaterThan(3 * byHour(3));
    expect(Date.parse(report.granularity!.at(-1)!.bucket_start)).toBeLessThanOrEqual(NOW.getTime());
    expect(report.granularity!.at(-1)!.bucket_start).toBe('2025-11-28T15:00:00.000Z');
  });

  it('buckets add up to their summary, rows to the whole, and to the ad groups’ range stats for the same hours', async () => {
    const report = await client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, breakdown: 'ad_group', granularity: 'hourly', ...DAY });
    for (const row of report.breakdown!) expect(sum(row.granularity!)).toBe(cents(row.summary.spend));
    expect(sum(report.breakdown!.map((r) => r.summary))).toBe(cents(report.summary.spend));
    expect(sum(report.granularity!)).toBe(cents(report.summary.spend));

    const window = { stats_from: '2025-11-27T05:00:00Z', stats_to: '2025-11-28T05:00:00Z' };
    for (const row of report.breakdown!.filter((r) => r.summary.spend > 0)) {
      const group = await client.adGroups.retrieve(row.id, window);
      const ads = sandbox.account.ads.filter((ad) => ad.ad_group_id === row.id).length;
      // Each ad rounds once per window in range stats, and once per running total in reports: a cent apart at most.
      expect(Math.abs(cents(group.spend) - cents(row.summary.spend))).toBeLessThanOrEqual(ads);
    }
  });

  it('an incident shows in the report hours it covers and in the range stats alike', async () => {
    const group = sandbox.account.adGroups.find((g) => g.title === 'Lookalike 1% – Purchasers')!;
    const hours = { from: '2025-11-27T14:00:00Z', to: '2025-11-27T15:59:59Z' };
    const before = await client.adReports.retrieve({ ad_group_ids: [group.id], granularity: 'hourly', ...hours });
    addIncident(sandbox.account, { adGroupId: group.id, kind: 'spend_spike', from: new Date('2025-11-27T15:00:00Z'), to: new Date('2025-11-27T16:00:00Z'), factor: 5 });
    const after = await client.adReports.retrieve({ ad_group_ids: [group.id], granularity: 'hourly', ...hours });

    expect(after.granularity![0]!.spend).toBe(before.granularity![0]!.spend);
    expect(after.granularity![1]!.spend).toBeCloseTo(before.granularity![1]!.spend * 5, 1);
    const stats = await client.adGroups.retrieve(group.id, { stats_from: '2025-11-27T15:00:00Z', stats_to: '2025-11-27T16:00:00Z' });
    expect(stats.spend).toBeCloseTo(after.granularity![1]!.spend, 1);
  });

  it('scoped by campaigns, ad groups or ads: only what is inside, summed', async () => {
    const group = sandbox.account.adGroups.find((g) => g.title === 'Broad – US 25-54')!;
    const ads = sandbox.account.ads.filter((a) => a.ad_group_id === group.id);
    const [byGroup, byAds, byCampaign] = await Promise.all([
      client.adReports.retrieve({ ad_group_ids: [group.id], breakdown: 'ad', ...DAY }),
      client.adReports.retrieve({ ad_ids: ads.map((a) => a.id), breakdown: 'ad_group', ...DAY }),
      client.adReports.retrieve({ ad_campaign_ids: [group.ad_campaign_id], breakdown: 'ad_group', ...DAY }),
    ]);
    expect(byGroup.breakdown!.map((r) => r.id).sort()).toEqual(ads.map((a) => a.id).sort());
    expect(byAds.breakdown!.map((r) => r.id)).toEqual([group.id]);
    expect(byAds.summary.spend).toBe(byGroup.summary.spend);
    expect(byCampaign.breakdown!.map((r) => r.id)).toContain(group.id);
    expect(byCampaign.breakdown!.find((r) => r.id === group.id)!.summary.spend).toBe(byGroup.summary.spend);
  });
});

describe('GET /ad_reports: parameters', () => {
  const raw = (query: string) => fetch(`${sandbox.url}/ad_reports?${query}`, { headers: { authorization: `Bearer ${API_KEY}`, 'api-version-date': WHOP_API_VERSION } });

  it('from and to are required dates or timestamps with an offset, from not after to: 400, then 422', async () => {
    await expect(client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, from: '2025-11-27', to: '' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, from: 'yesterday', to: '2025-11-27' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, from: '2025-11-27T10:00:00', to: '2025-11-27' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, from: '2025-02-30', to: '2025-11-27' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.adReports.retrieve({ company_id: SANDBOX_ACCOUNT_ID, from: '2025-11-28', to: '2025-11-27' })).rejects.toBeInstanceOf(UnprocessableEntityError);
  });

  it('exactly one of company_id, ad_campaign_ids, ad_group_ids, ad_ids, with at most 100 ids: 422', async () => {
    const group = sandbox.account.adGroups[0]!;
    await expect(client.adReports.retrieve({ ...DAY })).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(client.adReports.retrieve({ ...DAY, company_id: SANDBOX_ACCOUNT_ID, ad_group_ids: [group.id] })).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(client.adReports.retrieve({ ...DAY, ad_group_ids: Array.from({ length: 101 }, () => group.id) })).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(client.adReports.retrieve({ ...DAY, ad_group_ids: Array.from({ length: 100 }, () => group.id) })).resolves.toMatchObject({ breakdown: null });
  });

  it('unknown ids and companies are 404; unknown values and parameters 400; another currency 422', async () => {
    await expect(client.adReports.retrieve({ ...DAY, ad_ids: ['ad_doesnotexist00'] })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.adReports.retrieve({ ...DAY, company_id: 'biz_SomeoneElse' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.adReports.retrieve({ ...DAY, company_id: SANDBOX_ACCOUNT_ID, granularity: 'yearly' as never })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.adReports.retrieve({ ...DAY, company_id: SANDBOX_ACCOUNT_ID, breakdown: 'creative' as never })).rejects.toBeInstanceOf(BadRequestError);
    await expect(client.adReports.retrieve({ ...DAY, company_id: SANDBOX_ACCOUNT_ID, currency: 'eur' })).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(client.adReports.retrieve({ ...DAY, company_id: SANDBOX_ACCOUNT_ID, currency: 'USD' })).resolves.toBeDefined();

    const unknown = await raw(`company_id=${SANDBOX_ACCOUNT_ID}&from=2025-11-27&to=2025-11-27&time_zone=UTC`);
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: { type: 'bad_request', message: 'Unknown query parameter(s): time_zone' } });
    // Lists come as name[]=…, the SDK's format; a bare name is not one.
    expect((await raw('ad_group_ids=adgrp_x&from=2025-11-27&to=2025-11-27')).status).toBe(400);
    const list = await fetch(`${sandbox.url}/ad_groups?status[]=active`, { headers: { authorization: `Bearer ${API_KEY}`, 'api-version-date': WHOP_API_VERSION } });
    expect(list.status).toBe(400);
  });

  it('the SDK writes id lists in brackets, and the sandbox records them as lists', async () => {
    const ids = sandbox.account.adGroups.slice(0, 2).map((g) => g.id);
    await client.adReports.retrieve({ ...DAY, ad_group_ids: ids });
    expect(sandbox.requests.at(-1)).toMatchObject({ path: '/ad_reports', lists: { ad_group_ids: ids }, status: 200 });
  });
});
