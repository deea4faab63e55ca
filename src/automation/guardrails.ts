// The limits on what rules may do by themselves, checked against what they have done already (the firings that
// acted): pure, so the alert check and `/ads rules simulate` hold a rule back alike.
import type { Settings } from '../config';
import type { Firing, FiringPlan } from '../store/types';
import type { ActingRule } from './rule-action';

/**
 * Why a proposed action is held back. `rule_cap` / `account_cap`: max_actions_per_day reached for the rule / all
 * rules; `cooldown`: this rule acted on this entity within action_cooldown_hours; `change_cap`: the budget would
 * move more than actions.max_change_pct from where it stood at the day's first rule change; `above_limit`: past
 * budget.max_amount.
 */
export type Hold = 'rule_cap' | 'account_cap' | 'cooldown' | 'change_cap' | 'above_limit';

export interface GuardrailInput {
  rule: string;
  acting: ActingRule;
  entityId: string;
  plan: FiringPlan;
  now: Date;
  /** Local midnight of today, in the team's zone: the caps count from here. */
  dayStart: Date;
  /** Every firing that acted since min(dayStart, now − action_cooldown_hours), any rule, any entity. */
  acted: readonly Firing[];
  settings: Pick<Settings, 'actions' | 'budget'>;
}

const HOUR = 3_600_000;

/** Counted as acting: what was applied, including what was undone or reverted later (it acted all the same). */
const ACTED: ReadonlySet<Firing['state']> = new Set(['done', 'undone', 'reverted']);

/** The first hold that applies, or null when the rule may act. */
export function holdOf(input: GuardrailInput): Hold | null {
  const { acting, plan, settings, now, dayStart } = input;
  const acted = input.acted.filter((f) => ACTED.has(f.state) && f.actedAt !== null);
  const today = acted.filter((f) => (f.actedAt as Date) >= dayStart);
  if (today.length >= settings.actions.max_actions_per_day) return 'account_cap';
  if (today.filter((f) => f.rule === input.rule).length >= acting.max_actions_per_day) return 'rule_cap';
  const coolFrom = now.getTime() - acting.action_cooldown_hours * HOUR;
  if (acted.some((f) => f.rule === input.rule && f.entityId === input.entityId && (f.actedAt as Date).getTime() > coolFrom)) return 'cooldown';
  if (plan.kind === 'budget') {
    if (plan.to > settings.budget.max_amount) return 'above_limit';
    // Every rule's budget changes to this ad group today, oldest first: the day's starting point is the first one's `from`.
    const changes = today.filter((f) => f.entityId === input.entityId && f.plan.kind === 'budget');
    const first = changes[0]?.plan;
    const start = first?.kind === 'budget' ? first.from : plan.from;
    if (start > 0 && (Math.abs(plan.to - start) / start) * 100 > settings.actions.max_change_pct + 1e-9) return 'change_cap';
  }
  return null;
}
