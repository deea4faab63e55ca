// The Ads endpoints the bot uses, as plain functions from a parsed request to an answer; server.ts does the HTTP.

import type { AdCampaign } from '@whop/sdk/resources/ad-campaigns';
import type { AdGroup } from '@whop/sdk/resources/ad-groups';
import type { Ad } from '@whop/sdk/resources/ads';
import {
  type AccountIndex,
  type AdGroupRecord,
  type AdRecord,
  accountIdOf,
  type CampaignRecord,
  indexOf,
  LIST_STATUS_FILTERS,
  type ResourceType,
  removeIssue,
  type SandboxAccount,
  setStatus,
  touch,
} from './account';
import { campaignDelivery } from './delivery';
import { badRequest, HttpError } from './http-error';
import { type Listed, type Order, pageOf } from './list';
import { type ListRequest, type ParentFilter, parseListQuery, parseWindowQuery, type Query, refuseQuery } from './params';
import { adReport, REPORT_LIST_PARAMS, REPORT_PARAMS } from './reports';
import { toAd, toAdCampaign, toAdGroup, type View, viewOf } from './serialize';
import { rankValue, statsFor } from './stats';
import { parseStatsWindow } from './stats-window';

export interface Answer {
  status: number;
  body: unknown;
}

export interface RouteRequest {
  account: SandboxAccount;
  /** The id in the path, decoded; empty for collection routes. */
  id: string;
  query: Query;
  /** `name[]` parameters, by name. */
  lists: Record<string, string[]>;
  body: Record<string, unknown>;
}

export interface Route {
  /** The `name[]` parameters the route reads; any other is refused. */
  lists?: readonly string[];
  handle(request: RouteRequest): Answer;
}

interface Resource<R extends Listed, Out> {
  type: ResourceType;
  noun: string;
  parentFilters: readonly ParentFilter[];
  find(index: AccountIndex, id: string): R | undefined;
  /** The records a list starts from, narrowed by its parent filters through the index. */
  scope(account: SandboxAccount, index: AccountIndex, parents: ListRequest['parents']): readonly R[];
  serialize(view: View, record: R): Out;
  /** PATCH, where the API has one: validate everything, then apply. */
  update?(account: SandboxAccount, record: R, body: Record<string, unknown>): void;
}

const ok = (body: unknown): Answer => ({ status: 200, body });

function onlyFields(body: Record<string, unknown>, fields: readonly string[]): void {
  const unknown = Object.keys(body).filter((name) => !fields.includes(name));
  if (unknown.length > 0) throw badRequest(`The sandbox cannot update: ${unknown.join(', ')}`);
}

function optionalTitle(body: Record<string, unknown>): string | undefined {
  const { title } = body;
  if (title === undefined) return undefined;
  if (typeof title !== 'string' || title.trim() === '') throw badRequest('title must be a non-empty string');
  return title;
}

function optionalOneOf<T extends string>(body: Record<string, unknown>, name: string, allowed: readonly T[]): T | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) throw badRequest(`${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

function optionalBudget(body: Record<string, unknown>): number | undefined {
  const amount = body.budget_amount;
  if (amount === undefined) return undefined;
  const valid = typeof amount === 'number' && Number.isFinite(amount) && amount > 0;
  if (!valid || Math.abs(amount * 100 - Math.round(amount * 100)) > 1e-6) {
    throw badRequest('budget_amount must be a positive amount with at most 2 decimals');
  }
  return amount;
}

/** Only what runs can be paused or resumed: review outcomes, drafts, imports and ended campaigns are not toggles. */
function assertTogglable(record: { id: string; status: string }, noun: string, action: 'pause' | 'unpause'): void {
  if (record.status !== 'active' && record.status !== 'paused') {
    throw new HttpError(422, `Cannot ${action} ${noun} ${record.id}: it is ${record.status.replaceAll('_', ' ')}`);
  }
}

/** Checked before anything is applied, so a refused status leaves the other fields of the PATCH untouched too. */
function checkStatus(record: { id: string; status: string }, noun: string, status: 'active' | 'paused' | undefined): void {
  if (status !== undefined && status !== record.status) assertTogglable(record, noun, status === 'paused' ? 'pause' : 'unpause');
}

function applyStatus(account: SandboxAccount, record: { id: string; status: string }, status: 'active' | 'paused' | undefined): void {
  if (status !== undefined) setStatus(account, record.id, status);
}

const campaigns: Resource<CampaignRecord, AdCampaign> = {
  type: 'ad_campaign',
  noun: 'ad campaign',
  parentFilters: [],
  find: (index, id) => index.campaigns.get(id),
  scope: (account) => account.campaigns,
  serialize: toAdCampaign,
};

const adGroups: Resource<AdGroupRecord, AdGroup> = {
  type: 'ad_group',
  noun: 'ad group',
  parentFilters: ['ad_campaign_id'],
  find: (index, id) => index.adGroups.get(id),
  scope: (account, index, { ad_campaign_id }) => (ad_campaign_id === undefined ? account.adGroups : index.adGroupsOf(ad_campaign_id)),
  serialize: toAdGroup,
  update(account, group, body) {
    onlyFields(body, ['title', 'status', 'budget_amount', 'budget_type']);
    const title = optionalTitle(body);
    const status = optionalOneOf(body, 'status', ['active', 'paused'] as const);
    const budgetAmount = optionalBudget(body);
    const budgetType = optionalOneOf(body, 'budget_type', ['daily', 'lifetime'] as const);
    if ((budgetAmount !== undefined || budgetType !== undefined) && group.budget_amount === null) {
      const campaign = group.ad_campaign_id;
      throw new HttpError(422, `The budget of ad group ${group.id} is set by its campaign ${campaign}; change the campaign's budget instead`);
    }
    checkStatus(group, 'ad group', status);
    group.title = title ?? group.title;
    group.budget_amount = budgetAmount ?? group.budget_amount;
    group.budget_type = budgetType ?? group.budget_type;
    touch(account, group);
    applyStatus(account, group, status);
  },
};

const ads: Resource<AdRecord, Ad> = {
  type: 'ad',
  noun: 'ad',
  parentFilters: ['ad_campaign_id', 'ad_group_id'],
  find: (index, id) => index.ads.get(id),
  scope(account, index, { ad_campaign_id, ad_group_id }) {
    if (ad_group_id === undefined) return ad_campaign_id === undefined ? account.ads : index.adsOf(ad_campaign_id);
    return index.adsOf(ad_group_id).filter((ad) => ad_campaign_id === undefined || ad.ad_campaign_id === ad_campaign_id);
  },
  serialize: toAd,
  update(account, ad, body) {
    onlyFields(body, ['title', 'status']);
    const title = optionalTitle(body);
    const status = optionalOneOf(body, 'status', ['active', 'paused'] as const);
    checkStatus(ad, 'ad', status);
    ad.title = title ?? ad.title;
    touch(account, ad);
    applyStatus(account, ad, status);
  },
};

function ranker(order: Order, view: View): (record: Listed) => number | null {
  if (order === 'created_at') return (r) => Date.parse(r.created_at);
  if (order === 'updated_at') return (r) => Date.parse(r.updated_at);
  return (r) => rankValue(order, view.stats.of(r.id), view.account.currency);
}

function routesOf<R extends Listed, Out>(resource: Resource<R, Out>) {
  const existing = (account: SandboxAccount, id: string): R => {
    const record = resource.find(indexOf(account), id);
    if (!record) throw new HttpError(404, `No ${resource.noun} with id ${id}`);
    return record;
  };
  // A write answers with the object as it now is, with all-time stats.
  const current = (account: SandboxAccount, record: R): Answer => ok(resource.serialize(viewOf(account, statsFor(account, parseStatsWindow({}, account.now()))), record));
  const toggle = (action: 'pause' | 'unpause'): Route => ({
    handle({ account, id, query }) {
      refuseQuery(query);
      const record = existing(account, id);
      assertTogglable(record, resource.noun, action);
      setStatus(account, id, action === 'pause' ? 'paused' : 'active');
      return current(account, record);
    },
  });
  const { update } = resource;
  return {
    list: {
      handle({ account, query }) {
        const request = parseListQuery(query, LIST_STATUS_FILTERS[resource.type], resource.parentFilters);
        const view = viewOf(account, statsFor(account, parseStatsWindow(request.window, account.now())));
        const owner = request.accountId ?? account.id;
        const scope = resource.scope(account, view.index, request.parents).filter((r) => accountIdOf(account, view.index, r) === owner);
        const { items, page_info } = pageOf(scope, request, ranker(request.order, view));
        return ok({ data: items.map((record) => resource.serialize(view, record)), page_info });
      },
    } satisfies Route,
    retrieve: {
      handle({ account, id, query }) {
        const window = parseStatsWindow(parseWindowQuery(query), account.now());
        return ok(resource.serialize(viewOf(account, statsFor(account, window)), existing(account, id)));
      },
    } satisfies Route,
    update:
      update &&
      ({
        handle({ account, id, query, body }) {
          refuseQuery(query);
          const record = existing(account, id);
          update(account, record, body);
          return current(account, record);
        },
      } satisfies Route),
    pause: toggle('pause'),
    unpause: toggle('unpause'),
  };
}

/**
 * POST /ad_campaigns/{id}/retry_payment: charges again for a campaign whose delivery_status is payment_failed.
 * Charged, the failure and the issue billing raised about it are cleared (a campaign of the older kind, whose
 * status itself is payment_failed, becomes active); a card declined again leaves it failed, and the campaign is
 * answered as it is. A campaign with no failed payment has nothing to retry: 422, as Whop refuses other writes
 * that do not apply to an item's state.
 */
const retryPayment: Route = {
  handle({ account, id, query }) {
    refuseQuery(query);
    const index = indexOf(account);
    const campaign = index.campaigns.get(id);
    if (!campaign) throw new HttpError(404, `No ad campaign with id ${id}`);
    if (campaignDelivery(index, campaign, account.now().getTime()) !== 'payment_failed') {
      throw new HttpError(422, `Ad campaign ${id} has no failed payment to retry`);
    }
    if (!campaign.card_declined) {
      campaign.payment_failed = false;
      touch(account, campaign);
      if (campaign.status === 'payment_failed') setStatus(account, id, 'active');
      for (const issue of index.issuesOf(id).filter((i) => i.billing && i.resource_id === id)) removeIssue(account, issue.id);
    }
    return ok(toAdCampaign(viewOf(account, statsFor(account, parseStatsWindow({}, account.now()))), campaign));
  },
};

const COLLECTIONS = { ad_campaigns: routesOf(campaigns), ad_groups: routesOf(adGroups), ads: routesOf(ads) };

const reports: Route = {
  lists: REPORT_LIST_PARAMS,
  handle({ account, query, lists }) {
    const unknown = Object.keys(query).filter((name) => !(REPORT_PARAMS as readonly string[]).includes(name));
    if (unknown.length > 0) throw badRequest(`Unknown query parameter(s): ${unknown.join(', ')}`);
    return ok(adReport(account, query, lists));
  },
};

function collection(name: string | undefined) {
  return name !== undefined && Object.hasOwn(COLLECTIONS, name) ? COLLECTIONS[name as keyof typeof COLLECTIONS] : undefined;
}

/** `path` is relative to /api/v1. Undefined means no such route (404). */
export function matchRoute(method: string, path: string): { route: Route; id: string } | undefined {
  const [, name, rawId, action, ...rest] = path.split('/');
  if (name === 'ad_reports' && rawId === undefined) return method === 'GET' ? { route: reports, id: '' } : undefined;
  const routes = collection(name);
  if (!routes || rest.length > 0 || rawId === '') return undefined;
  let id = '';
  try {
    id = decodeURIComponent(rawId ?? '');
  } catch {
    return undefined;
  }
  const route =
    rawId === undefined
      ? method === 'GET'
        ? routes.list
        : undefined
      : action === undefined
        ? method === 'GET'
          ? routes.retrieve
          : method === 'PATCH'
            ? routes.update
            : undefined
        : method === 'POST' && (action === 'pause' || action === 'unpause')
          ? routes[action]
          : method === 'POST' && action === 'retry_payment' && name === 'ad_campaigns'
            ? retryPayment
            : undefined;
  return route && { route, id };
}
