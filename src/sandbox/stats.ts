// Window stats: each ad's daily buckets, pro-rated to the window and rounded; ad groups and campaigns add up their
// ads' rounded values, so totals agree to the cent at every level.

import type { AdCampaign } from '@whop/sdk/resources/ad-campaigns';
import type { AdGroup, AdGroupListParams } from '@whop/sdk/resources/ad-groups';
import type { Ad } from '@whop/sdk/resources/ads';
import type { Currency } from '@whop/sdk/resources/shared';
import { type AccountIndex, type AdRecord, BUCKET_METRICS, type BucketMetric, DAY_MS, indexOf, MONEY_METRICS, type ResultEvent, type SandboxAccount } from './account';
import { HOUR_MS, type HourShape, hourShares, type Incident, incidentScale, touches } from './hourly';

/** Base metrics over a window, money in cents. `results` is null when nothing Whop-attributable is optimised for. */
export type Sums = Record<BucketMetric, number> & { results: number | null };

/** The same, money in currency units (purchase_value etc. in USD), as the API reports it. */
export type Totals = Record<BucketMetric, number> & { results: number };

/** Half-open [from, to) in epoch ms; from is -Infinity for all time. */
export interface StatsWindow {
  from: number;
  to: number;
}

export interface WindowStats {
  of(id: string): Sums;
}

/** The stat fields Whop puts on campaigns, ad groups and ads alike. */
export type StatFields = Omit<
  Pick<AdCampaign, keyof AdCampaign & keyof AdGroup & keyof Ad>,
  'id' | 'title' | 'status' | 'delivery_status' | 'issues' | 'created_at' | 'updated_at'
>;

export type StatOrder = Exclude<NonNullable<AdGroupListParams['order']>, 'created_at' | 'updated_at'>;

// Fixed rates: Whop reports conversion values in USD and ROAS as a currency-neutral ratio, so a EUR account needs one.
const USD_PER_UNIT: Partial<Record<Currency, number>> = { usd: 1, eur: 1.08, gbp: 1.27, cad: 0.73, aud: 0.66 };

export function usdPerUnit(currency: Currency): number {
  const rate = USD_PER_UNIT[currency];
  if (rate === undefined) throw new Error(`The sandbox has no exchange rate for ${currency}`);
  return rate;
}

const METRIC_COUNT = BUCKET_METRICS.length;

/** What decides how a day's bucket spreads over a window: the account's hour shape and the ad group's incidents. */
export interface HourContext {
  shape: HourShape | undefined;
  incidents: readonly Incident[];
}

const FLAT: HourContext = { shape: undefined, incidents: [] };

/** Adds one day's bucket to `into`, hour by hour, for the part of the day inside [from, to). */
function addHours(into: Float64Array, ad: AdRecord, day: number, dayStart: number, from: number, to: number, context: HourContext): void {
  const { values } = ad.daily;
  const shares = context.shape ? hourShares(context.shape, ad.id, dayStart) : null;
  for (let h = 0; h < 24; h++) {
    const hourStart = dayStart + h * HOUR_MS;
    const overlap = Math.min(hourStart + HOUR_MS, to) - Math.max(hourStart, from);
    if (overlap <= 0) continue;
    const share = (shares ? (shares[h] as number) : 1 / 24) * (overlap / HOUR_MS);
    const scale = incidentScale(context.incidents, Math.max(hourStart, from));
    // biome-ignore lint/style/noNonNullAssertion: into and scale have METRIC_COUNT slots, and values METRIC_COUNT per day for each day of the buckets
    for (let m = 0; m < METRIC_COUNT; m++) into[m] = into[m]! + values[day * METRIC_COUNT + m]! * share * (scale ? scale[m]! : 1);
  }
}

/** An ad's metrics over [from, to), unrounded (money in cents): the one series windows and reports both read. */
export function adShares(ad: AdRecord, from: number, to: number, context: HourContext = FLAT): Float64Array {
  const { start, values } = ad.daily;
  const shares = new Float64Array(METRIC_COUNT);
  const firstDay = Math.max(0, Math.floor((from - start) / DAY_MS));
  const endDay = Math.min(values.length / METRIC_COUNT, Math.ceil((to - start) / DAY_MS));
  for (let day = firstDay; day < endDay; day++) {
    const dayStart = start + day * DAY_MS;
    const overlap = Math.min(dayStart + DAY_MS, to) - Math.max(dayStart, from);
    if (overlap <= 0) continue;
    const whole = overlap === DAY_MS;
    if (touches(context.incidents, dayStart, dayStart + DAY_MS) || (context.shape && !whole)) {
      addHours(shares, ad, day, dayStart, from, to, context);
      continue;
    }
    const share = overlap / DAY_MS;
    // biome-ignore lint/style/noNonNullAssertion: shares has METRIC_COUNT slots, and values METRIC_COUNT per day for each day below endDay
    for (let m = 0; m < METRIC_COUNT; m++) shares[m] = shares[m]! + values[day * METRIC_COUNT + m]! * share;
  }
  return shares;
}

/** Rounded sums, with results as the ad group's goal counts them. */
export function roundedSums(shares: Float64Array, resultEvent: ResultEvent | null): Sums {
  const sums = { results: null } as Sums;
  BUCKET_METRICS.forEach((metric, m) => {
    // biome-ignore lint/style/noNonNullAssertion: shares has one slot per metric of BUCKET_METRICS
    sums[metric] = Math.round(shares[m]!);
  });
  sums.results = resultEvent === 'purchase' ? sums.purchases : resultEvent === 'lead' ? sums.leads : null;
  return sums;
}

const adSums = (ad: AdRecord, resultEvent: ResultEvent | null, from: number, to: number, context: HourContext): Sums => roundedSums(adShares(ad, from, to, context), resultEvent);

/** The hour shape and the incidents of the ad's ad group. */
export function hourContext(account: SandboxAccount, ad: AdRecord): HourContext {
  const incidents = account.incidents?.filter((incident) => incident.adGroupId === ad.ad_group_id) ?? [];
  return incidents.length === 0 && !account.hourShape ? FLAT : { shape: account.hourShape, incidents };
}

const resultEventOf = (index: AccountIndex, ad: AdRecord) => index.adGroups.get(ad.ad_group_id)?.result_event ?? null;

function total(parts: readonly Sums[], results: number | null): Sums {
  const sums = { results } as Sums;
  for (const metric of BUCKET_METRICS) sums[metric] = 0;
  for (const part of parts) {
    for (const metric of BUCKET_METRICS) sums[metric] += part[metric];
    if (part.results !== null) sums.results = (sums.results ?? 0) + part.results;
  }
  return sums;
}

class MemoisedWindow implements WindowStats {
  readonly #memo = new Map<string, Sums>();

  // The index may be rebuilt when issues change, but the parent links this reads stay the same.
  constructor(
    private readonly account: SandboxAccount,
    private readonly index: AccountIndex,
    private readonly from: number,
    private readonly to: number,
  ) {}

  of(id: string): Sums {
    let sums = this.#memo.get(id);
    if (!sums) {
      sums = this.#compute(id);
      this.#memo.set(id, sums);
    }
    return sums;
  }

  #compute(id: string): Sums {
    const { index } = this;
    const ad = index.ads.get(id);
    if (ad) return adSums(ad, resultEventOf(index, ad), this.from, this.to, hourContext(this.account, ad));
    const group = index.adGroups.get(id);
    if (group)
      return total(
        index.adsOf(id).map((a) => this.of(a.id)),
        group.result_event ? 0 : null,
      );
    if (index.campaigns.has(id))
      return total(
        index.adGroupsOf(id).map((g) => this.of(g.id)),
        null,
      );
    throw new Error(`No campaign, ad group or ad with id ${id}`);
  }
}

// A few recent windows per account: a digest asks for this period and the previous one, a benchmark repeats one.
const MAX_WINDOWS = 8;
const caches = new WeakMap<SandboxAccount, { structure: string; windows: Map<string, WindowStats> }>();

/** Memoised stats for one window; buckets never change, so only adding or removing records or incidents starts afresh. */
export function statsFor(account: SandboxAccount, window: StatsWindow): WindowStats {
  const to = Math.min(window.to, account.now().getTime());
  const structure = `${account.campaigns.length}/${account.adGroups.length}/${account.ads.length}/${account.incidents?.length ?? 0}`;
  let cache = caches.get(account);
  if (!cache || cache.structure !== structure) {
    cache = { structure, windows: new Map() };
    caches.set(account, cache);
  }
  const key = `${window.from}/${to}`;
  const stats = cache.windows.get(key) ?? new MemoisedWindow(account, indexOf(account), window.from, to);
  cache.windows.delete(key);
  cache.windows.set(key, stats);
  // biome-ignore lint/style/noNonNullAssertion: a map holding more than MAX_WINDOWS entries has a first key
  if (cache.windows.size > MAX_WINDOWS) cache.windows.delete(cache.windows.keys().next().value!);
  return stats;
}

/** Sums every ad directly (not through the caches the API uses), so tests can check the bot's totals against it. */
export function accountTotals(account: SandboxAccount, from?: Date, to?: Date): Totals {
  const index = indexOf(account);
  const start = from?.getTime() ?? -Infinity;
  const end = Math.min(to?.getTime() ?? Infinity, account.now().getTime());
  const sums = total(
    account.ads.map((ad) => adSums(ad, resultEventOf(index, ad), start, end, hourContext(account, ad))),
    0,
  );
  const totals = { ...sums, results: sums.results ?? 0 };
  for (const metric of MONEY_METRICS) totals[metric] = money(sums[metric]);
  return totals;
}

const money = (cents: number) => cents / 100;
const divide = (numerator: number, denominator: number, whenZero: number) => (denominator === 0 ? whenZero : numerator / denominator);

// Whop's documented rules: 0 when there is nothing to divide by for the always-present ratios, null for the optional ones.
const clickThroughRate = (s: Sums) => divide(s.clicks, s.impressions, 0);
const costPerClick = (s: Sums) => divide(money(s.spend), s.clicks, 0);
const costPerMille = (s: Sums) => divide(money(s.spend) * 1000, s.impressions, 0);
const frequency = (s: Sums) => (s.reach === 0 ? null : s.impressions / s.reach);
const costPerResult = (s: Sums) => (s.results === null ? null : divide(money(s.spend), s.results, 0));
const returnOnAdSpend = (s: Sums, usdRate: number) => divide(money(s.purchase_value), money(s.spend) * usdRate, 0);
/** Per-event cost: null when the event is neither a goal nor attributed. */
const costPer = (s: Sums, count: number, isGoal: boolean) => (count > 0 ? money(s.spend) / count : isGoal ? 0 : null);

const RANKERS: Record<StatOrder, (s: Sums, usdRate: number) => number | null> = {
  spend: (s) => s.spend,
  impressions: (s) => s.impressions,
  reach: (s) => s.reach,
  clicks: (s) => s.clicks,
  unique_clicks: (s) => s.unique_clicks,
  results: (s) => s.results,
  frequency,
  click_through_rate: clickThroughRate,
  cost_per_mille: costPerMille,
  cost_per_click: costPerClick,
  cost_per_result: costPerResult,
  return_on_ad_spend: returnOnAdSpend,
};

export const STAT_ORDERS = Object.keys(RANKERS) as StatOrder[];

/** The value a stat `order` ranks by: the same number the response reports (spend in cents, same order). */
export const rankValue = (order: StatOrder, sums: Sums, currency: Currency): number | null => RANKERS[order](sums, usdPerUnit(currency));

/** `goals`: the distinct result events optimised for under the entity; one goal makes it the result_event. */
export function statFields(s: Sums, goals: readonly ResultEvent[], currency: Currency): StatFields {
  return {
    spend: money(s.spend),
    spend_currency: currency,
    impressions: s.impressions,
    reach: s.reach,
    frequency: frequency(s),
    clicks: s.clicks,
    unique_clicks: s.unique_clicks,
    click_through_rate: clickThroughRate(s),
    unique_click_through_rate: s.impressions === 0 ? null : s.unique_clicks / s.impressions,
    cost_per_click: costPerClick(s),
    cost_per_unique_click: s.unique_clicks === 0 ? null : money(s.spend) / s.unique_clicks,
    cost_per_mille: costPerMille(s),
    result_event: goals.length === 1 ? (goals[0] ?? null) : null,
    result_event_name: null,
    results: s.results,
    cost_per_result: costPerResult(s),
    return_on_ad_spend: returnOnAdSpend(s, usdPerUnit(currency)),
    purchases: s.purchases,
    purchase_value: money(s.purchase_value),
    cost_per_purchase: costPer(s, s.purchases, goals.includes('purchase')),
    leads: s.leads,
    lead_value: money(s.lead_value),
    cost_per_lead: costPer(s, s.leads, goals.includes('lead')),
    added_to_carts: s.added_to_carts,
    added_to_cart_value: money(s.added_to_cart_value),
    cost_per_added_to_cart: costPer(s, s.added_to_carts, false),
    completed_registrations: 0,
    completed_registration_value: 0,
    cost_per_completed_registration: null,
    contacts: 0,
    contact_value: 0,
    cost_per_contact: null,
    schedules: 0,
    schedule_value: 0,
    cost_per_schedule: null,
    submitted_applications: 0,
    submitted_application_value: 0,
    cost_per_submitted_application: null,
    viewed_contents: 0,
    viewed_content_value: 0,
    cost_per_viewed_content: null,
    custom_conversions: 0,
    custom_event_counts: {},
    custom_event_values: {},
  };
}
