import { describe, expect, it } from 'vitest';
import { historyDays } from '../../src/alerts/hourly-history';
import { forecastProblems } from '../../src/alerts/rules/forecast';
import type { Problem } from '../../src/model';
import type { AdGroup } from '../../src/whop/types';
import { adGroup, campaign, dayRow, forecastRule, observation } from '../support/report-rows';

const ZONE = 'America/New_York';
// 16:30 on a Tuesday: the hours up to 13:00 are settled.
const NOW = new Date('2026-11-24T21:30:00Z');

/** A usual day: 2 an hour through 11:00, 6 an hour from noon (96 in all, 30 by 13:00); week w adds w at midnight. */
const usualDay = (week: number) => (h: number) => ({ spend: (h < 12 ? 2 : 6) + (h === 0 ? week : 0), impressions: 100 });
const times = (by: number) => (h: number) => ({ spend: usualDay(0)(h).spend * by, impressions: 100 });

function seen(today: (h: number) => { spend: number }, groups: AdGroup[] = [adGroup()], campaigns = [campaign({ budget_type: null, budget_amount: null })], now = NOW) {
  const { days } = historyDays(now, ZONE, 4);
  const rows = days.map((day, w) => groups.map((g) => dayRow(g.id, day, ZONE, w === 0 ? today : usualDay(w))));
  return observation({ now, timeZone: ZONE, groups, days, rows, campaigns });
}

const forecasts = (problems: Problem[]) => problems.flatMap((p) => (p.rule === 'forecast' ? [p] : []));
/** The shares of past days spent by 13:00: (30 + w) / (96 + w). */
const shares = [1, 2, 3, 4].map((w) => (30 + w) / (96 + w));
const meanShare = shares.reduce((a, b) => a + b, 0) / shares.length;

describe('pacing forecast', () => {
  it('a usual day is on course for its usual total by the hour-of-day curve, where a straight line would say half of it', () => {
    // 30 by 13:00 is 55 as a straight line over 24 hours: an underspend at 50% off a budget of 115.
    const onTrack = seen(times(1), [adGroup({ budget_amount: 115 })]);
    expect(forecastProblems(onTrack, forecastRule())).toEqual([]);
  });

  it('twice the usual pace is on course to overspend, with the projection and its range from the past weeks’ shares', () => {
    const [over, ...rest] = forecasts(forecastProblems(seen(times(2)), forecastRule()));
    expect(rest).toEqual([]);
    expect(over).toMatchObject({ key: 'forecast:over:adgrp_1:2026-11-24', direction: 'over', soFar: 60, budget: 100, at: { weekday: 2, hour: 13 }, currency: 'USD' });
    expect(over!.projected).toBeCloseTo(60 / meanShare, 10);
    expect(over!.low).toBeCloseTo(60 / Math.max(...shares), 10);
    expect(over!.high).toBeCloseTo(60 / Math.min(...shares), 10);
  });

  it('under half the budget projected is on course to underspend; between the two shares, nothing', () => {
    expect(forecasts(forecastProblems(seen(times(0.45)), forecastRule())).map((p) => p.direction)).toEqual(['under']);
    expect(forecastProblems(seen(times(1.1)), forecastRule())).toEqual([]);
    expect(forecastProblems(seen(times(2)), forecastRule({ over_pct: 100 }))).toEqual([]);
  });

  it('a campaign-level daily budget is judged on the sum of its ad groups', () => {
    const groups = [adGroup({ id: 'adgrp_a', budget_type: null, budget_amount: null }), adGroup({ id: 'adgrp_b', budget_type: null, budget_amount: null })];
    const [over] = forecasts(forecastProblems(seen(times(1), groups, [campaign({ budget_amount: 150 })]), forecastRule()));
    expect(over).toMatchObject({ key: 'forecast:over:adcamp_1:2026-11-24', entities: [{ kind: 'ad_campaign', id: 'adcamp_1' }], soFar: 60 });
  });

  it('floors: less than min_spend so far, or too small a share of the day done, projects nothing', () => {
    expect(forecastProblems(seen(times(2)), forecastRule({ min_spend: 61 }))).toEqual([]);
    expect(forecastProblems(seen(times(2)), forecastRule({ min_day_pct: 33 }))).toEqual([]);
    // 05:30: the hours up to 02:00 are settled, a few per cent of a day; the default floor is 15%.
    expect(forecastProblems(seen(times(20), [adGroup()], [], new Date('2026-11-24T10:30:00Z')), forecastRule())).toEqual([]);
  });

  it('paused ad groups, lifetime budgets and too few past weeks are not projected', () => {
    expect(forecastProblems(seen(times(3), [adGroup({ status: 'paused' })]), forecastRule())).toEqual([]);
    expect(forecastProblems(seen(times(3), [adGroup({ budget_type: 'lifetime' })]), forecastRule())).toEqual([]);
    const { days } = historyDays(NOW, ZONE, 4);
    const rows = days.map((day, w) => (w === 0 || w === 1 ? [dayRow('adgrp_1', day, ZONE, w === 0 ? times(3) : usualDay(w))] : []));
    expect(forecastProblems(observation({ now: NOW, timeZone: ZONE, groups: [adGroup()], days, rows }), forecastRule())).toEqual([]);
  });
});
