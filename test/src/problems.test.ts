import { describe, expect, it } from 'vitest';
import { findProblems, type Observation } from '../../src/alerts/problems';
import type { Ad, AdCampaign, AdGroup } from '../../src/whop/types';

const NOW = new Date('2026-11-25T15:00:00Z');
const group = (over: Partial<AdGroup>): AdGroup =>
  ({
    id: 'adgrp_1',
    title: 'G',
    status: 'active',
    delivery_status: 'active',
    budget_type: 'daily',
    budget_amount: 100,
    spend: 0,
    spend_currency: 'usd',
    results: 0,
    cost_per_result: 0,
    result_event: 'purchase',
    return_on_ad_spend: 0,
    impressions: 1,
    created_at: '2026-01-01T00:00:00Z',
    ...over,
  }) as AdGroup;
const seen = (groups: AdGroup[], more: Partial<Observation> = {}): Observation => ({
  now: NOW,
  timeZone: 'UTC',
  issues: [],
  entities: new Map(),
  campaigns: [],
  today: groups,
  lastThreeDays: groups,
  recent: groups,
  rejectedAds: [],
  rejectedAdGroups: [],
  days: [],
  ...more,
});
const rules = { new_issues: false, rejected: false, delivery_status: [] };

describe('cost per result rule', () => {
  it('skips an ad group Whop attributes nothing to (results null), however much it spent', () => {
    const reach = group({ id: 'adgrp_reach', spend: 500, results: null, cost_per_result: null, result_event: null });
    expect(findProblems(seen([reach]), { ...rules, cost_per_result_above: 1 }, new Set())).toEqual([]);
  });

  it('takes the spend as the cost when results are attributed but none came, and Whop’s cost per result otherwise', () => {
    const none = group({ id: 'adgrp_none', spend: 50, results: 0, cost_per_result: 0 });
    const dear = group({ id: 'adgrp_dear', spend: 90, results: 2, cost_per_result: 45 });
    const cheap = group({ id: 'adgrp_cheap', spend: 90, results: 9, cost_per_result: 10 });
    const found = findProblems(seen([none, dear, cheap]), { ...rules, cost_per_result_above: 20 }, new Set());
    expect(found.map((p) => [p.entities[0]!.id, p.rule === 'cost_per_result' && p.costPerResult, p.rule === 'cost_per_result' && p.currency])).toEqual([
      ['adgrp_none', 50, 'USD'],
      ['adgrp_dear', 45, 'USD'],
    ]);
  });
});

describe('no-delivery rule', () => {
  it('does not judge an ad group whose creation time does not parse, nor one that is not active', () => {
    const found = findProblems(
      seen([group({ id: 'adgrp_when', impressions: 0, created_at: 'not a date' }), group({ id: 'adgrp_off', impressions: 0, status: 'paused' })]),
      { ...rules, no_delivery_hours: 6 },
      new Set(),
    );
    expect(found).toEqual([]);
  });
});

type Issue = AdCampaign['issues'][number];
const issue = (id: string, on: { id: string }, kind: Issue['resource_type'], message: string): Issue => ({ id, message, resource_id: on.id, resource_type: kind });
const campaign = (over: Partial<AdCampaign>): AdCampaign => ({ id: 'adcamp_1', title: 'C', status: 'active', delivery_status: 'active', issues: [], ...over }) as AdCampaign;
const rejectedAd = (id: string, groupId: string, campaignId: string): Ad =>
  ({ id, title: id, status: 'rejected', ad_group: { id: groupId }, ad_campaign: { id: campaignId } }) as unknown as Ad;
const ALL = ['payment_failed', 'learning_limited', 'all_ads_rejected', 'ad_groups_off'] as const;
const keys = (problems: { key: string }[]) => problems.map((p) => p.key).sort();

describe('delivery status rules', () => {
  it('one alert per watched state, and none for a state not watched', () => {
    const campaigns = [
      campaign({ id: 'adcamp_pay', delivery_status: 'payment_failed' }),
      campaign({ id: 'adcamp_off', delivery_status: 'ad_groups_off' }),
      campaign({ id: 'adcamp_ok', delivery_status: 'active' }),
    ];
    const groups = [group({ id: 'adgrp_learn', delivery_status: 'learning_limited', ad_campaign: { id: 'adcamp_ok' } } as Partial<AdGroup>)];
    expect(keys(findProblems(seen(groups, { campaigns }), { ...rules, delivery_status: [...ALL] }, new Set()))).toEqual([
      'delivery:ad_groups_off:adcamp_off',
      'delivery:learning_limited:adgrp_learn',
      'delivery:payment_failed:adcamp_pay',
    ]);
    expect(keys(findProblems(seen(groups, { campaigns }), { ...rules, delivery_status: ['learning_limited'] }, new Set()))).toEqual(['delivery:learning_limited:adgrp_learn']);
  });

  it('a failed payment carries the campaign’s own issue, which is then not alerted apart; an issue under it still is', () => {
    const pay = campaign({ id: 'adcamp_pay', delivery_status: 'payment_failed' });
    const own = issue('adiss_own', pay, 'ad_campaign', 'Payment failed: card declined');
    const under = issue('adiss_ad', { id: 'ad_1' }, 'ad', 'Landing page down');
    pay.issues = [own, under];
    const found = findProblems(seen([], { campaigns: [pay], issues: [own, under] }), { ...rules, new_issues: true, delivery_status: ['payment_failed'] }, new Set());
    expect(found.map((p) => [p.rule, p.rule === 'issue' ? p.message : p.rule === 'delivery_status' ? p.whopSays : null])).toEqual([
      ['delivery_status', ['Payment failed: card declined']],
      ['issue', 'Landing page down'],
    ]);
    // With the rule off, the same issue is alerted as before.
    expect(findProblems(seen([], { campaigns: [pay], issues: [own, under] }), { ...rules, new_issues: true }, new Set()).map((p) => p.rule)).toEqual(['issue', 'issue']);
  });

  it('every ad rejected: one alert at the widest level, carrying the rejections’ issues; the rejected rule leaves those ads out', () => {
    const camp = campaign({ id: 'adcamp_rej', delivery_status: 'all_ads_rejected' });
    const reason = issue('adiss_r', { id: 'ad_r1' }, 'ad', 'Ad rejected: personal attributes');
    camp.issues = [reason];
    const inside = group({ id: 'adgrp_in', delivery_status: 'all_ads_rejected', ad_campaign: { id: 'adcamp_rej' }, issues: [reason] } as Partial<AdGroup>);
    const elsewhere = group({ id: 'adgrp_out', delivery_status: 'all_ads_rejected', ad_campaign: { id: 'adcamp_ok' }, issues: [] } as Partial<AdGroup>);
    const observed = seen([inside, elsewhere], {
      campaigns: [camp],
      issues: [reason],
      rejectedAds: [rejectedAd('ad_r1', 'adgrp_in', 'adcamp_rej'), rejectedAd('ad_r2', 'adgrp_in', 'adcamp_rej'), rejectedAd('ad_x', 'adgrp_x', 'adcamp_x')],
    });
    const found = findProblems(observed, { ...rules, new_issues: true, rejected: true, delivery_status: ['all_ads_rejected'] }, new Set());
    expect(keys(found)).toEqual(['delivery:all_ads_rejected:adcamp_rej', 'delivery:all_ads_rejected:adgrp_out', 'rejected:ad_x']);
    expect(found.find((p) => p.key === 'delivery:all_ads_rejected:adcamp_rej')).toMatchObject({ whopSays: ['Ad rejected: personal attributes'] });
  });
});

describe('creative fatigue rule', () => {
  const FATIGUE = { days: 3, min_impressions: 1000, min_change_pct: 10 };
  const day = (frequency: number | null, ctr: number, impressions = 5000, over: Partial<AdGroup> = {}) =>
    group({ id: 'adgrp_f', frequency, click_through_rate: ctr, impressions, ...over });
  const check = (days: AdGroup[][], fatigue = FATIGUE) => findProblems(seen([], { days }), { ...rules, fatigue }, new Set());

  it('frequency up and CTR down every day, by enough from first to last: one alert with both trends', () => {
    expect(check([[day(1.5, 0.02)], [day(1.8, 0.017)], [day(2.1, 0.014)]])).toEqual([
      {
        key: 'fatigue:adgrp_f',
        rule: 'fatigue',
        entities: [{ kind: 'ad_group', id: 'adgrp_f', title: 'G', status: 'active' }],
        days: 3,
        frequency: { from: 1.5, to: 2.1 },
        ctr: { from: 0.02, to: 0.014 },
      },
    ]);
  });

  it('not on flat data, a dip that recovers, a change below min_change_pct, a thin day, a null frequency, or a missing day', () => {
    expect(check([[day(1.5, 0.02)], [day(1.5, 0.02)], [day(1.5, 0.02)]])).toEqual([]);
    expect(check([[day(1.5, 0.02)], [day(1.4, 0.017)], [day(2.1, 0.014)]])).toEqual([]);
    expect(check([[day(1.5, 0.02)], [day(1.55, 0.0199)], [day(1.6, 0.0198)]])).toEqual([]);
    expect(check([[day(1.5, 0.02)], [day(1.8, 0.017, 999)], [day(2.1, 0.014)]])).toEqual([]);
    expect(check([[day(1.5, 0.02)], [day(null, 0.017)], [day(2.1, 0.014)]])).toEqual([]);
    expect(check([[day(1.5, 0.02)], [], [day(2.1, 0.014)]])).toEqual([]);
    expect(check([[day(1.5, 0.02)], [day(1.8, 0.017)], [day(2.1, 0.014, 5000, { status: 'paused' })]])).toEqual([]);
  });
});
