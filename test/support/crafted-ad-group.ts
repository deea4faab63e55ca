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
  const campaign = account.campaigns.find((c) => c.status === 'active' && !c.payment_failed && !c.starts_at && !c.ends_at)!;
  const template = account.ads.find((a) => a.status === 'active')!;
  const created = new Date(now.getTime() - 10 * DAY_MS).toISOString();
  const start = Math.floor((now.getTime() - 10 * DAY_MS) / DAY_MS) * DAY_MS;
  const days = 13;
  const values = new Int32Array(days * BUCKET_METRICS.length);
  for (let d = 0; d < days; d++) {
    const day = dayOf(new Date(start + d * DAY_MS));
    const at = d * BUCKET_METRICS.length;
    values[at + METRIC_INDEX.spend] = day.spend;
    values[at + METRIC_INDEX.impressions] = day.impressions;
    values[at + METRIC_INDEX.reach] = Math.floor(day.impressions / 2);
    values[at + METRIC_INDEX.purchases] = day.purchases ?? 0;
    values[at + METRIC_INDEX.purchase_value] = day.purchaseValue ?? 0;
  }
  account.adGroups.push({
    id,
    ad_campaign_id: campaign.id,
    title,
    status: 'active',
    budget_amount: options.dailyBudget ?? null,
    budget_type: options.dailyBudget === undefined ? null : 'daily',
    result_event: 'purchase',
    starts_at: null,
    ends_at: null,
    phase: null,
    created_at: created,
    updated_at: created,
  });
  account.ads.push({
    ...template,
    id: `ad_${id.slice('adgrp_'.length)}`,
    ad_campaign_id: campaign.id,
    ad_group_id: id,
    phase: null,
    created_at: created,
    daily: { start, values },
  });
}
