// GET /ad_reports: summary, per-entity breakdown and time buckets, as @whop/sdk's AdReportRetrieveResponse types
// them. Buckets read the same hourly series as every other window (stats.ts), and each bucket is the difference
// of rounded running totals, so buckets add up to their summary to the cent and ad groups to their ads.
import type { AdReportRetrieveResponse, Granularities, ResultLabelKeys } from '@whop/sdk/resources/ad-reports';
import type { Currency } from '@whop/sdk/resources/shared';
import { addDays, atLocalTime, isTimeZone, localDate, startOfLocalDay } from '../zoned-time';
import { type AdRecord, accountIdOf, BUCKET_METRICS, indexOf, type ResultEvent, type SandboxAccount } from './account';
import { HOUR_MS, localHourAt } from './hourly';
import { badRequest, HttpError } from './http-error';
import { adShares, hourContext, roundedSums, type Sums, usdPerUnit } from './stats';

type Query = Record<string, string>;
type Lists = Record<string, string[]>;
type Level = 'campaign' | 'ad_group' | 'ad';
type Summary = AdReportRetrieveResponse.Summary;
type Bucket = AdReportRetrieveResponse.Granularity;

export const REPORT_PARAMS = ['from', 'to', 'company_id', 'breakdown', 'granularity', 'currency'] as const;
export const REPORT_LIST_PARAMS = ['ad_campaign_ids', 'ad_group_ids', 'ad_ids'] as const;
const SCOPES = ['company_id', ...REPORT_LIST_PARAMS] as const;
const LEVELS: readonly Level[] = ['campaign', 'ad_group', 'ad'];
const GRANULARITIES: readonly Granularities[] = ['hourly', 'daily', 'weekly', 'monthly'];
/** Whop's limit on each id list (the SDK's AdReportRetrieveParams). */
export const MAX_REPORT_IDS = 100;
/** The sandbox's own bound, so one request cannot build millions of buckets: hourly rows over at most 92 days. */
const MAX_HOURLY_DAYS = 92;

const unprocessable = (message: string) => new HttpError(422, message);
const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** A bare date is a whole day on the reporting zone's clock; a timestamp is the instant itself. */
function moment(query: Query, name: 'from' | 'to', zone: string): { start: number; end: number } {
  const value = query[name];
  if (value === undefined || value === '') throw badRequest(`${name} is required`);
  const date = BARE_DATE.exec(value);
  if (date) {
    const day = { year: Number(date[1]), month: Number(date[2]), day: Number(date[3]) };
    const check = new Date(Date.UTC(day.year, day.month - 1, day.day));
    if (check.getUTCMonth() !== day.month - 1 || check.getUTCDate() !== day.day) throw badRequest(`${name} is not a calendar date`);
    return { start: startOfLocalDay(day, zone).getTime(), end: startOfLocalDay(addDays(day, 1), zone).getTime() - 1 };
  }
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with an offset`);
  return { start: ms, end: ms };
}

function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

/** The bucket that holds `at`, and the one after it. */
function bucketStart(at: number, granularity: Granularities, zone: string): number {
  if (granularity === 'hourly') return Math.floor(at / HOUR_MS) * HOUR_MS;
  const day = localDate(new Date(at), zone);
  if (granularity === 'daily') return startOfLocalDay(day, zone).getTime();
  if (granularity === 'monthly') return startOfLocalDay({ ...day, day: 1 }, zone).getTime();
  // Weeks start on Monday, as Meta's weekly breakdowns do.
  const weekday = new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay();
  return startOfLocalDay(addDays(day, -((weekday + 6) % 7)), zone).getTime();
}

function nextBucket(start: number, granularity: Granularities, zone: string): number {
  if (granularity === 'hourly') return start + HOUR_MS;
  const day = localDate(new Date(start), zone);
  if (granularity === 'daily') return startOfLocalDay(addDays(day, 1), zone).getTime();
  if (granularity === 'weekly') return startOfLocalDay(addDays(day, 7), zone).getTime();
  const month = day.month === 12 ? { year: day.year + 1, month: 1, day: 1 } : { year: day.year, month: day.month + 1, day: 1 };
  return atLocalTime(month, 0, 0, zone).getTime();
}

interface Scope {
  ads: readonly AdRecord[];
  /** The entities a breakdown at each level lists, each with the scoped ads under it. */
  entities(level: Level): { id: string; name: string | null; ads: readonly AdRecord[] }[];
}

function scopeOf(account: SandboxAccount, query: Query, lists: Lists): Scope {
  const given = SCOPES.filter((name) => (name === 'company_id' ? query.company_id !== undefined && query.company_id !== '' : (lists[name]?.length ?? 0) > 0));
  if (given.length !== 1) throw unprocessable(`Exactly one of ${SCOPES.join(', ')} must be given${given.length > 1 ? ` (got ${given.join(', ')})` : ''}`);
  const index = indexOf(account);
  const scope = given[0] as (typeof SCOPES)[number];
  const ids = scope === 'company_id' ? [] : (lists[scope] ?? []);
  if (ids.length > MAX_REPORT_IDS) throw unprocessable(`${scope} takes at most ${MAX_REPORT_IDS} ids (got ${ids.length})`);

  let campaigns: string[];
  let groups: string[] | null = null;
  let ads: AdRecord[];
  if (scope === 'company_id') {
    const owner = query.company_id;
    campaigns = account.campaigns.filter((c) => (c.account_id ?? account.id) === owner).map((c) => c.id);
    if (owner !== account.id && campaigns.length === 0) throw new HttpError(404, `No company with id ${owner}`);
    ads = account.ads.filter((ad) => accountIdOf(account, index, ad) === owner);
  } else {
    const known = scope === 'ad_campaign_ids' ? index.campaigns : scope === 'ad_group_ids' ? index.adGroups : index.ads;
    const missing = ids.find((id) => !known.has(id));
    if (missing !== undefined) throw new HttpError(404, `No ${scope === 'ad_campaign_ids' ? 'ad campaign' : scope === 'ad_group_ids' ? 'ad group' : 'ad'} with id ${missing}`);
    const unique = [...new Set(ids)];
    if (scope === 'ad_ids') {
      ads = unique.map((id) => index.ads.get(id) as AdRecord);
      groups = [...new Set(ads.map((ad) => ad.ad_group_id))];
      campaigns = [...new Set(ads.map((ad) => ad.ad_campaign_id))];
    } else if (scope === 'ad_group_ids') {
      groups = unique;
      ads = unique.flatMap((id) => index.adsOf(id));
      campaigns = [...new Set(unique.map((id) => index.adGroups.get(id)?.ad_campaign_id ?? ''))];
    } else {
      campaigns = unique;
      ads = unique.flatMap((id) => index.adsOf(id));
    }
  }
  const groupIds = groups ?? campaigns.flatMap((id) => index.adGroupsOf(id).map((g) => g.id));
  return {
    ads,
    entities(level) {
      if (level === 'ad') return ads.map((ad) => ({ id: ad.id, name: ad.title, ads: [ad] }));
      if (level === 'ad_group') return groupIds.map((id) => ({ id, name: index.adGroups.get(id)?.title ?? null, ads: ads.filter((ad) => ad.ad_group_id === id) }));
      // A campaign still being imported from Meta has no name on Whop's side yet.
      return campaigns.map((id) => {
        const campaign = index.campaigns.get(id);
        return { id, name: campaign && campaign.status !== 'importing' ? campaign.title : null, ads: ads.filter((ad) => ad.ad_campaign_id === id) };
      });
    },
  };
}

const LABEL: Record<ResultEvent, ResultLabelKeys> = { purchase: 'website_purchases', lead: 'leads' };

/** The one result the ads are optimised for; several goals have no single count, and reach has none Whop counts. */
function goalOf(account: SandboxAccount, ads: readonly AdRecord[]): { label: ResultLabelKeys | null; event: ResultEvent | null; counted: boolean } {
  const index = indexOf(account);
  const goals = new Set(ads.map((ad) => index.adGroups.get(ad.ad_group_id)?.result_event ?? null));
  if (goals.size !== 1) return { label: null, event: null, counted: false };
  const [goal] = goals;
  return goal ? { label: LABEL[goal], event: goal, counted: true } : { label: 'reach', event: null, counted: false };
}

const money = (cents: number) => cents / 100;

function summaryOf(sums: Sums, goal: ReturnType<typeof goalOf>, currency: Currency | null, usdRate: number): Summary {
  const spend = money(sums.spend);
  const results = goal.counted ? sums.results : null;
  return {
    click_through_rate: sums.impressions === 0 ? 0 : sums.clicks / sums.impressions,
    clicks: sums.clicks,
    cost_per_click: sums.clicks === 0 ? 0 : spend / sums.clicks,
    cost_per_mille: sums.impressions === 0 ? null : (spend * 1000) / sums.impressions,
    cost_per_result: results ? spend / results : null,
    frequency: sums.reach === 0 ? null : sums.impressions / sums.reach,
    impressions: sums.impressions,
    reach: sums.reach,
    result_count: results,
    result_label_key: goal.label,
    result_label_override: null,
    return_on_ad_spend: sums.spend === 0 ? null : money(sums.purchase_value) / (spend * usdRate),
    spend,
    spend_currency: currency,
  };
}

/** Rounded metrics of one ad per bucket: differences of rounded running totals, so they add up exactly. */
function adBuckets(account: SandboxAccount, ad: AdRecord, edges: readonly number[], now: number): Sums[] {
  const context = hourContext(account, ad);
  const resultEvent = indexOf(account).adGroups.get(ad.ad_group_id)?.result_event ?? null;
  const running = new Float64Array(BUCKET_METRICS.length);
  let before = roundedSums(running, resultEvent);
  const out: Sums[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = Math.min(edges[i] as number, now);
    const to = Math.min(edges[i + 1] as number, now);
    const part = adShares(ad, from, to, context);
    for (let m = 0; m < running.length; m++) running[m] = (running[m] as number) + (part[m] as number);
    const after = roundedSums(running, resultEvent);
    const bucket = { results: after.results === null ? null : after.results - (before.results ?? 0) } as Sums;
    for (const metric of BUCKET_METRICS) bucket[metric] = after[metric] - before[metric];
    out.push(bucket);
    before = after;
  }
  return out;
}

function add(into: Sums, part: Sums): void {
  for (const metric of BUCKET_METRICS) into[metric] += part[metric];
  if (part.results !== null) into.results = (into.results ?? 0) + part.results;
}

const zeros = (): Sums => {
  const sums = { results: null } as Sums;
  for (const metric of BUCKET_METRICS) sums[metric] = 0;
  return sums;
};

const statDate = (at: number, zone: string) => {
  const { year, month, day } = localDate(new Date(at), zone);
  return new Date(Date.UTC(year, month - 1, day)).toISOString();
};

export function adReport(account: SandboxAccount, query: Query, lists: Lists): AdReportRetrieveResponse {
  const zone = account.hourShape?.timeZone ?? account.reportingTimeZone ?? 'UTC';
  if (!isTimeZone(zone)) throw new Error(`The sandbox account's reporting zone ${zone} is not an IANA zone`);
  const from = moment(query, 'from', zone).start;
  const to = moment(query, 'to', zone).end;
  const breakdown = oneOf(query, 'breakdown', LEVELS);
  const granularity = oneOf(query, 'granularity', GRANULARITIES);
  if (query.currency !== undefined && query.currency.toLowerCase() !== account.currency) {
    throw unprocessable(`The sandbox reports in the account's currency only (${account.currency})`);
  }
  if (from > to) throw unprocessable('from must not be after to');
  if (granularity === 'hourly' && to - from > MAX_HOURLY_DAYS * 86_400_000) throw unprocessable(`hourly reports cover at most ${MAX_HOURLY_DAYS} days`);
  const scope = scopeOf(account, query, lists);
  const now = account.now().getTime();

  // Buckets from the one holding `from` to the one holding `to`, and none that has not started yet.
  const grain = granularity ?? 'hourly';
  const starts: number[] = [];
  for (let at = bucketStart(from, grain, zone); at <= to && at < now; at = nextBucket(at, grain, zone)) starts.push(at);
  const edges = starts.length === 0 ? [] : [...starts, nextBucket(starts.at(-1) as number, grain, zone)];
  const perAd = new Map(
    scope.ads.map((ad) => [
      ad.id,
      granularity ? adBuckets(account, ad, edges, now) : adBuckets(account, ad, edges.length ? [edges[0] as number, edges.at(-1) as number] : [], now),
    ]),
  );
  const usdRate = usdPerUnit(account.currency);

  const report = (ads: readonly AdRecord[]) => {
    const goal = goalOf(account, ads);
    const buckets = (granularity ? starts : edges.slice(0, 1)).map(() => ({ ...zeros(), results: goal.counted ? 0 : null }) as Sums);
    for (const ad of ads) {
      (perAd.get(ad.id) ?? []).forEach((part, i) => {
        if (buckets[i]) add(buckets[i], part);
      });
    }
    const total = { ...zeros(), results: goal.counted ? 0 : null } as Sums;
    for (const bucket of buckets) add(total, bucket);
    // Reach is people, not a sum: the window's own, as the range stats count it.
    total.reach = ads.reduce((sum, ad) => sum + roundedSums(adShares(ad, edges[0] ?? from, Math.min(edges.at(-1) ?? from, now), hourContext(account, ad)), null).reach, 0);
    const summary = summaryOf(total, goal, ads.length === 0 ? null : account.currency, usdRate);
    const series: Bucket[] | null = granularity
      ? starts.map((start, i) => {
          const s = buckets[i] as Sums;
          return {
            bucket_start: new Date(start).toISOString(),
            clicks: s.clicks,
            granularity,
            impressions: s.impressions,
            // Meta does not report reach by the hour.
            reach: granularity === 'hourly' ? 0 : s.reach,
            result_count: goal.counted ? s.results : null,
            result_label_key: goal.label,
            result_label_override: null,
            spend: money(s.spend),
            spend_currency: account.currency,
            stat_date: statDate(start, zone),
            stat_hour: granularity === 'hourly' ? localHourAt(Math.round(start / HOUR_MS), zone) : null,
          };
        })
      : null;
    return { summary, series };
  };

  const top = report(scope.ads);
  return {
    summary: top.summary,
    granularity: top.series,
    breakdown: breakdown
      ? scope.entities(breakdown).map((entity) => {
          const rows = report(entity.ads);
          return { id: entity.id, level: breakdown, name: entity.name, summary: rows.summary, granularity: rows.series };
        })
      : null,
  };
}
