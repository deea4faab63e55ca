// Sandbox accounts for the e2e tests of rules that act: only the ad groups a test adds, on a clock of its choosing.
import { demoAccount } from '../../src/sandbox';
import { BUCKET_METRICS, DAY_MS, METRIC_INDEX, type SandboxAccount } from '../../src/sandbox/account';

/** One UTC day of an ad group's delivery; money in cents, as the sandbox keeps it. */
export interface DayOfDelivery {
  spend: number;
  impressions: number;
  purchases?: number;
}

/**
 * The demo account's campaigns with none of its ad groups, ads or issues: only what a test crafts is judged.
 * Without `now`, the sandbox lives at the clock of the process (child bots that run on it).
 */
export function emptyAccount(now?: () => Date): SandboxAccount {
  const account = demoAccount({ ...(now ? { now } : {}), flatDays: true });
  template = account.ads.find((a) => a.status === 'active') ?? template;
  account.adGroups = [];
  account.ads = [];
  account.issues = [];
  return account;
}

let template: SandboxAccount['ads'][number] | undefined;

/**
 * Adds an active purchase-goal ad group with one live ad, in a campaign that delivers, delivering `day` every UTC
 * day from `from` for `days` days (the sandbox spreads a day evenly over its hours). `budget`: its own daily budget.
 */
export function addCostlyGroup(account: SandboxAccount, input: { id: string; title: string; day: DayOfDelivery; from: Date; days?: number; budget?: number | null }): void {
  const campaign = account.campaigns.find((c) => c.status === 'active' && !c.payment_failed && !c.starts_at && !c.ends_at && c.budget_amount === null);
  if (!campaign || !template) throw new Error('the demo account has no delivering campaign to craft in');
  const start = Math.floor(input.from.getTime() / DAY_MS) * DAY_MS;
  const days = input.days ?? 20;
  const values = new Int32Array(days * BUCKET_METRICS.length);
  for (let d = 0; d < days; d++) {
    const at = d * BUCKET_METRICS.length;
    values[at + METRIC_INDEX.spend] = input.day.spend;
    values[at + METRIC_INDEX.impressions] = input.day.impressions;
    values[at + METRIC_INDEX.reach] = Math.floor(input.day.impressions / 2);
    values[at + METRIC_INDEX.purchases] = input.day.purchases ?? 0;
  }
  const created = new Date(start).toISOString();
  account.adGroups.push({
    id: input.id,
    ad_campaign_id: campaign.id,
    title: input.title,
    status: 'active',
    budget_amount: input.budget ?? null,
    budget_type: input.budget ? 'daily' : null,
    result_event: 'purchase',
    starts_at: null,
    ends_at: null,
    phase: null,
    created_at: created,
    updated_at: created,
  });
  account.ads.push({
    ...template,
    id: `ad_${input.id.slice('adgrp_'.length)}`,
    ad_campaign_id: campaign.id,
    ad_group_id: input.id,
    status: 'active',
    phase: null,
    created_at: created,
    daily: { start, values },
  });
}
