// A firing's way through Whop: the plan worked out and held against the guardrails, the automatic action, the
// approved action after its re-check. Every Whop call is a pipeline step, and every state change a compare-and-set
// on the firing, so whichever replica or restart gets there completes it once.
import { holdWords, notProposedWords, whyWords } from '../../blocks/rule-action';
import type { Attempt, Step } from '../actions/pipeline';
import { observe } from '../alerts/observe';
import { findProblems } from '../alerts/problems';
import type { AlertRules, AlertSettings } from '../config';
import { type ActionableKind, type Problem, STATUS_AFTER } from '../model';
import type { Firing, FiringPlan, FiringState } from '../store/types';
import type { WhopResult } from '../whop/result';
import { localDate, startOfLocalDay } from '../zoned-time';
import { applyStep, type FiringEffect } from './firing-steps';
import { holdOf } from './guardrails';
import { propose, targetOf } from './propose';
import { type ActingRule, actingRule, RULE_KEY } from './rule-action';
import { firingMark, type RuleDeps, ruleRequest } from './rule-deps';

const HOUR = 3_600_000;

/** The acting settings of a rule by its ads-bot.yml key, or null when it only alerts (or the alert has no such rule). */
export function actingRuleOf(rules: AlertRules | undefined, key: string): ActingRule | null {
  const written = rules?.[key as keyof AlertRules];
  return typeof written === 'object' && written !== null && !Array.isArray(written) ? actingRule(written) : null;
}

const stepDeps = (deps: RuleDeps) => ({ gateway: deps.gateway, limits: deps.settings.budget });

type Current = {
  kind: ActionableKind;
  id: string;
  title: string | null;
  status: string;
  group?: Awaited<ReturnType<RuleDeps['gateway']['adGroup']>> extends WhopResult<infer G> ? G : never;
};

/** The entity as Whop has it now: an ad group with its budget, or an ad. */
async function readCurrent(deps: RuleDeps, kind: ActionableKind, id: string): Promise<WhopResult<Current>> {
  if (kind === 'ad_group') {
    const group = await deps.gateway.adGroup(id);
    return group.ok ? { ok: true, value: { kind, id, title: group.value.title, status: group.value.status, group: group.value } } : group;
  }
  const ad = await deps.gateway.ad(id);
  return ad.ok ? { ok: true, value: { kind, id, title: ad.value.title, status: ad.value.status } } : ad;
}

type Planned = { ok: true; plan: FiringPlan; title: string | null; kind: ActionableKind; id: string } | { ok: false; words: string; plan?: FiringPlan };

/** The plan for a problem on the entity as it is now, or why the rule does not act (not proposed, or a guardrail). */
async function planFor(deps: RuleDeps, problem: Problem, acting: ActingRule, exceptId?: string): Promise<Planned> {
  const rule = RULE_KEY[problem.rule];
  const target = targetOf(problem);
  if (!target) return { ok: false, words: notProposedWords('not_actionable', rule) };
  const current = await readCurrent(deps, target.kind, target.id);
  if (!current.ok) return { ok: false, words: `Whop did not answer (${current.error.message})` };
  const now = deps.now();
  const proposal = propose(problem, acting, current.value, deps.settings.budget, now, deps.timeZone);
  if (!proposal.ok) return { ok: false, words: notProposedWords(proposal.why, rule) };
  const dayStart = startOfLocalDay(localDate(now, deps.timeZone), deps.timeZone);
  const since = new Date(Math.min(dayStart.getTime(), now.getTime() - acting.action_cooldown_hours * HOUR));
  const acted = (await deps.firings.actedSince(since)).filter((f) => f.id !== exceptId);
  const hold = holdOf({ rule, acting, entityId: proposal.entity.id, plan: proposal.plan, now, dayStart, acted, settings: deps.settings });
  if (hold) return { ok: false, plan: proposal.plan, words: holdWords(hold, { key: rule, ...acting }, deps.settings) };
  return { ok: true, plan: proposal.plan, title: proposal.entity.title, kind: proposal.entity.kind, id: proposal.entity.id };
}

/** When the bot puts the change back: pause_until's time, or revert_after_hours after acting; null for never. */
const revertAtOf = (plan: FiringPlan, acting: ActingRule, at: Date): Date | null =>
  plan.kind === 'toggle' && plan.until ? new Date(plan.until) : acting.revert_after_hours ? new Date(at.getTime() + acting.revert_after_hours * HOUR) : null;

/** A pipeline step run only while the firing is still `acting`: another replica that completed it first wins. */
function whileActing(deps: RuleDeps, firing: Firing, act: (current: Firing) => Promise<Attempt<FiringEffect>>): Step<FiringEffect> {
  const step = applyStep(stepDeps(deps), firing, firingMark(firing));
  return {
    target: step.target,
    act: async () => {
      const current = await deps.firings.get(firing.id);
      if (current?.state !== 'acting') {
        return {
          outcome: 'already',
          reason: null,
          title: firing.entityTitle,
          before: null,
          after: null,
          detail: `${firingMark(firing)}: completed elsewhere`,
          result: { kind: 'already' },
        };
      }
      return act(current);
    },
  };
}

/** Records what a Whop call did on the firing: done, failed, or left `acting` (Whop unsure) for the next check. */
async function settleEffect(deps: RuleDeps, firing: Firing, acting: ActingRule | null, attempt: Attempt<FiringEffect>, by: string): Promise<Firing> {
  const effect = attempt.result;
  const now = deps.now();
  const moveTo = async (to: FiringState, patch: Parameters<RuleDeps['firings']['move']>[3]) =>
    (await deps.firings.move(firing.id, ['acting'], to, patch)) ?? (await deps.firings.get(firing.id)) ?? firing;
  if (effect.kind === 'done' || effect.kind === 'already') {
    const revertAt = acting ? revertAtOf(firing.plan, acting, now) : firing.revertAt;
    return moveTo('done', { actedAt: now, actedBy: by, revertAt, plan: firing.plan });
  }
  if (effect.kind === 'unsure') return (await deps.firings.get(firing.id)) ?? firing;
  const said = (attempt.detail ?? '').replace(firingMark(firing), '').replace(/^: /, '') || (effect.kind === 'refused' ? effect.reason : '');
  const words = effect.kind === 'moved_on' ? `it changed meanwhile${effect.now ? ` (now ${effect.now})` : ''}` : effect.kind === 'refused' ? said : effect.message;
  return moveTo('failed', { detail: words.slice(0, 500) });
}

/** Acts for an automatic firing that is `acting`, once: a crash before it was recorded is completed by running this again. */
export async function applyAuto(deps: RuleDeps, firing: Firing, acting: ActingRule | null): Promise<Firing> {
  const attempt = await deps.actions.runAsRule(
    ruleRequest(firing, 'apply'),
    whileActing(deps, firing, (current) => applyStep(stepDeps(deps), current, firingMark(current)).act()),
  );
  return settleEffect(deps, firing, acting, attempt, 'rule');
}

export type Fired = { firing: Firing } | { notActed: string } | null;

/**
 * A new problem whose rule acts: the firing of this opening of its alert, claimed once. `auto` acts at once;
 * `approve` waits for an operator; a plan a guardrail holds back is kept as `held`. Null: the rule only alerts.
 */
export async function fire(deps: RuleDeps, alert: AlertSettings, problem: Problem, openedAt: Date): Promise<Fired> {
  const acting = actingRuleOf(alert.rules, RULE_KEY[problem.rule]);
  if (!acting) return null;
  const planned = await planFor(deps, problem, acting);
  const target = targetOf(problem);
  if (!target || (!planned.ok && !planned.plan)) return { notActed: planned.ok ? '' : planned.words };
  const now = deps.now();
  const firing: Firing = {
    id: `${alert.channel}:${problem.key}:${openedAt.toISOString()}`,
    channel: alert.channel,
    alertKey: problem.key,
    rule: RULE_KEY[problem.rule],
    mode: acting.mode,
    entityKind: target.kind,
    entityId: target.id,
    entityTitle: planned.ok ? planned.title : target.title,
    // biome-ignore lint/style/noNonNullAssertion: a plan is there unless returned above
    plan: planned.plan!,
    why: whyWords(problem).slice(0, 500),
    state: !planned.ok ? 'held' : acting.mode === 'auto' ? 'acting' : 'awaiting',
    firedAt: openedAt,
    expiresAt: acting.mode === 'approve' && planned.ok ? new Date(now.getTime() + acting.approve_within_hours * HOUR) : null,
    actedAt: null,
    actedBy: null,
    revertAt: null,
    messageTs: null,
    detail: planned.ok ? null : planned.words.slice(0, 500),
  };
  if (!(await deps.firings.claim(firing))) {
    // Another replica (or an earlier run of this check) has it: show it as it stands; it completes it.
    const existing = await deps.firings.get(firing.id);
    return existing ? { firing: existing } : null;
  }
  deps.log.info({ firing: firing.id, rule: firing.rule, state: firing.state }, 'rule fired');
  if (firing.state !== 'acting') return { firing };
  return { firing: await applyAuto(deps, firing, acting) };
}

/** The one rule of the alert that fired, alone: the approval's re-check asks Whop for nothing else. */
const onlyRule = (rules: AlertRules, key: string): AlertRules => ({ new_issues: false, rejected: false, delivery_status: [], [key]: rules[key as keyof AlertRules] }) as AlertRules;

/**
 * An approved firing (`acting`), re-checked before anything changes: the rule must still find the problem, the
 * entity must still take the plan (re-planned from the budget it has now), and no guardrail may hold it. Then the
 * plan is applied, under the entity's lock.
 */
async function applyApproved(deps: RuleDeps, alert: AlertSettings | undefined, current: Firing): Promise<Attempt<FiringEffect>> {
  const refuse = (words: string): Attempt<FiringEffect> => ({
    outcome: 'refused',
    reason: 'moved_on',
    title: current.entityTitle,
    before: null,
    after: null,
    detail: `${firingMark(current)}: ${words}`,
    result: { kind: 'refused', reason: 'moved_on' },
  });
  const acting = actingRuleOf(alert?.rules, current.rule);
  if (!alert || !acting) return refuse('the rule no longer acts in ads-bot.yml');
  const rules = onlyRule(alert.rules, current.rule);
  const seen = await observe(deps.gateway, rules, deps.now(), deps.timeZone, deps.history);
  if (!seen.ok) return refuse(`Whop did not answer the re-check (${seen.error.message})`);
  const problem = findProblems(seen.value, rules, new Set([current.alertKey])).problems.find((p) => p.key === current.alertKey);
  if (!problem) return refuse('the rule no longer finds the problem');
  const planned = await planFor(deps, problem, acting, current.id);
  if (!planned.ok) return refuse(planned.words);
  current.plan = planned.plan;
  return applyStep(stepDeps(deps), current, firingMark(current)).act();
}

/** Completes an approved firing: re-check and act, then record it. `by`: the approver. */
export async function completeApproved(deps: RuleDeps, alert: AlertSettings | undefined, current: Firing, by: string): Promise<{ attempt: Attempt<FiringEffect>; firing: Firing }> {
  // The plan may be worked out again from the entity as it is now: what is recorded is what was applied.
  const replanned = { ...current };
  const attempt = await applyApproved(deps, alert, replanned);
  return { attempt, firing: await settleEffect(deps, replanned, actingRuleOf(alert?.rules, current.rule), attempt, by) };
}

/** The problem as its alert shows it once the rule acted: the entity it paused shows paused (and offers Unpause). */
export function shownProblem(problem: Problem, fired: Fired): Problem {
  if (!fired || !('firing' in fired) || fired.firing.state !== 'done' || fired.firing.plan.kind !== 'toggle') return problem;
  const { firing } = fired;
  const status = STATUS_AFTER[(firing.plan as Extract<FiringPlan, { kind: 'toggle' }>).verb];
  return { ...problem, entities: problem.entities.map((e) => (e.id === firing.entityId ? { ...e, status } : e)) };
}
