// Sandbox data crafted as per-hour arithmetic, for end-to-end tests that assert exact figures.
import type { SandboxAccount } from '../../src/sandbox';
import { BUCKET_METRICS, DAY_MS, METRIC_INDEX } from '../../src/sandbox/account';

/** One UTC day of an ad's delivery; money in cents, as the sandbox keeps it. */
export interface DayOfDelivery {
  spend: number;
  impressions: number;
  purchases?: number;
  purchaseValue?: number;
}

type Campaign = SandboxAccount['campaigns'][number];
type Ad = SandboxAccount['ads'][number];

/** A delivering campaign: active, paid, with no schedule of its own. */
const delivers = (c: Campaign) => c.status === 'active' && !c.payment_failed && !c.starts_at && !c.ends_at;

/**
 * Adds an active purchase-goal ad group with one live ad (a copy of `template`, else of the account's first live ad)
 * in the first campaign that delivers and passes `campaign`, delivering `dayOf(midnight)` every UTC day of `days` from
 * `from`'s day; `createdAt` defaults to that first midnight. With `dailyBudget`, a daily budget of its own.
 */
export function craftGroup(
  account: SandboxAccount,
  spec: {
    id: string;
    title: string;
    from: Date;
    days: number;
    dayOf: (midnight: Date) => DayOfDelivery;
    dailyBudget?: number | null;
    createdAt?: Date;
    campaign?: (c: Campaign) => boolean;
    template?: Ad;
  },
): void {
  const campaign = account.campaigns.find((c) => delivers(c) && (spec.campaign?.(c) ?? true));
  const template = spec.template ?? account.ads.find((a) => a.status === 'active');
  if (!campaign || !template) throw new Error('the account has no delivering campaign or live ad to craft from');
  const start = Math.floor(spec.from.getTime() / DAY_MS) * DAY_MS;
  const values = new Int32Array(spec.days * BUCKET_METRICS.length);
  for (let d = 0; d < spec.days; d++) {
    const day = spec.dayOf(new Date(start + d * DAY_MS));
    const at = d * BUCKET_METRICS.length;
    values[at + METRIC_INDEX.spend] = day.spend;
    values[at + METRIC_INDEX.impressions] = day.impressions;
    values[at + METRIC_INDEX.reach] = Math.floor(day.impressions / 2);
    values[at + METRIC_INDEX.purchases] = day.purchases ?? 0;
    values[at + METRIC_INDEX.purchase_value] = day.purchaseValue ?? 0;
  }
  const created = (spec.createdAt ?? new Date(start)).toISOString();
  account.adGroups.push({
    id: spec.id,
    ad_campaign_id: campaign.id,
    title: spec.title,
    status: 'active',
    budget_amount: spec.dailyBudget ?? null,
    budget_type: spec.dailyBudget ? 'daily' : null,
    result_event: 'purchase',
    starts_at: null,
    ends_at: null,
    phase: null,
    created_at: created,
    updated_at: created,
  });
  account.ads.push({
    ...template,
    id: `ad_${spec.id.slice('adgrp_'.length)}`,
    ad_campaign_id: campaign.id,
    ad_group_id: spec.id,
    status: 'active',
    phase: null,
    created_at: created,
    daily: { start, values },
  });
}

/**
 * Adds an active purchase-goal ad group with one live ad, in a campaign that delivers, whose every UTC day from ten
 * days before `now` is `dayOf(that day's midnight)`; with `dailyBudget`, a daily budget of its own. The sandbox spreads a
 * day evenly over its hours in an account made with `flatDays`.
 */
export function craftAdGroup(
  account: SandboxAccount,
  now: Date,
  id: string,
  title: string,
  dayOf: (midnight: Date) => DayOfDelivery,
  options: { dailyBudget?: number } = {},
): void {
  const from = new Date(now.getTime() - 10 * DAY_MS);
  craftGroup(account, { id, title, from, days: 13, dayOf, dailyBudget: options.dailyBudget, createdAt: from });
}
