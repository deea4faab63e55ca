// Query-string validation. Unknown parameters are refused rather than ignored, so a typo in the bot shows up as a 400
// in tests instead of as silently unfiltered data.
import { badRequest } from './http-error';
import { decodeCursor, type ListQuery, type Order } from './list';
import { STAT_ORDERS } from './stats';
import type { StatsWindowParams } from './stats-window';

export type Query = Record<string, string>;
export type ParentFilter = 'ad_campaign_id' | 'ad_group_id';

export interface ListRequest extends ListQuery {
  /** Whose records; undefined: the key's own account. */
  accountId?: string;
  window: StatsWindowParams;
  parents: Partial<Record<ParentFilter, string>>;
}

const WINDOW_PARAMS = ['stats_from', 'stats_to', 'time_zone'] as const;
const LIST_PARAMS = [...WINDOW_PARAMS, ...['first', 'after', 'order', 'direction', 'query', 'status', 'account_id', 'created_after', 'created_before']];
const ORDERS: readonly Order[] = ['created_at', 'updated_at', ...STAT_ORDERS];
const MAX_PAGE = 100;

function onlyKnown(query: Query, known: readonly string[]): void {
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length > 0) throw badRequest(`Unknown query parameter(s): ${unknown.join(', ')}`);
}

function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`${name} must be one of: ${allowed.join(', ')}`);
  return value as T;
}

function timestamp(query: Query, name: string): number | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an ISO 8601 timestamp`);
  return ms;
}

function windowOf(query: Query): StatsWindowParams {
  const { stats_from, stats_to, time_zone } = query;
  return { stats_from, stats_to, time_zone };
}

/** Writes answer with all-time stats and take no parameters. */
export function refuseQuery(query: Query): void {
  onlyKnown(query, []);
}

export function parseWindowQuery(query: Query): StatsWindowParams {
  onlyKnown(query, WINDOW_PARAMS);
  return windowOf(query);
}

export function parseListQuery(query: Query, statuses: readonly string[], parentFilters: readonly ParentFilter[]): ListRequest {
  if ('before' in query || 'last' in query) throw badRequest('The sandbox pages forward only: use first and after');
  onlyKnown(query, [...LIST_PARAMS, ...parentFilters]);
  const first = query.first === undefined ? 10 : Number(query.first);
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badRequest(`first must be an integer from 1 to ${MAX_PAGE}`);
  const parents: ListRequest['parents'] = {};
  for (const name of parentFilters) if (query[name] !== undefined) parents[name] = query[name];
  return {
    first,
    after: query.after === undefined ? null : decodeCursor(query.after),
    order: oneOf(query, 'order', ORDERS) ?? 'created_at',
    direction: oneOf(query, 'direction', ['asc', 'desc'] as const) ?? 'desc',
    query: query.query,
    status: oneOf(query, 'status', statuses),
    createdAfter: timestamp(query, 'created_after'),
    createdBefore: timestamp(query, 'created_before'),
    accountId: query.account_id,
    window: windowOf(query),
    parents,
  };
}
