import { describe, expect, it } from 'vitest';
import { propose, untilOf } from '../../src/automation/propose';
import { type ActingRule, actingRule } from '../../src/automation/rule-action';
import { parseSettings } from '../../src/config';
import { currencyOf } from '../../src/currency';
import type { Problem } from '../../src/model';
import type { AdGroup } from '../../src/whop/types';

const NOW = new Date('2026-11-24T15:42:00Z');
const TZ = 'America/New_York';
const LIMITS = parseSettings('').budget;
const group = (over: Partial<AdGroup> = {}): AdGroup => ({ id: 'adgrp_1', title: 'Broad – US', status: 'active', budget_amount: 100, spend_currency: 'usd', ...over }) as AdGroup;
const problem = (entity: { kind?: 'ad' | 'ad_group' | 'ad_campaign'; id?: string; status?: string } = {}): Problem => ({
  key: 'cpr:adgrp_1',
  rule: 'cost_per_result',
  entities: [{ kind: entity.kind ?? 'ad_group', id: entity.id ?? 'adgrp_1', title: 'Broad – US', status: entity.status ?? 'active' }],
  costPerResult: 61,
  limit: 40,
  currency: currencyOf('usd'),
});
const rule = (written: Record<string, unknown>): ActingRule => {
  const acting = actingRule({ mode: 'auto', ...written } as Parameters<typeof actingRule>[0]);
  if (!acting) throw new Error('not acting');
  return acting;
};
const current = (g: AdGroup) => ({ kind: 'ad_group' as const, id: g.id, title: g.title, status: g.status, group: g });
const plan = (action: unknown, g = group(), p = problem(), limits = LIMITS) => propose(p, rule({ action }), current(g), limits, NOW, TZ);

describe('propose', () => {
  it('plans every kind of action from the entity as Whop has it now', () => {
    expect(plan('pause')).toMatchObject({ ok: true, plan: { kind: 'toggle', verb: 'pause', until: null } });
    expect(plan('unpause', group({ status: 'paused' }))).toMatchObject({ ok: true, plan: { kind: 'toggle', verb: 'unpause' } });
    expect(plan({ scale_budget: { by_pct: 20 } })).toMatchObject({ ok: true, plan: { kind: 'budget', from: 100, to: 120 } });
    expect(plan({ scale_budget: { by_pct: -25 } })).toMatchObject({ ok: true, plan: { kind: 'budget', from: 100, to: 75 } });
    expect(plan({ set_budget: 250 })).toMatchObject({ ok: true, plan: { kind: 'budget', from: 100, to: 250 } });
    expect(plan({ pause_until: 'tomorrow 00:00' })).toMatchObject({ ok: true, plan: { kind: 'toggle', verb: 'pause', until: '2026-11-25T05:00:00.000Z' } });
  });

  it('a raise stops at max_amount and at budget.max_amount, and never lowers a budget already past them', () => {
    expect(plan({ scale_budget: { by_pct: 50, max_amount: 130 } })).toMatchObject({ plan: { to: 130 } });
    expect(plan({ scale_budget: { by_pct: 50 } }, group(), problem(), { ...LIMITS, max_amount: 110 })).toMatchObject({ plan: { to: 110 } });
    expect(plan({ scale_budget: { by_pct: 50, max_amount: 80 } })).toEqual({ ok: false, why: 'no_change' });
  });

  it('a budget null (set by the campaign) or 0 cannot be scaled; a budget already at its target is no change', () => {
    expect(plan({ scale_budget: { by_pct: 20 } }, group({ budget_amount: null }))).toEqual({ ok: false, why: 'no_budget' });
    expect(plan({ set_budget: 50 }, group({ budget_amount: 0 }))).toEqual({ ok: false, why: 'no_budget' });
    expect(plan({ set_budget: 100 })).toEqual({ ok: false, why: 'no_change' });
  });

  it('a cut never takes a budget to zero: a tiny budget goes down to a cent at most, and one at a cent is no change', () => {
    expect(plan({ scale_budget: { by_pct: -90 } }, group({ budget_amount: 0.04 }))).toMatchObject({ ok: true, plan: { from: 0.04, to: 0.01 } });
    expect(plan({ scale_budget: { by_pct: -90 } }, group({ budget_amount: 0.01 }))).toEqual({ ok: false, why: 'no_change' });
  });

  it('pausing what is paused, or unpausing what is active, is no change', () => {
    expect(plan('pause', group({ status: 'paused' }))).toEqual({ ok: false, why: 'no_change' });
    expect(plan({ pause_until: '18:00' }, group({ status: 'paused' }))).toEqual({ ok: false, why: 'no_change' });
    expect(plan('unpause')).toEqual({ ok: false, why: 'no_change' });
  });

  it('excludes by id and by title pattern, flags included', () => {
    const excluded = (exclude: string[]) => propose(problem(), rule({ action: 'pause', exclude }), current(group()), LIMITS, NOW, TZ);
    expect(excluded(['adgrp_1'])).toEqual({ ok: false, why: 'excluded' });
    expect(excluded(['adgrp_2'])).toMatchObject({ ok: true });
    expect(excluded(['/^broad/i'])).toEqual({ ok: false, why: 'excluded' });
    expect(excluded(['/^broad/'])).toMatchObject({ ok: true });
    expect(excluded(['/– US$/'])).toEqual({ ok: false, why: 'excluded' });
  });

  it('does not act on a campaign, on an item under review, or on an ad with a budget action', () => {
    expect(plan('pause', group(), problem({ kind: 'ad_campaign', id: 'adcamp_1' }))).toEqual({ ok: false, why: 'not_actionable' });
    expect(plan('pause', group({ status: 'in_review' as AdGroup['status'] }))).toEqual({ ok: false, why: 'not_actionable' });
    const ad = { kind: 'ad' as const, id: 'ad_1', title: 'Ad', status: 'active' };
    expect(propose(problem({ kind: 'ad', id: 'ad_1' }), rule({ action: { set_budget: 5 } }), ad, LIMITS, NOW, TZ)).toEqual({ ok: false, why: 'not_actionable' });
    expect(propose(problem({ kind: 'ad', id: 'ad_1' }), rule({ action: 'pause' }), ad, LIMITS, NOW, TZ)).toMatchObject({ ok: true, entity: { kind: 'ad', id: 'ad_1' } });
  });
});

describe('pause_until', () => {
  it('"18:00" is today’s while it is ahead, else tomorrow’s; "tomorrow 00:00" is the next local midnight', () => {
    expect(untilOf('18:00', NOW, TZ).toISOString()).toBe('2026-11-24T23:00:00.000Z');
    expect(untilOf('09:00', NOW, TZ).toISOString()).toBe('2026-11-25T14:00:00.000Z');
    expect(untilOf('10:42', NOW, TZ).toISOString()).toBe('2026-11-25T15:42:00.000Z');
  });

  it('across DST changes the local time holds, not the number of hours', () => {
    // Saturday 2026-03-07 20:00 in New York (EST); the clocks spring forward that night.
    const beforeSpring = new Date('2026-03-08T01:00:00Z');
    expect(untilOf('tomorrow 00:00', beforeSpring, TZ).toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(untilOf('18:00', beforeSpring, TZ).toISOString()).toBe('2026-03-08T22:00:00.000Z');
    // Saturday 2026-10-31 22:00 in New York (EDT); the clocks fall back that night.
    const beforeFall = new Date('2026-11-01T02:00:00Z');
    expect(untilOf('tomorrow 00:00', beforeFall, TZ).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(untilOf('09:00', beforeFall, TZ).toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('a time the clocks skip is taken as that long after the skip, never an hour early', () => {
    // 02:30 does not exist in New York on 2027-03-14: the pause lasts until 03:30 EDT, not 01:30 EST.
    expect(untilOf('02:30', new Date('2027-03-14T06:10:00Z'), TZ).toISOString()).toBe('2027-03-14T07:30:00.000Z');
    // Santiago skips its midnight on 2026-09-06: "tomorrow 00:00" is 01:00 that day, not 23:00 the day before.
    expect(untilOf('tomorrow 00:00', new Date('2026-09-05T16:00:00Z'), 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
  });
});
