// What a rule that acts would do about one problem, worked out from the entity as Whop has it now: pure, so the
// alert check, an approval's re-check and `/ads rules simulate` all decide alike.
import type { Settings } from '../config';
import { currencyOf } from '../currency';
import type { ActionableKind, EntityRef, Problem } from '../model';
import type { FiringPlan } from '../store/types';
import type { AdGroup } from '../whop/types';
import { addDays, atLocalTime, localDate, localMinutes } from '../zoned-time';
import { type ActingRule, type RuleAction, TITLE_MATCHED_CHARS, titlePattern } from './rule-action';

/**
 * Why a rule does nothing about a problem it found. `not_actionable`: a campaign, or an item under Whop's review;
 * `excluded`: by id or title pattern; `no_budget`: a budget action on an ad group whose budget its campaign sets;
 * `no_change`: the plan would leave it as it is.
 */
export type NotProposed = 'not_actionable' | 'excluded' | 'no_budget' | 'no_change';

export type Proposal = { ok: true; entity: EntityRef & { kind: ActionableKind }; plan: FiringPlan } | { ok: false; why: NotProposed };

/** The entity an action is about: the first ad or ad group the problem names (an ad group's problem names it first). */
export function targetOf(problem: Problem): (EntityRef & { kind: ActionableKind }) | null {
  const entity = problem.entities.find((e) => e.kind === 'ad_group') ?? problem.entities.find((e) => e.kind === 'ad');
  return entity ? (entity as EntityRef & { kind: ActionableKind }) : null;
}

/** Whether `exclude` names the entity, by id or by a title pattern ("/^Brand/i"). */
export function isExcluded(exclude: readonly string[], entity: { id: string; title: string | null }): boolean {
  const title = (entity.title ?? '').slice(0, TITLE_MATCHED_CHARS);
  return exclude.some((item) => {
    const pattern = titlePattern(item);
    return pattern ? pattern.test(title) : item === entity.id;
  });
}

/** pause_until's local time as the next such moment after `now`: "tomorrow 00:00", or "18:00" (today's if still ahead). */
export function untilOf(written: string, now: Date, timeZone: string): Date {
  const tomorrow = written.startsWith('tomorrow ');
  const [hour, minute] = written
    .slice(tomorrow ? 9 : 0)
    .split(':')
    .map(Number) as [number, number];
  const today = localDate(now, timeZone);
  if (tomorrow) return atLocalTime(addDays(today, 1), hour, minute, timeZone);
  return localMinutes(now, timeZone) < hour * 60 + minute ? atLocalTime(today, hour, minute, timeZone) : atLocalTime(addDays(today, 1), hour, minute, timeZone);
}

const round = (amount: number) => Math.round(amount * 100) / 100;

/** The smallest budget a cut leaves: a rule, like a person, never sets a budget of zero (that is what pause is for). */
const LOWEST_BUDGET = 0.01;

function budgetPlan(action: RuleAction, group: AdGroup, limits: Settings['budget']): FiringPlan | NotProposed {
  const from = group.budget_amount;
  if (from === null || from <= 0) return 'no_budget';
  const currency = currencyOf(group.spend_currency);
  if (typeof action === 'object' && 'set_budget' in action) return { kind: 'budget', from, to: action.set_budget, currency };
  if (typeof action === 'object' && 'scale_budget' in action) {
    const { by_pct, max_amount } = action.scale_budget;
    const cap = Math.min(max_amount ?? Number.POSITIVE_INFINITY, limits.max_amount);
    // A raise stops at the cap; a budget already past it is never raised further, nor lowered by a raise.
    const scaled = round(from * (1 + by_pct / 100));
    const to = by_pct > 0 ? Math.max(from, Math.min(scaled, cap)) : Math.min(from, Math.max(scaled, LOWEST_BUDGET));
    return { kind: 'budget', from, to, currency };
  }
  return 'no_change';
}

/**
 * The plan for one problem: `current` is the entity as Whop reports it at this moment (an ad group for budget
 * actions). Pausing what is paused, or a budget already at its target, is `no_change`: nothing to ask or do.
 */
export function propose(
  problem: Problem,
  rule: ActingRule,
  current: { kind: ActionableKind; id: string; title: string | null; status: string; group?: AdGroup },
  limits: Settings['budget'],
  now: Date,
  timeZone: string,
): Proposal {
  if (!targetOf(problem)) return { ok: false, why: 'not_actionable' };
  const entity = { kind: current.kind, id: current.id, title: current.title, status: current.status };
  if (entity.status !== 'active' && entity.status !== 'paused') return { ok: false, why: 'not_actionable' };
  if (isExcluded(rule.exclude, entity)) return { ok: false, why: 'excluded' };
  const { action } = rule;
  if (action === 'pause' || action === 'unpause') {
    if (entity.status === (action === 'pause' ? 'paused' : 'active')) return { ok: false, why: 'no_change' };
    return { ok: true, entity, plan: { kind: 'toggle', verb: action, until: null } };
  }
  if ('pause_until' in action) {
    if (entity.status === 'paused') return { ok: false, why: 'no_change' };
    return { ok: true, entity, plan: { kind: 'toggle', verb: 'pause', until: untilOf(action.pause_until, now, timeZone).toISOString() } };
  }
  if (entity.kind !== 'ad_group' || !current.group) return { ok: false, why: 'not_actionable' };
  const plan = budgetPlan(action, current.group, limits);
  if (typeof plan === 'string') return { ok: false, why: plan };
  if (plan.kind === 'budget' && plan.to === plan.from) return { ok: false, why: 'no_change' };
  return { ok: true, entity, plan };
}
