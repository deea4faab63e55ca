import { describe, expect, it } from 'vitest';
import { type GuardrailInput, holdOf } from '../../src/automation/guardrails';
import { actingRule } from '../../src/automation/rule-action';
import { parseSettings } from '../../src/config';
import type { Firing, FiringPlan } from '../../src/store/types';

const HOUR = 3_600_000;
const NOW = new Date('2026-11-24T15:42:00Z');
const DAY_START = new Date('2026-11-24T05:00:00Z');
const SETTINGS = parseSettings('actions:\n  max_actions_per_day: 5\n  max_change_pct: 50\nbudget:\n  max_amount: 1000');
const acting = actingRule({ action: 'pause', mode: 'auto', max_actions_per_day: 3, action_cooldown_hours: 24 })!;

let n = 0;
const acted = (over: Partial<Firing> & { at: Date }): Firing => ({
  id: `f${n++}`,
  channel: 'C1',
  alertKey: 'k',
  rule: 'cost_per_result_above',
  mode: 'auto',
  entityKind: 'ad_group',
  entityId: `adgrp_other${n}`,
  entityTitle: null,
  plan: { kind: 'toggle', verb: 'pause', until: null },
  why: '',
  state: 'done',
  firedAt: over.at,
  expiresAt: null,
  actedAt: over.at,
  actedBy: 'rule',
  revertAt: null,
  messageTs: 'ts',
  detail: null,
  ...over,
});
const input = (firings: Firing[], plan: FiringPlan = { kind: 'toggle', verb: 'pause', until: null }, over: Partial<GuardrailInput> = {}): GuardrailInput => ({
  rule: 'cost_per_result_above',
  acting,
  entityId: 'adgrp_1',
  plan,
  now: NOW,
  dayStart: DAY_START,
  acted: firings,
  settings: SETTINGS,
  ...over,
});
const times = (count: number, over: Partial<Firing> = {}) => Array.from({ length: count }, (_, i) => acted({ at: new Date(DAY_START.getTime() + i * HOUR), ...over }));

describe('guardrails', () => {
  it('max_actions_per_day per rule: the third of three may act, the fourth is held; yesterday’s do not count', () => {
    expect(holdOf(input(times(2)))).toBeNull();
    expect(holdOf(input(times(3)))).toBe('rule_cap');
    expect(holdOf(input([...times(2), acted({ at: new Date(DAY_START.getTime() - 1) })]))).toBeNull();
    // Other rules' actions count toward the account, not toward this rule.
    expect(holdOf(input(times(4, { rule: 'roas_below' })))).toBeNull();
  });

  it('the account-wide cap counts every rule; undone and reverted actions count, held and skipped ones do not', () => {
    expect(holdOf(input([...times(3, { rule: 'roas_below' }), ...times(2, { rule: 'pacing' })]))).toBe('account_cap');
    expect(holdOf(input(times(3, { state: 'undone' })))).toBe('rule_cap');
    expect(holdOf(input(times(3, { state: 'reverted' })))).toBe('rule_cap');
    expect(holdOf(input(times(3, { state: 'held' })))).toBeNull();
    expect(holdOf(input(times(3, { state: 'skipped' })))).toBeNull();
  });

  it('action_cooldown_hours per rule and entity: held inside it, free at its end, and another rule or entity is free', () => {
    const on = (hoursAgo: number, over: Partial<Firing> = {}) => [acted({ at: new Date(NOW.getTime() - hoursAgo * HOUR), entityId: 'adgrp_1', ...over })];
    expect(holdOf(input(on(23.9)))).toBe('cooldown');
    expect(holdOf(input(on(24)))).toBeNull();
    expect(holdOf(input(on(1, { rule: 'roas_below' })))).toBeNull();
    expect(holdOf(input(on(1, { entityId: 'adgrp_2' })))).toBeNull();
  });

  it('budgets: never past budget.max_amount, and at most max_change_pct a day in total from the day’s first rule change', () => {
    const budget = (from: number, to: number): FiringPlan => ({ kind: 'budget', from, to, currency: null });
    expect(holdOf(input([], budget(900, 1001)))).toBe('above_limit');
    expect(holdOf(input([], budget(900, 1000)))).toBeNull();
    expect(holdOf(input([], budget(100, 150)))).toBeNull();
    expect(holdOf(input([], budget(100, 150.01)))).toBe('change_cap');
    // 100 → 130 this morning by another rule, then 130 → 156 would be +56% on the day.
    const morning = acted({ at: new Date(DAY_START.getTime() + HOUR), entityId: 'adgrp_1', rule: 'roas_below', plan: budget(100, 130) });
    expect(holdOf(input([morning], budget(130, 156)))).toBe('change_cap');
    expect(holdOf(input([morning], budget(130, 150)))).toBeNull();
  });
});
