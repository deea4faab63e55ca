import { describe, expect, it } from 'vitest';
import { findProblems, type Observation } from '../../src/alerts/problems';
import { type AlertRules, parseSettings } from '../../src/config';
import type { Problem } from '../../src/model';
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
    starts_at: null,
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
/** The rules as an admin writes them in ads-bot.yml, read by the real config parser. */
const rules = (yaml: string): AlertRules =>
  parseSettings(['alerts:', '  - channel: C0ALERTS', '    schedule: "* * * * *"', '    rules:', ...yaml.split('\n').map((line) => `      ${line}`)].join('\n')).alerts[0]!.rules;
const ids = (found: { problems: Problem[] }) => found.problems.map((p) => p.entities[0]!.id);
/** Rules built in code, every one off: each test turns on what it checks, floors and all. */
const rulesOff: AlertRules = { new_issues: false, rejected: false, delivery_status: [] };
const problemsOf = (...args: Parameters<typeof findProblems>) => findProblems(...args).problems;

describe('cost per result rule', () => {
  it('skips an ad group Whop attributes nothing to (results null), however much it spent', () => {
    const reach = group({ id: 'adgrp_reach', spend: 500, impressions: 50_000, results: null, cost_per_result: null, result_event: null });
    expect(findProblems(seen([reach]), rules('cost_per_result_above: 1'), new Set())).toEqual({ problems: [], skipped: {} });
  });

  it('takes the spend as the cost when results are attributed but none came, and Whop’s cost per result otherwise', () => {
    const none = group({ id: 'adgrp_none', spend: 50, impressions: 2_000, results: 0, cost_per_result: 0 });
    const dear = group({ id: 'adgrp_dear', spend: 90, impressions: 2_000, results: 2, cost_per_result: 45 });
    const cheap = group({ id: 'adgrp_cheap', spend: 90, impressions: 2_000, results: 9, cost_per_result: 10 });
    const found = findProblems(seen([none, dear, cheap]), rules('cost_per_result_above: 20'), new Set());
    expect(
      found.problems.map((p) => [
        p.entities[0]!.id,
        p.rule === 'cost_per_result' && p.costPerResult,
        p.rule === 'cost_per_result' && p.limit,
        p.rule === 'cost_per_result' && p.currency,
      ]),
    ).toEqual([
      ['adgrp_none', 50, 20, 'USD'],
      ['adgrp_dear', 45, 20, 'USD'],
    ]);
  });

  it('with the default floors, $4 spent and no result is not judged and counted; $40 spent and no result over a $25 limit is an alert', () => {
    const small = group({ id: 'adgrp_small', spend: 4, impressions: 5_000, results: 0 });
    const big = group({ id: 'adgrp_big', spend: 40, impressions: 5_000, results: 0 });
    const found = findProblems(seen([small, big]), rules('cost_per_result_above: 25'), new Set());
    expect(ids(found)).toEqual(['adgrp_big']);
    expect(found.skipped).toEqual({ cost_per_result: { min_spend: 1 } });
  });

  it('the object form sets its own floors: spend exactly at min_spend is judged, impressions under min_impressions are not', () => {
    const atFloor = group({ id: 'adgrp_at', spend: 20, impressions: 500, results: 0 });
    const fewSeen = group({ id: 'adgrp_few', spend: 90, impressions: 499, results: 1, cost_per_result: 90 });
    const found = findProblems(seen([atFloor, fewSeen]), rules('cost_per_result_above: { limit: 15, min_spend: 20, min_impressions: 500 }'), new Set());
    expect(ids(found)).toEqual(['adgrp_at']);
    expect(found.skipped).toEqual({ cost_per_result: { min_impressions: 1 } });
  });
});

describe('ROAS rule', () => {
  it('judges only ad groups over both floors, counting the rest by the first floor they are under', () => {
    const groups = [
      group({ id: 'adgrp_judged', spend: 50, impressions: 1_000, return_on_ad_spend: 0.5 }),
      group({ id: 'adgrp_cheap', spend: 9.99, impressions: 100, return_on_ad_spend: 0.1 }),
      group({ id: 'adgrp_unseen', spend: 50, impressions: 999, return_on_ad_spend: 0.1 }),
      group({ id: 'adgrp_lead', spend: 1, impressions: 1, result_event: 'lead' }),
    ];
    const found = findProblems(seen(groups), rules('roas_below: 1.5'), new Set());
    expect(ids(found)).toEqual(['adgrp_judged']);
    expect(found.problems[0]).toMatchObject({ roas: 0.5, limit: 1.5, settleHours: 3 });
    expect(found.skipped).toEqual({ roas: { min_spend: 1, min_impressions: 1 } });
  });

  it('with the floors off, nothing spent is still no poor return', () => {
    const idle = group({ id: 'adgrp_idle', spend: 0, impressions: 0, return_on_ad_spend: 0 });
    expect(findProblems(seen([idle]), rules('roas_below: { limit: 1.5, min_spend: 0, min_impressions: 0 }'), new Set())).toEqual({ problems: [], skipped: {} });
  });
});

describe('no-delivery rule', () => {
  it('does not judge an ad group whose creation time does not parse, nor one that is not active', () => {
    const found = findProblems(
      seen([group({ id: 'adgrp_when', impressions: 0, created_at: 'not a date' }), group({ id: 'adgrp_off', impressions: 0, status: 'paused' })]),
      rules('no_delivery_hours: 6'),
      new Set(),
    );
    expect(found).toEqual({ problems: [], skipped: { no_delivery: { too_new: 1 } } });
  });

  it('judges an ad group only when it was created and scheduled to start before the settled window began', () => {
    const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
    const groups = [
      group({ id: 'adgrp_old', impressions: 0, created_at: hoursAgo(9) }),
      group({ id: 'adgrp_young', impressions: 0, created_at: hoursAgo(8) }),
      group({ id: 'adgrp_late', impressions: 0, created_at: hoursAgo(100), starts_at: hoursAgo(8) }),
      group({ id: 'adgrp_started', impressions: 0, created_at: hoursAgo(100), starts_at: hoursAgo(9) }),
    ];
    const settled = findProblems(seen(groups), rules('no_delivery_hours: 6'), new Set());
    expect(ids(settled)).toEqual(['adgrp_old', 'adgrp_started']);
    expect(settled.skipped).toEqual({ no_delivery: { too_new: 2 } });
    expect(settled.problems[0]).toMatchObject({ hours: 6, settleHours: 3 });
    expect(ids(findProblems(seen(groups), rules('no_delivery_hours: { hours: 6, settle_hours: 0 }'), new Set()))).toEqual([
      'adgrp_old',
      'adgrp_young',
      'adgrp_late',
      'adgrp_started',
    ]);
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
    expect(keys(problemsOf(seen(groups, { campaigns }), { ...rulesOff, delivery_status: [...ALL] }, new Set()))).toEqual([
      'delivery:ad_groups_off:adcamp_off',
      'delivery:learning_limited:adgrp_learn',
      'delivery:payment_failed:adcamp_pay',
    ]);
    expect(keys(problemsOf(seen(groups, { campaigns }), { ...rulesOff, delivery_status: ['learning_limited'] }, new Set()))).toEqual(['delivery:learning_limited:adgrp_learn']);
  });

  it('a failed payment carries the campaign’s own issue, which is then not alerted apart; an issue under it still is', () => {
    const pay = campaign({ id: 'adcamp_pay', delivery_status: 'payment_failed' });
    const own = issue('adiss_own', pay, 'ad_campaign', 'Payment failed: card declined');
    const under = issue('adiss_ad', { id: 'ad_1' }, 'ad', 'Landing page down');
    pay.issues = [own, under];
    const found = problemsOf(seen([], { campaigns: [pay], issues: [own, under] }), { ...rulesOff, new_issues: true, delivery_status: ['payment_failed'] }, new Set());
    expect(found.map((p) => [p.rule, p.rule === 'issue' ? p.message : p.rule === 'delivery_status' ? p.whopSays : null])).toEqual([
      ['delivery_status', ['Payment failed: card declined']],
      ['issue', 'Landing page down'],
    ]);
    // With the rule off, the same issue is alerted as before.
    expect(problemsOf(seen([], { campaigns: [pay], issues: [own, under] }), { ...rulesOff, new_issues: true }, new Set()).map((p) => p.rule)).toEqual(['issue', 'issue']);
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
    const found = problemsOf(observed, { ...rulesOff, new_issues: true, rejected: true, delivery_status: ['all_ads_rejected'] }, new Set());
    expect(keys(found)).toEqual(['delivery:all_ads_rejected:adcamp_rej', 'delivery:all_ads_rejected:adgrp_out', 'rejected:ad_x']);
    expect(found.find((p) => p.key === 'delivery:all_ads_rejected:adcamp_rej')).toMatchObject({ whopSays: ['Ad rejected: personal attributes'] });
  });
});

describe('creative fatigue rule', () => {
  const FATIGUE = { days: 3, min_impressions: 1000, min_change_pct: 10 };
  const day = (frequency: number | null, ctr: number, impressions = 5000, over: Partial<AdGroup> = {}) =>
    group({ id: 'adgrp_f', frequency, click_through_rate: ctr, impressions, ...over });
  const check = (days: AdGroup[][], fatigue = FATIGUE) => problemsOf(seen([], { days }), { ...rulesOff, fatigue }, new Set());

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
