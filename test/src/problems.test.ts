import { describe, expect, it } from 'vitest';
import { findProblems, type Observation } from '../../src/alerts/problems';
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
const rules = { new_issues: false, rejected: false };

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
