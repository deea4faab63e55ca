import { describe, expect, it } from 'vitest';
import { replayRules, replayWindow } from '../../src/automation/simulate';
import { parseSettings } from '../../src/config';
import type { AdGroup, ReportRow } from '../../src/whop/types';
import { addDays, localDate } from '../../src/zoned-time';
import { adGroup, dayRow, type HourFigures } from '../support/report-rows';

const ZONE = 'America/New_York';
// 16:00 on Tuesday Nov 24 in New York: two days replayed are the checks from Sunday 17:00 on.
const NOW = new Date('2026-11-24T21:00:00Z');

/** Every local day from the first the replay reads up to today, each hour from `hourly` of the group. */
function rows(settings: ReturnType<typeof parseSettings>, days: number, groups: Record<string, (hour: number) => HourFigures | null>): ReportRow[] {
  const { readFrom } = replayWindow(settings, days, NOW);
  const out: ReportRow[] = [];
  for (let day = localDate(readFrom, ZONE); ; day = addDays(day, 1)) {
    for (const [id, hourly] of Object.entries(groups)) out.push(dayRow(id, day, ZONE, hourly));
    if (day.day === localDate(NOW, ZONE).day) break;
  }
  // Buckets after now have not happened.
  return out.map((row) => ({ ...row, granularity: (row.granularity ?? []).filter((b) => Date.parse(b.bucket_start) < NOW.getTime()) }));
}

const settingsWith = (rules: string, extra = '') =>
  parseSettings(`timezone: ${ZONE}\n${extra}alerts:\n  - channel: C0ALERTS\n    schedule: "0 * * * *"\n    rules:\n${rules.replace(/^/gm, '      ')}\n`);

/** $10 an hour with 1,000 impressions: `results` per hour decides the cost per result. */
const flat = (results: number) => (): HourFigures => ({ spend: 10, impressions: 1000, clicks: 20, results });

const groups = (...over: Partial<AdGroup>[]) => over.map((o, i) => adGroup({ id: `adgrp_${i + 1}`, title: `Group ${i + 1}`, result_event: 'purchase', ...o }));

function replay(rules: string, days: number, list: AdGroup[], hourly: Record<string, (hour: number) => HourFigures | null>, extra = '', notifyAsApprove = false) {
  const settings = settingsWith(rules, extra);
  return replayRules({ settings, groups: list, rows: rows(settings, days, hourly), days, now: NOW, notifyAsApprove });
}

const summary = (r: ReturnType<typeof replay>) =>
  r.rules.flatMap((rule) => rule.events.map((e) => ({ rule: rule.rule, at: e.at.toISOString(), id: e.entity.id, outcome: e.outcome, hold: e.hold, saved: e.savedSpend })));

describe('rules simulate: the replay', () => {
  it('a cost-per-result rule with action: pause fires once on the ad group without results, and counts the spend it saves', () => {
    const result = replay('cost_per_result_above: { limit: 25, action: pause, mode: auto }', 2, groups({}, {}), { adgrp_1: flat(1), adgrp_2: flat(0) });
    expect(result.checks).toBe(48);
    expect(result.from.toISOString()).toBe('2026-11-22T22:00:00.000Z');
    expect(result.to.toISOString()).toBe('2026-11-24T21:00:00.000Z');
    // Paused at the first check; a paused ad group is not judged again, so its alert resolves and never fires again.
    expect(summary(result)).toEqual([{ rule: 'cost_per_result_above', at: '2026-11-22T22:00:00.000Z', id: 'adgrp_2', outcome: 'acted', hold: null, saved: 470 }]);
    expect(result.rules[0]).toMatchObject({ alerts: 1, mode: 'auto', notProposed: {} });
  });

  it('max_actions_per_day per rule and for the account hold back what is over them', () => {
    const bad = { adgrp_1: flat(0), adgrp_2: flat(0), adgrp_3: flat(0) };
    const perRule = replay('cost_per_result_above: { limit: 25, action: pause, mode: auto, max_actions_per_day: 2 }', 2, groups({}, {}, {}), bad);
    expect(summary(perRule).map((e) => [e.at, e.id, e.outcome, e.hold])).toEqual([
      ['2026-11-22T22:00:00.000Z', 'adgrp_1', 'acted', null],
      ['2026-11-22T22:00:00.000Z', 'adgrp_2', 'acted', null],
      ['2026-11-22T22:00:00.000Z', 'adgrp_3', 'held', 'rule_cap'],
      // Today's figures start again at midnight: the alert resolves, opens again at 03:00, and a new day has room.
      ['2026-11-23T08:00:00.000Z', 'adgrp_3', 'acted', null],
    ]);
    const account = replay('cost_per_result_above: { limit: 25, action: pause, mode: auto }', 2, groups({}, {}, {}), bad, 'actions: { max_actions_per_day: 1 }\n');
    expect(summary(account).map((e) => [e.at.slice(0, 10), e.hold])).toEqual([
      ['2026-11-22', null],
      ['2026-11-22', 'account_cap'],
      ['2026-11-22', 'account_cap'],
      ['2026-11-23', null],
      ['2026-11-23', 'account_cap'],
      ['2026-11-24', null],
    ]);
    // Held is not done: nothing saved.
    expect(summary(account).map((e) => e.saved)).toEqual([470, null, null, 370, null, 130]);
  });

  it('pause_until puts the ad group back at midnight, and action_cooldown_hours holds the next day’s firing but not the one after', () => {
    const result = replay('cost_per_result_above: { limit: 25, action: { pause_until: "tomorrow 00:00" }, mode: auto }', 2, groups({}), { adgrp_1: flat(0) });
    expect(summary(result)).toEqual([
      // Sunday 17:00 until Monday 00:00: 7 hours at $10.
      { rule: 'cost_per_result_above', at: '2026-11-22T22:00:00.000Z', id: 'adgrp_1', outcome: 'acted', hold: null, saved: 70 },
      // Monday 03:00, $30 spent with no result: 10 hours after the pause.
      { rule: 'cost_per_result_above', at: '2026-11-23T08:00:00.000Z', id: 'adgrp_1', outcome: 'held', hold: 'cooldown', saved: null },
      // Tuesday 03:00 (the alert resolved overnight and opened again): 34 hours after, paused up to now.
      { rule: 'cost_per_result_above', at: '2026-11-24T08:00:00.000Z', id: 'adgrp_1', outcome: 'acted', hold: null, saved: 130 },
    ]);
    expect(result.rules[0]!.events[0]!.endedAt?.toISOString()).toBe('2026-11-23T05:00:00.000Z');
  });

  it('scale_budget raises the budget of an ad group spending fast, once a day, up to its max_amount', () => {
    const result = replay(
      'pacing: { pct_of_daily_budget: 50, before: "15:00", action: { scale_budget: { by_pct: 20, max_amount: 130 } }, mode: auto }',
      2,
      groups({ budget_amount: 100 }),
      { adgrp_1: flat(1) },
    );
    const plans = result.rules[0]!.events.map((e) => ({ at: e.at.toISOString(), outcome: e.outcome, plan: e.plan }));
    expect(plans).toEqual([
      // Monday 05:00: $50 of $100.
      { at: '2026-11-23T10:00:00.000Z', outcome: 'acted', plan: { kind: 'budget', from: 100, to: 120, currency: 'USD' } },
      // Tuesday 06:00: $60 of the new $120; +20 % would be $144, over max_amount.
      { at: '2026-11-24T11:00:00.000Z', outcome: 'acted', plan: { kind: 'budget', from: 120, to: 130, currency: 'USD' } },
    ]);
  });

  it('revert_after_hours puts the budget back after that long', () => {
    const result = replay(
      'pacing: { pct_of_daily_budget: 50, before: "15:00", action: { scale_budget: { by_pct: 20 } }, mode: auto, revert_after_hours: 6 }',
      2,
      groups({ budget_amount: 100 }),
      { adgrp_1: flat(1) },
    );
    const [first, second] = result.rules[0]!.events;
    expect(first).toMatchObject({ plan: { from: 100, to: 120 }, endedAt: new Date('2026-11-23T16:00:00Z') });
    // Back at $100 by Tuesday: half of it spent at 05:00 again.
    expect(second).toMatchObject({ at: new Date('2026-11-24T10:00:00Z'), plan: { from: 100, to: 120 } });
  });

  it('exclude by title pattern or id leaves an ad group alone; approve mode proposes; notify only alerts', () => {
    const list = groups({ title: 'Brand – search' }, { id: 'adgrp_keep' }, {});
    const bad = { adgrp_1: flat(0), adgrp_keep: flat(0), adgrp_3: flat(0) };
    const rule = (mode: string) => `cost_per_result_above: { limit: 25, action: pause, mode: ${mode}, exclude: ["/^brand/i", adgrp_keep] }`;
    const approve = replay(rule('approve'), 2, list, bad);
    // Each of the three days opens the two excluded ad groups' alerts again; the third is paused at the first.
    expect(approve.rules[0]!.notProposed).toEqual({ excluded: 6 });
    expect(summary(approve).map((e) => [e.id, e.outcome])).toEqual([['adgrp_3', 'proposed']]);
    const notify = replay(rule('notify'), 2, list, bad);
    expect(notify.rules[0]).toMatchObject({ mode: 'notify', asIf: false, alerts: 9, events: [] });
    const asIf = replay(rule('notify'), 2, list, bad, '', true);
    expect(asIf.rules[0]).toMatchObject({ asIf: true });
    expect(summary(asIf).map((e) => e.outcome)).toEqual(['proposed']);
  });

  it('rules the hourly report cannot judge are named as not replayed; rules without an action are not replayed at all', () => {
    const result = replay('roas_below: { limit: 2, action: pause, mode: auto }\nfatigue: { action: pause, mode: auto }\nno_delivery_hours: 3', 2, groups({}), { adgrp_1: flat(1) });
    expect(result.rules).toEqual([]);
    expect(result.skipped).toEqual([
      { channel: 'C0ALERTS', rule: 'roas_below', why: 'no_purchase_value' },
      { channel: 'C0ALERTS', rule: 'fatigue', why: 'no_reach' },
    ]);
  });

  it('an ad group paused now counts as running until its last hour with impressions, paused after', () => {
    // Delivered until Monday 12:00 local, paused in Whop since: judged on Sunday and Monday, not on Tuesday.
    const monday = new Date('2026-11-23T17:00:00Z').getTime();
    const settings = settingsWith('cost_per_result_above: { limit: 25, action: { pause_until: "tomorrow 00:00" }, mode: auto }');
    const all = rows(settings, 2, { adgrp_1: flat(0) }).map((row) => ({ ...row, granularity: (row.granularity ?? []).filter((b) => Date.parse(b.bucket_start) < monday) }));
    const result = replayRules({ settings, groups: groups({ status: 'paused' }), rows: all, days: 2, now: NOW });
    expect(result.rules[0]!.events.map((e) => [e.at.toISOString(), e.outcome])).toEqual([
      ['2026-11-22T22:00:00.000Z', 'acted'],
      ['2026-11-23T08:00:00.000Z', 'held'],
    ]);
  });
});
