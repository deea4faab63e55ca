import { describe, expect, it } from 'vitest';
import { inQuietHours } from '../../src/alerts/mentions';
import { findProblems } from '../../src/alerts/problems';
import { marginRules } from '../../src/alerts/recovery';

const TZ = 'America/New_York';
// 2026-11-25 is EST (UTC-5): local hh:mm is UTC minus 5 hours.
const local = (hhmm: string) => new Date(`2026-11-25T${String((Number(hhmm.slice(0, 2)) + 5) % 24).padStart(2, '0')}:${hhmm.slice(3)}:00Z`);

describe('quiet hours', () => {
  it('a span over midnight holds late evening and early morning, not the day; its end is outside it', () => {
    expect(['22:00', '23:59', '00:00', '07:59'].map((t) => inQuietHours('22:00-08:00', local(t), TZ))).toEqual([true, true, true, true]);
    expect(['08:00', '12:00', '21:59'].map((t) => inQuietHours('22:00-08:00', local(t), TZ))).toEqual([false, false, false]);
  });

  it('a span within the day holds only its own hours', () => {
    expect(['12:00', '12:59', '13:00', '11:59'].map((t) => inQuietHours('12:00-13:00', local(t), TZ))).toEqual([true, true, false, false]);
  });
});

describe('recovery margin', () => {
  const seen = (group: Record<string, unknown>) =>
    ({
      now: local('10:00'),
      timeZone: TZ,
      issues: [],
      entities: new Map(),
      today: [{ id: 'adgrp_1', title: 'G', status: 'active', results: 10, spend: 100, spend_currency: 'usd', ...group }],
      lastThreeDays: [{ id: 'adgrp_1', title: 'G', status: 'active', result_event: 'purchase', spend: 100, spend_currency: 'usd', ...group }],
      recent: [],
      rejectedAds: [],
      rejectedAdGroups: [],
      campaigns: [],
      days: [],
    }) as never;
  // Floors off: these cases are about the margin alone.
  const rules = {
    new_issues: false,
    rejected: false,
    delivery_status: [],
    cost_per_result_above: { limit: 10, min_spend: 0, min_impressions: 0 },
    roas_below: { limit: 2, min_spend: 0, min_impressions: 0, settle_hours: 0 },
  };

  it('a cost per result a few cents under its limit has not recovered; 10 % under has', () => {
    const margin = marginRules(rules, 10);
    expect(findProblems(seen({ cost_per_result: 9.95, return_on_ad_spend: 3 }), rules, new Set()).problems).toEqual([]);
    expect(findProblems(seen({ cost_per_result: 9.95, return_on_ad_spend: 3 }), margin, new Set()).problems.map((p) => p.key)).toEqual(['cpr:adgrp_1']);
    expect(findProblems(seen({ cost_per_result: 9, return_on_ad_spend: 3 }), margin, new Set()).problems).toEqual([]);
  });

  it('a ROAS just over its floor has not recovered; 10 % over has', () => {
    const margin = marginRules(rules, 10);
    expect(findProblems(seen({ cost_per_result: 1, return_on_ad_spend: 2.1 }), margin, new Set()).problems.map((p) => p.key)).toEqual(['roas:adgrp_1']);
    expect(findProblems(seen({ cost_per_result: 1, return_on_ad_spend: 2.2 }), margin, new Set()).problems).toEqual([]);
  });

  it('no margin keeps the limits as they are', () => {
    expect(marginRules(rules, 0)).toEqual(rules);
  });
});
