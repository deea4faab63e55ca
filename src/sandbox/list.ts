// Filter, rank and cut one page, with keyset cursors: a cursor names the last item's (rank, id), so pages neither
// repeat nor skip items when other records change between requests.
import type { AdGroupListParams } from '@whop/sdk/resources/ad-groups';
import type { FinancialActivityListResponse } from '@whop/sdk/resources/financial-activity';
import { badRequest } from './http-error';

export type Order = NonNullable<AdGroupListParams['order']>;

export interface Cursor {
  value: number | null;
  id: string;
}

export interface ListQuery {
  first: number;
  after: Cursor | null;
  order: Order;
  direction: 'asc' | 'desc';
  query?: string;
  status?: string;
  createdAfter?: number;
  createdBefore?: number;
}

export interface Listed {
  id: string;
  title: string;
  status: string;
  created_at: string;
  updated_at: string;
}

/**
 * page_info as the SDK types it where it spells it out (FinancialActivityListResponse, PartnerReferredUsersResponse):
 * the ads lists' CursorPage types only `end_cursor?: string`, the one field its paginator reads.
 */
export type PageInfo = FinancialActivityListResponse.PageInfo;

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [value, id] = JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown[];
    if ((value === null || typeof value === 'number') && typeof id === 'string') return { value, id };
  } catch {
    // fall through to the 400
  }
  throw badRequest('after is not a cursor this API returned');
}

/** Ranks nulls last in both directions, then breaks ties by id so the order is total. */
function compare(a: Cursor, b: Cursor, sign: number): number {
  if (a.value !== b.value) {
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    return (a.value < b.value ? -1 : 1) * sign;
  }
  return a.id === b.id ? 0 : (a.id < b.id ? -1 : 1) * sign;
}

export function pageOf<R extends Listed>(records: readonly R[], q: ListQuery, rank: (record: R) => number | null): { items: R[]; page_info: PageInfo } {
  const needle = q.query?.toLowerCase();
  const keep = (r: R) =>
    (q.status === undefined || r.status === q.status) &&
    (needle === undefined || r.id.toLowerCase().includes(needle) || r.title.toLowerCase().includes(needle)) &&
    (q.createdAfter === undefined || Date.parse(r.created_at) > q.createdAfter) &&
    (q.createdBefore === undefined || Date.parse(r.created_at) < q.createdBefore);
  const sign = q.direction === 'asc' ? 1 : -1;
  const ranked = records
    .filter(keep)
    .map((record) => ({ record, key: { value: rank(record), id: record.id } }))
    .sort((a, b) => compare(a.key, b.key, sign));
  const after = q.after;
  const found = after ? ranked.findIndex((r) => compare(r.key, after, sign) > 0) : 0;
  const start = found < 0 ? ranked.length : found;
  const page = ranked.slice(start, start + q.first);
  const hasNext = start + q.first < ranked.length;
  const last = page.at(-1);
  return {
    items: page.map((r) => r.record),
    page_info: {
      // Cursors name the page's first and last items, on the last page too (Relay's meaning, and what Whop's own
      // mock server does: whopio/whopsdk-typescript-mock, src/paginator.ts): only an empty page has none. The SDK's
      // paginator then asks once more and stops at the empty page; has_next_page is what says whether there is more.
      start_cursor: page[0] ? encodeCursor(page[0].key) : null,
      end_cursor: last ? encodeCursor(last.key) : null,
      has_next_page: hasNext,
      has_previous_page: start > 0,
    },
  };
}
