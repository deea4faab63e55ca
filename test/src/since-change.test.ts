import { describe, expect, it } from 'vitest';
import { compareAround, floorsOf, metricOf, type RangeStats } from '../../src/alerts/since-change';
import { type AlertRules, parseSettings } from '../../src/config';
import { currencyOf } from '../../src/currency';
import type { Problem } from '../../src/model';

const rules = (yaml: string): AlertRules =>
  parseSettings(['alerts:', '  - channel: C0ALERTS', '    schedule: "* * * * *"', '    rules:', ...yaml.split('\n').map((line) => `      ${line}`)].join('\n')).alerts[0]!.rules;

const stats = (over: Partial<RangeStats> = {}): RangeStats => ({
  spend: 150,
  impressions: 20_000,
  results: 5,
  return_on_ad_spend: 2,
  click_through_rate: 0.012,
  cost_per_mille: 7.5,
  spend_currency: 'usd',
  ...over,
});
const group = { kind: 'ad_group' as const, id: 'adgrp_1', title: 'G', status: 'active' };
const floors = { min_spend: 10, min_impressions: 1000 };

describe('the alert metric since a change', () => {
  it('compares cost per result over the hours since the change with as many hours before it', () => {
    const move = compareAround('cost_per_result', { before: stats({ spend: 122, results: 4 }), since: stats({ spend: 168.4, results: 4 }), hours: 5 }, floors);
    expect(move).toEqual({ metric: 'cost_per_result', hours: 5, before: 30.5, since: 42.1, currency: currencyOf('usd') });
  });

  it('says nothing when either side is under the rule’s floors, however large the move', () => {
    const big = stats({ spend: 400, results: 2 });
    expect(compareAround('cost_per_result', { before: stats({ spend: 2, results: 1 }), since: big, hours: 5 }, floors)).toBeNull();
    expect(compareAround('cost_per_result', { before: stats(), since: stats({ impressions: 999 }), hours: 5 }, floors)).toBeNull();
    // The same figures with floors the rule does not have are judged.
    expect(compareAround('cost_per_result', { before: stats({ spend: 2, results: 1 }), since: big, hours: 5 }, { min_spend: 0, min_impressions: 0 })?.since).toBe(200);
  });

  it('says nothing for a change less than an hour old', () => {
    expect(compareAround('spend', { before: stats(), since: stats({ spend: 300 }), hours: 0.9 }, floors)).toBeNull();
    expect(compareAround('spend', { before: stats(), since: stats({ spend: 300 }), hours: 1 }, floors)?.since).toBe(300);
  });

  it('zero results on either side leave cost per result without a figure: no +∞%', () => {
    expect(compareAround('cost_per_result', { before: stats({ results: 0 }), since: stats(), hours: 3 }, floors)).toBeNull();
    expect(compareAround('cost_per_result', { before: stats(), since: stats({ results: 0 }), hours: 3 }, floors)).toBeNull();
    expect(compareAround('cost_per_result', { before: stats({ results: null }), since: stats(), hours: 3 }, floors)).toBeNull();
    expect(compareAround('roas', { before: stats({ return_on_ad_spend: 0 }), since: stats(), hours: 3 }, floors)).toBeNull();
  });

  it('money is in the account’s currency, as Whop reports the ad group’s spend', () => {
    expect(compareAround('cpm', { before: stats({ spend_currency: 'eur' }), since: stats({ spend_currency: 'eur', cost_per_mille: 9 }), hours: 2 }, floors)).toMatchObject({
      before: 7.5,
      since: 9,
      currency: currencyOf('eur'),
    });
  });

  it('each rule compares its own metric; rules that judge no figure compare none', () => {
    const usd = currencyOf('usd');
    const cases: [Problem, string | null][] = [
      [{ key: 'a', rule: 'cost_per_result', entities: [group], costPerResult: 30, limit: 25, currency: usd }, 'cost_per_result'],
      [{ key: 'b', rule: 'roas', entities: [group], roas: 1, spend: 100, limit: 1.5, settleHours: 3, currency: usd }, 'roas'],
      [{ key: 'c', rule: 'pacing', entities: [group], spend: 90, budget: 100, currency: usd, pct: 80, before: '15:00' }, 'spend'],
      [{ key: 'd', rule: 'no_delivery', entities: [group], hours: 6, settleHours: 3 }, null],
      [{ key: 'e', rule: 'rejected', entities: [group] }, null],
      [{ key: 'f', rule: 'issue', message: 'x', entities: [group] }, null],
    ];
    expect(cases.map(([problem]) => metricOf(problem))).toEqual(cases.map(([, metric]) => metric));
  });

  it('the floors are the rule’s own: the anomaly rule’s for an anomaly, the defaults where a rule has none', () => {
    const set = rules('anomaly: { min_spend: 40, min_impressions: 5000 }\ncost_per_result_above: { limit: 25, min_spend: 3 }');
    const usd = currencyOf('usd');
    const anomaly = { key: 'a', rule: 'anomaly', entities: [group], metric: 'cpm' } as unknown as Problem;
    expect(floorsOf(anomaly, set)).toMatchObject({ min_spend: 40, min_impressions: 5000 });
    expect(floorsOf({ key: 'b', rule: 'cost_per_result', entities: [group], costPerResult: 30, limit: 25, currency: usd }, set)).toMatchObject({
      min_spend: 3,
      min_impressions: 1000,
    });
    expect(floorsOf({ key: 'c', rule: 'pacing', entities: [group], spend: 90, budget: 100, currency: usd, pct: 80, before: '15:00' }, set)).toEqual({
      min_spend: 10,
      min_impressions: 1000,
    });
  });
});
