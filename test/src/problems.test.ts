import { describe, expect, it } from 'vitest';
import { findProblems, type Observation } from '../../src/alerts/problems';
import { type AlertRules, parseSettings } from '../../src/config';
import type { Problem } from '../../src/model';
import type { AdGroup } from '../../src/whop/types';

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
const seen = (groups: AdGroup[]): Observation => ({
  now: NOW,
  timeZone: 'UTC',
  issues: [],
  entities: new Map(),
  today: groups,
  lastThreeDays: groups,
  recent: groups,
  rejectedAds: [],
  rejectedAdGroups: [],
});
/** The rules as an admin writes them in ads-bot.yml, read by the real config parser. */
const rules = (yaml: string): AlertRules =>
  parseSettings(['alerts:', '  - channel: C0ALERTS', '    schedule: "* * * * *"', '    rules:', ...yaml.split('\n').map((line) => `      ${line}`)].join('\n')).alerts[0]!.rules;
const ids = (found: { problems: Problem[] }) => found.problems.map((p) => p.entities[0]!.id);

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
