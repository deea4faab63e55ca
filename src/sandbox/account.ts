// The sandbox's in-memory ad account. Records use the API's field names, so serialising copies rather than translates.
import { randomUUID } from 'node:crypto';
import type { AdCampaign, AdCampaignListParams } from '@whop/sdk/resources/ad-campaigns';
import type { AdGroup, AdGroupListParams } from '@whop/sdk/resources/ad-groups';
import type { Ad, AdListParams } from '@whop/sdk/resources/ads';
import type { Currency } from '@whop/sdk/resources/shared';
import { AD_GROUP_STATUSES, AD_STATUSES, CAMPAIGN_STATUSES, membersOf } from '../whop/unions';
import type { HourShape, Incident } from './hourly';

// Statuses straight from the SDK: a value Whop adds fails the type check of STATUSES below, not a test at random.
export type CampaignStatus = AdCampaign['status'];
export type AdGroupStatus = AdGroup['status'];
export type AdStatus = Ad['status'];
export type EntityStatus = CampaignStatus | AdGroupStatus | AdStatus;
/**
 * Where the ad network is with an ad group or ad, which only Whop's systems know: still being pushed to it
 * (`processing`), or in Meta's learning phase (`learning`, `learning_limited` when it gets too few results to leave it).
 */
export type PlatformPhase = 'processing' | 'learning' | 'learning_limited';
export type BudgetType = 'daily' | 'lifetime';
/** The Whop-attributed events the sandbox counts as results. */
export type ResultEvent = 'purchase' | 'lead';
export type ResourceType = 'ad_campaign' | 'ad_group' | 'ad';

export const DAY_MS = 86_400_000;

/** What one day's bucket holds. Money is in cents: spend in the account currency, the *_value fields in USD, as Whop reports them. */
export const BUCKET_METRICS = [
  'spend',
  'impressions',
  'reach',
  'clicks',
  'unique_clicks',
  'added_to_carts',
  'added_to_cart_value',
  'purchases',
  'purchase_value',
  'leads',
  'lead_value',
] as const;
export type BucketMetric = (typeof BUCKET_METRICS)[number];
export const METRIC_INDEX = Object.fromEntries(BUCKET_METRICS.map((metric, i) => [metric, i])) as Record<BucketMetric, number>;
export const MONEY_METRICS: ReadonlySet<BucketMetric> = new Set(['spend', 'added_to_cart_value', 'purchase_value', 'lead_value']);

export interface DailyBuckets {
  /** UTC midnight (epoch ms) of the first day. */
  start: number;
  /** Day-major integers: day d's metric m is at `d * BUCKET_METRICS.length + METRIC_INDEX[m]`. */
  values: Int32Array;
}

export interface CampaignRecord {
  id: string;
  /** Another account the key also reaches; absent: the key's own (SandboxAccount.id). Its ad groups and ads are its. */
  account_id?: string;
  title: string;
  status: CampaignStatus;
  objective: 'awareness' | 'traffic' | 'engagement' | 'leads' | 'sales';
  /** Set when the campaign owns the budget; its ad groups then have none. */
  budget_amount: number | null;
  budget_type: BudgetType | null;
  /**
   * The campaign's own schedule, which Whop accepts only for campaigns that own the budget. The SDK's AdCampaign
   * has no starts_at or ends_at, so they are not serialised; they show in delivery_status (scheduled, completed).
   */
  starts_at?: string | null;
  ends_at?: string | null;
  /**
   * Whop could not charge for this campaign's spend. Whop's Ads overview: a failed payment blocks delivery with
   * delivery_status `payment_failed` while the campaign keeps its active/paused status. Only Whop's billing knows.
   */
  payment_failed?: boolean;
  /** The card on file is declined again: a payment retry leaves the payment failed. Only Whop's billing knows. */
  card_declined?: boolean;
  created_at: string;
  updated_at: string;
}

export interface AdGroupRecord {
  id: string;
  ad_campaign_id: string;
  title: string;
  status: AdGroupStatus;
  /** null: the budget is set by the campaign. */
  budget_amount: number | null;
  budget_type: BudgetType | null;
  /** null for goals Whop cannot attribute (reach, video views): results are then null too. */
  result_event: ResultEvent | null;
  /** Absent or null: delivers as soon as it is live. */
  starts_at?: string | null;
  ends_at: string | null;
  /** Absent: none of these phases. */
  phase?: PlatformPhase | null;
  created_at: string;
  updated_at: string;
}

export interface AdRecord {
  id: string;
  ad_campaign_id: string;
  ad_group_id: string;
  title: string;
  status: AdStatus;
  primary_text: string;
  url: string;
  /** Absent: none of these phases. */
  phase?: PlatformPhase | null;
  created_at: string;
  updated_at: string;
  daily: DailyBuckets;
}

export interface IssueRecord {
  id: string;
  message: string;
  resource_type: ResourceType;
  resource_id: string;
  created_at: string;
  /** Raised by Whop's billing about a failed payment: a successful payment retry resolves it. */
  billing?: boolean;
}

export interface SandboxAccount {
  /** The key's own account: what a list without account_id shows. */
  id: string;
  /**
   * Lower case, as Whop's pages write it (`"spend_currency": "usd"`). The SDK types `spend_currency` as any string
   * (or null) on campaigns, ad groups and ads, and as Shared.Currency on ad reports: the sandbox holds one of those.
   */
  currency: Currency;
  now: () => Date;
  campaigns: CampaignRecord[];
  adGroups: AdGroupRecord[];
  ads: AdRecord[];
  issues: IssueRecord[];
  /** Absent: each day's bucket spreads evenly over its hours, and reports are in reportingTimeZone. */
  hourShape?: HourShape;
  /** The reports' clock (days, `stat_date`, `stat_hour`) when it is not the hour shape's: UTC when neither is set. */
  reportingTimeZone?: string;
  /** Crafted trouble on ad groups (tests, the benchmark): applied to every window and report that covers it. */
  incidents?: Incident[];
}

export type Entity = { type: 'ad_campaign'; record: CampaignRecord } | { type: 'ad_group'; record: AdGroupRecord } | { type: 'ad'; record: AdRecord };

/** Every member of a union, from an object with one key per member: a member missing is a type error. */

export const STATUSES: { readonly [T in ResourceType]: readonly EntityStatus[] } = {
  ad_campaign: CAMPAIGN_STATUSES,
  ad_group: AD_GROUP_STATUSES,
  ad: AD_STATUSES,
};

/** The statuses a list may be filtered by, as the SDK's list params allow: for campaigns, fewer than they can have. */
export const LIST_STATUS_FILTERS: { readonly [T in ResourceType]: readonly string[] } = {
  ad_campaign: membersOf<NonNullable<AdCampaignListParams['status']>>({ draft: true, active: true, paused: true, payment_failed: true }),
  ad_group: membersOf<NonNullable<AdGroupListParams['status']>>({ active: true, paused: true, rejected: true }),
  ad: membersOf<NonNullable<AdListParams['status']>>({ active: true, paused: true, in_review: true, rejected: true }),
};

export interface AccountIndex {
  campaigns: ReadonlyMap<string, CampaignRecord>;
  adGroups: ReadonlyMap<string, AdGroupRecord>;
  ads: ReadonlyMap<string, AdRecord>;
  adGroupsOf(campaignId: string): readonly AdGroupRecord[];
  /** The ads of a campaign or of an ad group. */
  adsOf(parentId: string): readonly AdRecord[];
  /** Open issues of an entity and of everything under it. */
  issuesOf(id: string): readonly IssueRecord[];
}

const NONE: readonly never[] = [];
const indexes = new WeakMap<SandboxAccount, { fingerprint: string; index: AccountIndex }>();

// Lengths catch records pushed straight onto the arrays; the helpers below also drop the index explicitly.
const fingerprint = (a: SandboxAccount) => `${a.campaigns.length}/${a.adGroups.length}/${a.ads.length}/${a.issues.length}`;

/** O(1) lookups over the account, rebuilt only when records are added or removed. */
export function indexOf(account: SandboxAccount): AccountIndex {
  const cached = indexes.get(account);
  if (cached && cached.fingerprint === fingerprint(account)) return cached.index;
  const index = buildIndex(account);
  indexes.set(account, { fingerprint: fingerprint(account), index });
  return index;
}

function buildIndex(account: SandboxAccount): AccountIndex {
  const campaigns = new Map(account.campaigns.map((c) => [c.id, c]));
  const adGroups = new Map(account.adGroups.map((g) => [g.id, g]));
  const ads = new Map(account.ads.map((a) => [a.id, a]));
  const groupsByCampaign = new Map<string, AdGroupRecord[]>();
  const adsByParent = new Map<string, AdRecord[]>();
  const issuesByEntity = new Map<string, IssueRecord[]>();
  const push = <T>(map: Map<string, T[]>, key: string, item: T) => {
    const list = map.get(key);
    if (list) list.push(item);
    else map.set(key, [item]);
  };
  for (const group of account.adGroups) push(groupsByCampaign, group.ad_campaign_id, group);
  for (const ad of account.ads) {
    push(adsByParent, ad.ad_campaign_id, ad);
    push(adsByParent, ad.ad_group_id, ad);
  }
  for (const issue of account.issues) {
    const entity = lookup(campaigns, adGroups, ads, issue.resource_id);
    if (!entity) continue;
    push(issuesByEntity, issue.resource_id, issue);
    if (entity.type === 'ad') push(issuesByEntity, entity.record.ad_group_id, issue);
    if (entity.type !== 'ad_campaign') push(issuesByEntity, entity.record.ad_campaign_id, issue);
  }
  return {
    campaigns,
    adGroups,
    ads,
    adGroupsOf: (id) => groupsByCampaign.get(id) ?? NONE,
    adsOf: (id) => adsByParent.get(id) ?? NONE,
    issuesOf: (id) => issuesByEntity.get(id) ?? NONE,
  };
}

function lookup(campaigns: ReadonlyMap<string, CampaignRecord>, adGroups: ReadonlyMap<string, AdGroupRecord>, ads: ReadonlyMap<string, AdRecord>, id: string): Entity | undefined {
  const campaign = campaigns.get(id);
  if (campaign) return { type: 'ad_campaign', record: campaign };
  const group = adGroups.get(id);
  if (group) return { type: 'ad_group', record: group };
  const ad = ads.get(id);
  return ad && { type: 'ad', record: ad };
}

/** The account a record belongs to: a campaign's own, an ad group's or ad's campaign's. */
export function accountIdOf(account: SandboxAccount, index: AccountIndex, record: { id: string; ad_campaign_id?: string }): string {
  return index.campaigns.get(record.ad_campaign_id ?? record.id)?.account_id ?? account.id;
}

export function findEntity(account: SandboxAccount, id: string): Entity | undefined {
  const { campaigns, adGroups, ads } = indexOf(account);
  return lookup(campaigns, adGroups, ads, id);
}

function entityOrThrow(account: SandboxAccount, id: string): Entity {
  const entity = findEntity(account, id);
  if (!entity) throw new Error(`No campaign, ad group or ad with id ${id}`);
  return entity;
}

/** Marks a record as changed now, as the API does after any write. */
export function touch(account: SandboxAccount, record: { updated_at: string }): void {
  record.updated_at = account.now().toISOString();
}

/** Sets any status the entity's type allows (including review outcomes such as `rejected`); no API transition rules. */
export function setStatus(account: SandboxAccount, id: string, status: EntityStatus): Entity['record'] {
  const entity = entityOrThrow(account, id);
  if (!STATUSES[entity.type].includes(status)) throw new Error(`A ${entity.type} cannot be ${status}`);
  if (entity.record.status !== status) {
    Object.assign(entity.record, { status });
    touch(account, entity.record);
  }
  return entity.record;
}

/** Makes a campaign, with its ad groups and ads, another account's that the same key reaches. */
export function moveToAccount(account: SandboxAccount, campaignId: string, accountId: string): CampaignRecord {
  const campaign = indexOf(account).campaigns.get(campaignId);
  if (!campaign) throw new Error(`No campaign with id ${campaignId}`);
  campaign.account_id = accountId;
  return campaign;
}

export function addIssue(account: SandboxAccount, resourceId: string, message: string): IssueRecord {
  const entity = entityOrThrow(account, resourceId);
  const issue: IssueRecord = {
    id: `adiss_${randomUUID().replaceAll('-', '').slice(0, 14)}`,
    message,
    resource_type: entity.type,
    resource_id: resourceId,
    created_at: account.now().toISOString(),
  };
  account.issues.push(issue);
  indexes.delete(account);
  return issue;
}

/** Resolves an issue; false if it was not open. */
export function removeIssue(account: SandboxAccount, issueId: string): boolean {
  const at = account.issues.findIndex((issue) => issue.id === issueId);
  if (at < 0) return false;
  account.issues.splice(at, 1);
  indexes.delete(account);
  return true;
}

/** Adds an incident to an ad group: stats and reports over its hours change from now on. */
export function addIncident(account: SandboxAccount, incident: Incident): Incident {
  if (!indexOf(account).adGroups.has(incident.adGroupId)) throw new Error(`No ad group with id ${incident.adGroupId}`);
  if (!(incident.from < incident.to)) throw new Error('An incident must end after it starts');
  account.incidents = [...(account.incidents ?? []), incident];
  return incident;
}
