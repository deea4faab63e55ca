// Whop's report shapes, with every null the SDK types allow, through the anomaly rule and the pacing forecast: no
// throw, no broken number, every problem inside its own definition, and valid messages.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertMessage, stillOpen } from '../../blocks/alert';
import { historyDays } from '../../src/alerts/hourly-history';
import { findProblems, type Observation } from '../../src/alerts/problems';
import type { AlertRules } from '../../src/config';
import { ANOMALY_METRICS } from '../../src/model';
import type { AdGroup } from '../../src/whop/types';
import { markupProblems, messageProblems } from '../support/message-problems';
import { observation } from '../support/report-rows';
import { adCampaign, adGroup, BROKEN_NUMBER, reportRow } from '../support/whop-arbitraries';

const RUNS = 500;
const HOUR = 3_600_000;
const timeZone = fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns');
const moment = fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true });
const unique = <T extends { id: string }>(item: fc.Arbitrary<T>, maxLength: number) => fc.uniqueArray(item, { maxLength, selector: (x) => x.id });

const seen: fc.Arbitrary<Observation> = fc
  .record({
    now: moment,
    timeZone,
    groups: unique(adGroup, 6),
    campaigns: unique(adCampaign, 3),
    weeks: fc.integer({ min: 3, max: 6 }),
    daysBefore: fc.integer({ min: 0, max: 3 }),
  })
  .chain(({ now, timeZone, groups, campaigns, weeks, daysBefore }) => {
    const { days, ranges } = historyDays(now, timeZone, weeks, daysBefore);
    // Some ad groups share the campaigns, so campaign budgets are judged too; every other one runs on a daily budget.
    const placed: AdGroup[] = groups.map((g, i) => ({
      ...g,
      ...(campaigns[i % 4] ? { ad_campaign: { id: campaigns[i % 4]!.id } } : {}),
      ...(i % 2 === 0 ? { status: 'active' as const, budget_type: 'daily' as const, budget_amount: 100 } : {}),
    }));
    const ids = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...placed.map((g) => g.id), 'adgrp_unknown') }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) });
    const rowsOf = (week: { from: Date }[]) =>
      fc.array(
        reportRow(
          ids,
          fc.oneof(
            { weight: 12, arbitrary: fc.integer({ min: -1, max: 24 * (daysBefore + 1) + 1 }).map((h) => new Date(week[0]!.from.getTime() + h * HOUR).toISOString()) },
            { weight: 1, arbitrary: fc.constantFrom('', 'not a date', '2026-13-45T99:99:99Z') },
          ),
        ),
        { maxLength: 8 },
      );
    return fc.tuple(...ranges.map(rowsOf)).map((rows): Observation => observation({ now, timeZone, groups: placed, days, daysBefore, rows, campaigns }));
  });

const rules: fc.Arbitrary<AlertRules> = fc.record({
  new_issues: fc.constant(false),
  rejected: fc.constant(false),
  delivery_status: fc.constant([]),
  anomaly: fc.record({
    metrics: fc.subarray([...ANOMALY_METRICS], { minLength: 1 }),
    weeks: fc.integer({ min: 3, max: 6 }),
    sigma: fc.double({ min: 0.01, max: 10, noNaN: true }),
    min_spend: fc.constantFrom(0, 1, 10),
    min_impressions: fc.constantFrom(0, 1, 1000),
    settle_hours: fc.integer({ min: 0, max: 12 }),
    window_hours: fc.integer({ min: 0, max: 12 }),
    trend_hours: fc.integer({ min: 0, max: 72 }),
  }),
  pacing: fc.record({
    forecast: fc.record({
      over_pct: fc.constantFrom(1, 20, 500),
      under_pct: fc.constantFrom(1, 50, 100),
      min_spend: fc.constantFrom(0, 10),
      min_day_pct: fc.constantFrom(1, 15, 100),
      weeks: fc.integer({ min: 3, max: 6 }),
      settle_hours: fc.integer({ min: 0, max: 12 }),
    }),
  }),
});

const finite = (...ns: number[]) => ns.every(Number.isFinite);

describe('Whop report shapes through the anomaly rule and the pacing forecast', () => {
  it(`(${RUNS} generated histories, nulls wherever the SDK allows): problems inside their definitions, valid messages`, () => {
    const found = { anomaly: 0, forecast: 0 };
    fc.assert(
      fc.property(seen, rules, moment, (s, r, openedAt) => {
        const { problems } = findProblems(s, r, new Set());
        for (const p of problems) if (p.rule === 'anomaly' || p.rule === 'forecast') found[p.rule]++;
        expect(new Set(problems.map((p) => p.key)).size).toBe(problems.length);
        const known = new Set([...s.today.map((g) => g.id), ...(s.history?.campaigns ?? []).map((c) => c.id)]);
        for (const problem of problems) {
          expect(known.has(problem.entities[0]!.id)).toBe(true);
          if (problem.rule === 'anomaly') {
            expect(finite(problem.value, problem.usualLow, problem.usualHigh, problem.mean, problem.sigma)).toBe(true);
            expect(problem.usualLow).toBeLessThanOrEqual(problem.usualHigh);
            expect(Math.abs(problem.sigma)).toBeGreaterThan(r.anomaly!.sigma);
            expect(problem.weeks).toBeGreaterThanOrEqual(3);
            expect(problem.hours).toBeGreaterThan(0);
            expect(problem.hours).toBeLessThanOrEqual(24 * (s.history!.daysBefore + 1));
            expect(problem.from).toBeGreaterThanOrEqual(0);
            expect(problem.from).toBeLessThan(24);
          }
          if (problem.rule === 'forecast') {
            expect(finite(problem.soFar, problem.projected, problem.low, problem.high, problem.budget)).toBe(true);
            expect(problem.low).toBeLessThanOrEqual(problem.projected * (1 + 1e-9));
            expect(problem.projected).toBeLessThanOrEqual(problem.high * (1 + 1e-9));
            expect(problem.soFar).toBeGreaterThanOrEqual(r.pacing!.forecast!.min_spend);
          }
          const message = alertMessage({ problem, openedAt, timeZone: s.timeZone, sandbox: false });
          expect(messageProblems(message)).toEqual([]);
          expect(JSON.stringify(message)).not.toMatch(BROKEN_NUMBER);
          expect(markupProblems([stillOpen(problem, openedAt, s.timeZone)])).toEqual([]);
        }
      }),
      { numRuns: RUNS },
    );
    // The generated histories do reach both rules: a property over no problems at all would prove nothing.
    expect(found.anomaly).toBeGreaterThan(0);
    expect(found.forecast).toBeGreaterThan(0);
  });
});
