// Report rows as Whop's hourly ad_group breakdown has them, built hour by hour on a zone's wall clock.

import { historyOfRows } from '../../src/alerts/hourly-history';
import type { Observation } from '../../src/alerts/observation';
import { type AnomalyRule, type ForecastRule, settingsSchema } from '../../src/config';
import type { WhopResult } from '../../src/whop/result';
import type { AdCampaign, AdGroup, ReportBucket, ReportRow } from '../../src/whop/types';
import { addDays, type LocalDate, localMinutes, startOfLocalDay } from '../../src/zoned-time';

const HOUR = 3_600_000;

export interface HourFigures {
  spend: number;
  impressions?: number;
  clicks?: number;
  results?: number | null;
}

/** One ad group's row over one local day; `hourly(h)` gives local hour h's figures (null: no bucket). */
export function dayRow(id: string, day: LocalDate, timeZone: string, hourly: (hour: number) => HourFigures | null): ReportRow {
  const buckets: ReportBucket[] = [];
  const end = startOfLocalDay(addDays(day, 1), timeZone).getTime();
  for (let at = startOfLocalDay(day, timeZone).getTime(); at < end; at += HOUR) {
    const hour = Math.floor(localMinutes(new Date(at), timeZone) / 60);
    const f = hourly(hour);
    if (!f) continue;
    buckets.push({
      bucket_start: new Date(at).toISOString(),
      clicks: f.clicks ?? 0,
      granularity: 'hourly',
      impressions: f.impressions ?? 0,
      reach: 0,
      result_count: f.results === undefined ? 0 : f.results,
      result_label_key: 'website_purchases',
      result_label_override: null,
      spend: f.spend,
      spend_currency: 'usd',
      stat_date: `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}T00:00:00.000Z`,
      stat_hour: hour,
    });
  }
  const spend = buckets.reduce((s, b) => s + b.spend, 0);
  return {
    id,
    level: 'ad_group',
    name: null,
    granularity: buckets,
    summary: {
      click_through_rate: 0,
      clicks: 0,
      cost_per_click: 0,
      cost_per_mille: null,
      cost_per_result: null,
      frequency: null,
      impressions: 0,
      reach: 0,
      result_count: null,
      result_label_key: null,
      result_label_override: null,
      return_on_ad_spend: null,
      spend,
      spend_currency: 'usd',
    },
  };
}

export const adGroup = (over: Partial<AdGroup> = {}): AdGroup =>
  ({
    id: 'adgrp_1',
    title: 'Lookalike',
    status: 'active',
    delivery_status: 'active',
    budget_type: 'daily',
    budget_amount: 100,
    ad_campaign: { id: 'adcamp_1' },
    spend_currency: 'usd',
    ...over,
  }) as AdGroup;

export const campaign = (over: Partial<AdCampaign> = {}): AdCampaign =>
  ({ id: 'adcamp_1', title: 'Campaign', status: 'active', budget_type: 'daily', budget_amount: 300, ...over }) as AdCampaign;

/** An observation holding only what the anomaly and forecast rules read. */
export function observation(input: {
  now: Date;
  timeZone: string;
  groups: AdGroup[];
  days: LocalDate[];
  /** Days before each of `days` that its rows hold too; default 0. */
  daysBefore?: number;
  rows: ReportRow[][];
  campaigns?: AdCampaign[];
}): Observation {
  return {
    now: input.now,
    timeZone: input.timeZone,
    issues: [],
    entities: new Map(),
    today: input.groups,
    lastThreeDays: [],
    recent: [],
    rejectedAds: [],
    rejectedAdGroups: [],
    campaigns: [],
    days: [],
    history: { ...historyOfRows({ days: input.days, daysBefore: input.daysBefore ?? 0, rows: input.rows }, input.timeZone), campaigns: input.campaigns ?? [] },
  };
}

/** The rules as ads-bot.yml gives them with only the keys a test sets: the defaults are the parser's own. */
const parsedRules = (rules: object) => settingsSchema.parse({ alerts: [{ channel: 'C0ALERTS', schedule: '* * * * *', rules }] }).alerts[0]!.rules;

export const anomalyRule = (over: Partial<AnomalyRule> = {}): AnomalyRule => parsedRules({ anomaly: over }).anomaly!;

export const forecastRule = (over: Partial<ForecastRule> = {}): ForecastRule => parsedRules({ pacing: { forecast: over } }).pacing!.forecast!;

/** Every ad group's hours in each week of the history a check saw, as the rules read them. */
export function hoursSeen(seen: WhopResult<Observation>) {
  if (!seen.ok || !seen.value.history) return null;
  const { history, today } = seen.value;
  const weeks = (of: typeof history.spans) =>
    of.map((week) =>
      today.map((group) => {
        const day = week.get(group.id);
        return day && { hours: day.hours, currency: day.currency };
      }),
    );
  return { days: history.days, daysBefore: history.daysBefore, spans: weeks(history.spans), dayOnly: weeks(history.dayOnly) };
}
