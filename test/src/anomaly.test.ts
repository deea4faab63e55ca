import { describe, expect, it } from 'vitest';
import { historyDays } from '../../src/alerts/hourly-history';
import { findProblems, findProblemsInTurns } from '../../src/alerts/problems';
import { anomalyProblems } from '../../src/alerts/rules/anomaly';
import { MIN_SD_SHARE, usualOf, zScore } from '../../src/alerts/usual';
import type { AlertRules } from '../../src/config';
import type { Problem } from '../../src/model';
import { addDays } from '../../src/zoned-time';
import { adGroup, anomalyRule, dayRow, forecastRule, type HourFigures, observation } from '../support/report-rows';

const ZONE = 'America/New_York';
// 16:30 on a Tuesday in New York: with 3 hours to settle, the hours up to 13:00 are judged.
const NOW = new Date('2026-11-24T21:30:00Z');
const normal = (): HourFigures => ({ spend: 10, impressions: 1000, clicks: 20, results: 1 });
const scaled = (by: number) => (): HourFigures => ({ spend: 10 * by, impressions: 1000 * by, clicks: 20 * by, results: by });

/** Today's hours from `today`, each past week's from `past(w)` (null: no row that week). */
function seen(today: (hour: number) => HourFigures | null, past: (week: number) => ((hour: number) => HourFigures | null) | null, now = NOW) {
  const { days } = historyDays(now, ZONE, 4);
  const rows = days.map((day, w) => {
    const hourly = w === 0 ? today : past(w);
    return hourly ? [dayRow('adgrp_1', day, ZONE, hourly)] : [];
  });
  return observation({ now, timeZone: ZONE, groups: [adGroup()], days, rows });
}

/**
 * As `seen`, each week's rows also holding the `daysBefore` days before its day; `hourly(back, hour)` gives the
 * figures of local hour `hour` on the day `back` days before it.
 */
function seenDays(today: (back: number, hour: number) => HourFigures, past: (back: number, hour: number) => HourFigures, now: Date, daysBefore: number) {
  const { days } = historyDays(now, ZONE, 4, daysBefore);
  const rows = days.map((day, w) => Array.from({ length: daysBefore + 1 }, (_, back) => dayRow('adgrp_1', addDays(day, -back), ZONE, (h) => (w === 0 ? today : past)(back, h))));
  return observation({ now, timeZone: ZONE, groups: [adGroup()], days, daysBefore, rows });
}

const anomalies = (problems: Problem[]) => problems.flatMap((p) => (p.rule === 'anomaly' ? [p] : []));

describe('what is usual', () => {
  it('mean and sample standard deviation of the weeks present; fewer than three weeks is no judgement', () => {
    const usual = usualOf([10, 12, null, 14, 16])!;
    expect(usual).toMatchObject({ weeks: 4, mean: 13, low: 10, high: 16 });
    expect(usual.sd).toBeCloseTo(Math.sqrt(20 / 3), 10);
    expect(usualOf([10, null, 12, null])).toBeNull();
  });

  it('a flat history has a spread of a tenth of its mean, so noise does not look like 10 σ', () => {
    const usual = usualOf([50, 50, 50, 50])!;
    expect(usual.sd).toBe(50 * MIN_SD_SHARE);
    expect(zScore(56, usual)).toBeCloseTo(1.2, 10);
    expect(usualOf([0, 0, 0])).toBeNull();
  });
});

describe('anomaly rule', () => {
  it('today at the usual pace is nothing; the same day at 1.6 times the delivery is one spend alert (ratios unchanged)', () => {
    expect(
      anomalyProblems(
        seen(normal, () => normal),
        anomalyRule(),
      ),
    ).toEqual([]);

    const [spike, ...more] = anomalies(
      anomalyProblems(
        seen(scaled(1.6), () => normal),
        anomalyRule(),
      ),
    );
    expect(more).toEqual([]);
    expect(spike).toMatchObject({
      key: 'anomaly:spend:adgrp_1:2026-11-24',
      metric: 'spend',
      value: 208,
      usualLow: 130,
      usualHigh: 130,
      mean: 130,
      weeks: 4,
      at: { weekday: 2, hour: 13 },
      currency: 'USD',
    });
    expect(spike!.sigma).toBeCloseTo(78 / 13, 10);
  });

  it('each metric on its own: a cost per result three times the usual, a CTR halved, a CPM doubled', () => {
    const dear = anomalies(
      anomalyProblems(
        seen(
          () => ({ ...normal(), results: 1 / 3 }),
          () => normal,
        ),
        anomalyRule(),
      ),
    );
    expect(dear.map((p) => [p.metric, p.sigma > 0])).toEqual([['cost_per_result', true]]);
    const dull = anomalies(
      anomalyProblems(
        seen(
          () => ({ ...normal(), clicks: 10 }),
          () => normal,
        ),
        anomalyRule(),
      ),
    );
    expect(dull.map((p) => [p.metric, p.sigma < 0])).toEqual([['ctr', true]]);
    const pricey = anomalies(
      anomalyProblems(
        seen(
          () => ({ ...normal(), impressions: 500, clicks: 10, results: 0.5 }),
          () => normal,
        ),
        anomalyRule({ metrics: ['cpm'] }),
      ),
    );
    expect(pricey.map((p) => [p.metric, p.value])).toEqual([['cpm', 20]]);
  });

  it('needs three weeks present: two weeks, or weeks with nothing delivered all day, judge nothing', () => {
    const twoWeeks = seen(scaled(5), (w) => (w <= 2 ? normal : null));
    expect(anomalyProblems(twoWeeks, anomalyRule())).toEqual([]);
    const paused = seen(scaled(5), (w) => (w <= 2 ? normal : () => ({ spend: 0 })));
    expect(anomalyProblems(paused, anomalyRule())).toEqual([]);
    const threeWeeks = seen(scaled(5), (w) => (w <= 3 ? normal : null));
    expect(anomalies(anomalyProblems(threeWeeks, anomalyRule())).map((p) => [p.metric, p.weeks])).toEqual([['spend', 3]]);
  });

  it('below min_spend or min_impressions by the settled hour, nothing is judged', () => {
    const spiky = seen(scaled(5), () => normal);
    expect(anomalyProblems(spiky, anomalyRule({ min_spend: 651 }))).toEqual([]);
    expect(anomalyProblems(spiky, anomalyRule({ min_impressions: 65_001 }))).toEqual([]);
    expect(anomalies(anomalyProblems(spiky, anomalyRule({ min_spend: 650, min_impressions: 65_000 })))).toHaveLength(1);
  });

  it('the newest settle_hours are left out: a spike in the last two hours is not judged yet', () => {
    const late = seen(
      (h) => (h >= 14 ? scaled(20)() : normal()),
      () => normal,
    );
    expect(anomalyProblems(late, anomalyRule())).toEqual([]);
    expect(anomalies(anomalyProblems(late, anomalyRule({ settle_hours: 1 }))).map((p) => p.at.hour)).toEqual([15]);
  });

  it('just after midnight, with nothing of today settled, judges nothing', () => {
    const early = seen(scaled(9), () => normal, new Date('2026-11-24T06:30:00Z'));
    expect(anomalyProblems(early, anomalyRule())).toEqual([]);
  });

  it('keeps its key through the day while the problem lasts', () => {
    const at = (iso: string) =>
      anomalies(
        anomalyProblems(
          seen(scaled(3), () => normal, new Date(iso)),
          anomalyRule({ metrics: ['spend'] }),
        ),
      ).map((p) => p.key);
    expect(at('2026-11-24T18:10:00Z')).toEqual(at('2026-11-25T03:50:00Z'));
  });

  it('no results Whop can attribute (result_count null): no cost per result, and nothing breaks', () => {
    const reach = seen(
      () => ({ ...normal(), results: null }),
      () => () => ({ ...normal(), results: null }),
    );
    expect(anomalyProblems(reach, anomalyRule({ metrics: ['cost_per_result'] }))).toEqual([]);
  });

  it('across the end of daylight time, past weeks are matched by the wall-clock hour, not by 168-hour offsets', () => {
    // Tuesday Nov 3, 2026 (EST) against Oct 27, 20, 13 and 6 (EDT): 10 an hour until 13:00, 100 an hour after.
    const now = new Date('2026-11-03T21:30:00Z');
    const profile = (h: number): HourFigures => (h < 13 ? normal() : { spend: 100, impressions: 10_000, clicks: 200, results: 10 });
    expect(
      anomalyProblems(
        seen(profile, () => profile, now),
        anomalyRule(),
      ),
    ).toEqual([]);

    const doubled = (h: number) => ({ ...profile(h), spend: profile(h).spend * 2 });
    const [spend] = anomalies(
      anomalyProblems(
        seen(doubled, () => profile, now),
        anomalyRule({ metrics: ['spend'] }),
      ),
    );
    // An hour's slip into the evening would make the usual 220, not 130.
    expect(spend).toMatchObject({ value: 260, mean: 130, usualLow: 130, usualHigh: 130, at: { weekday: 2, hour: 13 } });
  });

  it('on the day clocks go back, the repeated hour counts into the same hour of the day', () => {
    // Sunday Nov 1, 2026: 01:00 happens twice; by 13:00 the day has had 14 hours of 10, against 13 on past Sundays.
    const now = new Date('2026-11-01T21:30:00Z');
    const found = anomalies(
      anomalyProblems(
        seen(normal, () => normal, now),
        anomalyRule({ metrics: ['spend'] }),
      ),
    );
    expect(found).toEqual([]);
    const [spend] = anomalies(
      anomalyProblems(
        seen(normal, () => normal, now),
        anomalyRule({ metrics: ['spend'], sigma: 0.5 }),
      ),
    );
    expect(spend).toMatchObject({ value: 140, mean: 130, at: { weekday: 0, hour: 13 } });
  });
});

describe('the trailing window', () => {
  it('a three-hour spike late in the day is found by the window though the day so far is within sigma', () => {
    // Twice the usual from 10:00 to 13:00: the day by 13:00 is 160 against 130 (2.3 σ), those hours 60 against 30.
    const late = seen(
      (h) => (h >= 10 ? scaled(2)() : normal()),
      () => normal,
    );
    expect(anomalyProblems(late, anomalyRule({ window_hours: 0 }))).toEqual([]);
    const [spend, ...more] = anomalies(anomalyProblems(late, anomalyRule({ window_hours: 3 })));
    expect(more).toEqual([]);
    expect(spend).toMatchObject({ key: 'anomaly:spend:adgrp_1:2026-11-24', metric: 'spend', value: 60, mean: 30, from: 10, at: { weekday: 2, hour: 13 } });
  });

  it('with no hours before midnight read, a window longer than the day so far is not judged: the day so far is the span then', () => {
    // 05:30 with 3 hours to settle: hours up to 02:00, fewer than the window's 3.
    const early = seen(scaled(3), () => normal, new Date('2026-11-24T10:30:00Z'));
    expect(anomalies(anomalyProblems(early, anomalyRule({ metrics: ['spend'], min_spend: 0, min_impressions: 0 }))).map((p) => [p.from, p.at.hour])).toEqual([[0, 2]]);
  });

  it('the floors apply to the window’s own figures: a window below min_spend is not judged', () => {
    const late = seen(
      (h) => (h >= 10 ? scaled(2)() : normal()),
      () => normal,
    );
    expect(anomalyProblems(late, anomalyRule({ window_hours: 3, min_spend: 61 }))).toEqual([]);
  });

  it('after the end of daylight time, the window is the same wall-clock hours of past weeks', () => {
    // Sunday Nov 8, 2026 (EST) against Nov 1 (25 hours) and Oct 25, 18, 11 (EDT): 50 an hour from 10:00 to 13:00,
    // 100 an hour otherwise. Today those three hours double: the day by 13:00 moves 1.3 σ, the window 10 σ.
    const now = new Date('2026-11-08T21:30:00Z');
    const lullAt10 = (h: number): HourFigures => (h >= 10 && h < 13 ? scaled(5)() : scaled(10)());
    expect(
      anomalyProblems(
        seen(lullAt10, () => lullAt10, now),
        anomalyRule({ window_hours: 3 }),
      ),
    ).toEqual([]);
    const [spend, ...more] = anomalies(
      anomalyProblems(
        seen(scaled(10), () => lullAt10, now),
        anomalyRule({ metrics: ['spend'], window_hours: 3 }),
      ),
    );
    expect(more).toEqual([]);
    // An hour's slip would put one of the busy hours into the usual: 200, not 150.
    expect(spend).toMatchObject({ value: 300, mean: 150, usualLow: 150, usualHigh: 150, from: 10, at: { weekday: 0, hour: 13 } });
  });
});

describe('the counting noise of a ratio', () => {
  // Results in 5 of the hours up to 13:00 on past Tuesdays; today the same spend bought them in 3.
  const fewResults = (per: number, hours: readonly number[]) => (h: number) => ({ ...normal(), results: hours.includes(h) ? per : 0 });

  it('3 results where 5 are usual is what chance gives a count of 5: not an unusual cost per result', () => {
    const rule = anomalyRule({ metrics: ['cost_per_result'], window_hours: 0 });
    const found = anomalyProblems(
      seen(fewResults(1, [0, 2, 4]), () => fewResults(1, [0, 2, 4, 6, 8])),
      rule,
    );
    expect(found).toEqual([]);
  });

  it('the same drop in a count of 50 is beyond chance: 30 where 50 are usual is judged', () => {
    const [dear] = anomalies(
      anomalyProblems(
        seen(fewResults(10, [0, 2, 4]), () => fewResults(10, [0, 2, 4, 6, 8])),
        anomalyRule({ metrics: ['cost_per_result'], window_hours: 0 }),
      ),
    );
    expect(dear).toMatchObject({ metric: 'cost_per_result', mean: 2.6 });
    expect(dear!.value).toBeCloseTo(130 / 30, 10);
  });

  it('a CTR from a handful of clicks is judged against the spread of that handful', () => {
    // 3 clicks by 13:00 where 6 are usual: half the CTR, within what chance gives 6 clicks.
    const clicks = (n: number) => (h: number) => ({ ...normal(), clicks: h < n ? 1 : 0 });
    const rule = anomalyRule({ metrics: ['ctr'], window_hours: 0 });
    expect(
      anomalyProblems(
        seen(clicks(3), () => clicks(6)),
        rule,
      ),
    ).toEqual([]);
    const many = (n: number) => (h: number) => ({ ...normal(), clicks: h < n ? 100 : 0 });
    expect(
      anomalies(
        anomalyProblems(
          seen(many(3), () => many(6)),
          rule,
        ),
      ).map((p) => p.metric),
    ).toEqual(['ctr']);
  });
});

describe('spans across midnight', () => {
  // 01:30 on a Wednesday in New York: with 3 hours to settle, nothing of today is settled; yesterday's up to 22:00 is.
  const AFTER_MIDNIGHT = new Date('2026-11-25T06:30:00Z');
  const eveningSpike = (back: number, h: number) => (back === 1 && h >= 19 && h < 22 ? scaled(3)() : normal());

  it('an evening spike settled only after midnight is found by the window reaching into yesterday', () => {
    const rule = anomalyRule({ metrics: ['spend'], window_hours: 6, trend_hours: 0 });
    const [spend, ...more] = anomalies(anomalyProblems(seenDays(eveningSpike, normal, AFTER_MIDNIGHT, 1), rule));
    expect(more).toEqual([]);
    // 16:00–22:00 on Tuesday: three usual hours and three at three times the usual, 120 against 60.
    expect(spend).toMatchObject({ key: 'anomaly:spend:adgrp_1:2026-11-25', value: 120, mean: 60, from: 16, hours: 6, at: { weekday: 2, hour: 22 } });
    // Without yesterday's hours the window has nothing settled to judge.
    expect(anomalyProblems(seenDays(eveningSpike, normal, AFTER_MIDNIGHT, 0), rule)).toEqual([]);
  });

  it('past weeks are read across the same midnight: a Tuesday evening that is always busy is nothing', () => {
    const rule = anomalyRule({ metrics: ['spend'], window_hours: 6, trend_hours: 24 });
    expect(anomalyProblems(seenDays(eveningSpike, eveningSpike, AFTER_MIDNIGHT, 2), rule)).toEqual([]);
  });
});

describe('the trend', () => {
  // Results one hour in four on past Tuesdays and the Mondays before them; for the last day, one in ten: a cost per
  // result 2.5 times the usual, on a handful of results. By 13:00 the day so far is 2.7 σ above the mean, the
  // window 1.8 σ, both within what chance gives a handful; the 24 hours' 6 usual results make it 3.7 σ.
  const usual = (): HourFigures => ({ ...normal(), results: 0.25 });
  const dearer = (back: number, h: number): HourFigures => (back === 0 || h >= 13 ? { ...normal(), results: 0.1 } : usual());

  it('a cost per result up for a day on few results is found over trend_hours, not over the day so far or the window', () => {
    const rule = (trend: number) => anomalyRule({ metrics: ['cost_per_result'], window_hours: 6, trend_hours: trend });
    const seenNow = seenDays(dearer, usual, NOW, 1);
    expect(anomalyProblems(seenNow, rule(0))).toEqual([]);
    const [dear, ...more] = anomalies(anomalyProblems(seenNow, rule(24)));
    expect(more).toEqual([]);
    expect(dear).toMatchObject({ metric: 'cost_per_result', mean: 40, from: 13, hours: 24, at: { weekday: 2, hour: 13 } });
    expect(dear!.value).toBeCloseTo(100, 10);
    expect(dear!.sigma).toBeCloseTo(60 / (40 / Math.sqrt(6)), 10);
  });

  it('a trend longer than the days read is not judged', () => {
    const rule = anomalyRule({ metrics: ['cost_per_result'], window_hours: 6, trend_hours: 48 });
    expect(anomalyProblems(seenDays(dearer, usual, NOW, 1), rule)).toEqual([]);
  });
});

describe('the anomaly rule judged in turns', () => {
  it('over 250 ad groups, three of them spiking and every one on course past its budget, a check between turns of the event loop finds exactly what one pass finds', async () => {
    const { days } = historyDays(NOW, ZONE, 4);
    const ids = Array.from({ length: 250 }, (_, i) => `adgrp_${i}`);
    const spiking = new Set(['adgrp_7', 'adgrp_120', 'adgrp_249']);
    const rows = days.map((day, w) => ids.map((id) => dayRow(id, day, ZONE, w === 0 && spiking.has(id) ? scaled(1.6) : normal)));
    const seen = observation({ now: NOW, timeZone: ZONE, groups: ids.map((id) => adGroup({ id })), days, rows });
    const rules = { new_issues: false, rejected: false, delivery_status: [], anomaly: anomalyRule(), pacing: { forecast: forecastRule() } } as AlertRules;
    const once = findProblems(seen, rules, new Set());
    expect(anomalies(once.problems).map((p) => p.key)).toEqual([...spiking].map((id) => `anomaly:spend:${id}:2026-11-24`));
    // $10 an hour against a $100 daily budget: every ad group is on course to spend more.
    expect(once.problems.filter((p) => p.rule === 'forecast')).toHaveLength(250);
    expect(await findProblemsInTurns(seen, rules, new Set())).toEqual(once);
  });
});
