import type { Currency } from '@whop/sdk/resources/shared';
import { describe, expect, it } from 'vitest';
import { type AdGroupRecord, BUCKET_METRICS, type BucketMetric, DAY_MS, METRIC_INDEX, type SandboxAccount } from '../../src/sandbox/account';
import { HttpError } from '../../src/sandbox/http-error';
import { accountTotals, statFields, statsFor } from '../../src/sandbox/stats';
import { parseStatsWindow } from '../../src/sandbox/stats-window';

const DAY0 = Date.parse('2025-11-26T00:00:00Z');
const at = (iso: string) => new Date(iso);

/** One ad with three identical days from DAY0: $10 spend, 1,000 impressions, 15 clicks, 3 purchases worth $90. */
function oneAdAccount(now: Date, resultEvent: AdGroupRecord['result_event'] = 'purchase', currency: Currency = 'usd'): SandboxAccount {
  const day: Partial<Record<BucketMetric, number>> = {
    spend: 1000,
    impressions: 1000,
    reach: 800,
    clicks: 15,
    unique_clicks: 12,
    purchases: 3,
    purchase_value: 9000,
  };
  const values = new Int32Array(3 * BUCKET_METRICS.length);
  for (let d = 0; d < 3; d++) {
    for (const [metric, value] of Object.entries(day)) values[d * BUCKET_METRICS.length + METRIC_INDEX[metric as BucketMetric]] = value;
  }
  const created = '2025-11-01T00:00:00.000Z';
  return {
    id: 'biz_1',
    currency,
    now: () => now,
    campaigns: [{ id: 'adcamp_1', title: 'C', status: 'active', objective: 'sales', budget_amount: null, budget_type: null, created_at: created, updated_at: created }],
    adGroups: [
      {
        id: 'adgrp_1',
        ad_campaign_id: 'adcamp_1',
        title: 'G',
        status: 'active',
        budget_amount: 20,
        budget_type: 'daily',
        result_event: resultEvent,
        ends_at: null,
        created_at: created,
        updated_at: created,
      },
    ],
    ads: [
      {
        id: 'ad_1',
        ad_campaign_id: 'adcamp_1',
        ad_group_id: 'adgrp_1',
        title: 'A',
        status: 'active',
        primary_text: 'Text',
        url: 'https://example.invalid',
        created_at: created,
        updated_at: created,
        daily: { start: DAY0, values },
      },
    ],
    issues: [],
  };
}

describe('window stats', () => {
  it('a window over half of a day counts half of that day, rounded to whole units and cents', () => {
    const account = oneAdAccount(at('2025-11-30T00:00:00Z'));

    const totals = accountTotals(account, at('2025-11-26T06:00:00Z'), at('2025-11-26T18:00:00Z'));

    expect(totals).toMatchObject({ spend: 5, impressions: 500, clicks: 8, purchases: 2, purchase_value: 45, results: 2 });
  });

  it('counts nothing after now: all time at noon of the third day is two and a half days', () => {
    const account = oneAdAccount(at('2025-11-28T12:00:00Z'));

    expect(accountTotals(account)).toMatchObject({ spend: 25, impressions: 2500 });
    expect(accountTotals(account, at('2025-11-29T00:00:00Z'), at('2025-12-01T00:00:00Z')).spend).toBe(0);
  });

  it('ad group and campaign sums equal the ad, and results are null when no Whop event is the goal', () => {
    const account = oneAdAccount(at('2025-11-30T00:00:00Z'), null);
    const stats = statsFor(account, { from: -Infinity, to: Infinity });

    expect(stats.of('adcamp_1')).toEqual(stats.of('ad_1'));
    expect(stats.of('adgrp_1').results).toBeNull();
    expect(statFields(stats.of('ad_1'), [], 'usd')).toMatchObject({ result_event: null, cost_per_result: null, cost_per_purchase: 30 / 9 });
  });
});

describe('derived stats', () => {
  const sums = { ...Object.fromEntries(BUCKET_METRICS.map((m) => [m, 0])), results: 0 } as Parameters<typeof statFields>[0];

  it('follows the documented zero and null rules when nothing happened', () => {
    expect(statFields(sums, ['purchase'], 'usd')).toMatchObject({
      click_through_rate: 0,
      cost_per_click: 0,
      cost_per_mille: 0,
      return_on_ad_spend: 0,
      frequency: null,
      unique_click_through_rate: null,
      cost_per_unique_click: null,
      cost_per_purchase: 0,
      cost_per_lead: null,
      cost_per_result: 0,
      result_event: 'purchase',
    });
  });

  it('computes ratios from the sums, with ROAS in USD on both sides for a non-USD account', () => {
    const s = { ...sums, spend: 10_000, impressions: 20_000, reach: 10_000, clicks: 400, purchases: 5, purchase_value: 32_400, results: 5 };

    expect(statFields(s, ['purchase'], 'usd')).toMatchObject({
      spend: 100,
      click_through_rate: 0.02,
      cost_per_click: 0.25,
      cost_per_mille: 5,
      frequency: 2,
      cost_per_result: 20,
      return_on_ad_spend: 3.24,
    });
    expect(statFields(s, ['purchase'], 'eur').return_on_ad_spend).toBeCloseTo(3, 10);
  });
});

describe('stats window parameters', () => {
  const now = at('2025-11-28T15:30:00Z');

  it('resolves bare dates to midnight in the time zone, across a DST change', () => {
    const window = parseStatsWindow({ stats_from: '2025-07-01', stats_to: '2025-11-03', time_zone: 'America/New_York' }, now);

    expect(window).toEqual({ from: Date.parse('2025-07-01T04:00:00Z'), to: Date.parse('2025-11-03T05:00:00Z') });
  });

  it('uses timestamps as they are, and defaults to all time until now', () => {
    expect(parseStatsWindow({ stats_from: '2025-11-01T10:00:00.000+01:00' }, now)).toEqual({
      from: Date.parse('2025-11-01T09:00:00Z'),
      to: now.getTime(),
    });
    expect(parseStatsWindow({}, now)).toEqual({ from: -Infinity, to: now.getTime() });
  });

  it('refuses unknown zones, timestamps without an offset, impossible dates and reversed windows', () => {
    for (const params of [
      { time_zone: 'Mars/Olympus' },
      { stats_from: '2025-11-01T10:00:00' },
      { stats_from: '2025-02-30' },
      { stats_from: '2025-11-02', stats_to: '2025-11-01' },
    ]) {
      expect(() => parseStatsWindow(params, now)).toThrow(HttpError);
    }
  });
});

describe('stats memo', () => {
  it('reuses one window’s aggregates and starts afresh when ads are added', () => {
    const account = oneAdAccount(at('2025-11-30T00:00:00Z'));
    const window = { from: DAY0, to: DAY0 + DAY_MS };

    const first = statsFor(account, window);
    expect(statsFor(account, window)).toBe(first);

    account.ads.push({ ...account.ads[0]!, id: 'ad_2' });
    const after = statsFor(account, window);
    expect(after).not.toBe(first);
    expect(after.of('adcamp_1').spend).toBe(2000);
  });
});
