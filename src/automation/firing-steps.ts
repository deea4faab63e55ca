// The two things a firing does to Whop, as steps of the action pipeline: apply its plan (an automatic action, an
// approval) and put it back (Undo, revert_after_hours, pause_until). Each reads the entity first, under its lock,
// and changes nothing unless the entity still is as the plan expects: someone's change made since always wins.
import type { Attempt, Step } from '../actions/pipeline';
import type { Reason } from '../actions/reasons';
import { budgetTarget } from '../budget/budget-change';
import type { Settings } from '../config';
import { changeDelivery, deliveryTarget } from '../delivery/change-delivery';
import { OPPOSITE, STATUS_AFTER } from '../model';
import type { Firing } from '../store/types';
import type { AdsGateway } from '../whop/gateway';

/**
 * What a step did. `moved_on`: the entity is no longer as the plan left (or found) it; `now` is what it is instead.
 * `unsure`: Whop did not confirm the call, which may have been applied.
 */
export type FiringEffect =
  | { kind: 'done' }
  | { kind: 'already' }
  | { kind: 'moved_on'; now: string | null }
  | { kind: 'refused'; reason: Reason }
  | { kind: 'failed'; message: string }
  | { kind: 'unsure'; message: string };

export interface FiringStepDeps {
  gateway: AdsGateway;
  limits: Settings['budget'];
}

const amount = (value: number | null) => (value === null ? null : String(value));

function fromDelivery(attempt: Awaited<ReturnType<typeof changeDelivery>>, detail: string): Attempt<FiringEffect> {
  const change = attempt.result;
  const effect: FiringEffect =
    change.outcome === 'done'
      ? { kind: 'done' }
      : change.outcome === 'already'
        ? { kind: 'already' }
        : change.outcome === 'under_review'
          ? { kind: 'refused', reason: 'under_review' }
          : change.outcome === 'failed'
            ? { kind: 'failed', message: change.failure.message }
            : { kind: 'unsure', message: change.failure.message };
  return { ...attempt, detail: [detail, attempt.detail].filter(Boolean).join(': '), result: effect };
}

/** Sets a budget from `from` to `to`, or says why not: the budget moved, or `to` is past budget.max_amount. */
async function moveBudget(deps: FiringStepDeps, firing: Firing, from: number, to: number, detail: string): Promise<Attempt<FiringEffect>> {
  const found = await deps.gateway.adGroup(firing.entityId);
  const facts = { title: firing.entityTitle, before: null, after: null, detail };
  if (!found.ok) {
    const reason: Reason = found.error.kind === 'not_found' ? 'not_found' : 'whop_failed';
    return { ...facts, outcome: 'failed', reason, result: { kind: 'failed', message: found.error.message } };
  }
  const group = found.value;
  const seen = { ...facts, title: group.title, before: amount(group.budget_amount) };
  if (group.budget_amount === to) return { ...seen, outcome: 'already', reason: null, after: amount(to), result: { kind: 'already' } };
  if (group.budget_amount !== from) return { ...seen, outcome: 'refused', reason: 'moved_on', result: { kind: 'moved_on', now: amount(group.budget_amount) } };
  if (to > deps.limits.max_amount) return { ...seen, outcome: 'refused', reason: 'above_limit', result: { kind: 'refused', reason: 'above_limit' } };
  const updated = await deps.gateway.setBudget(group.id, to);
  if (!updated.ok) {
    const unsure = updated.error.unsure;
    return {
      ...seen,
      outcome: 'failed',
      reason: unsure ? 'whop_unsure' : 'whop_failed',
      detail: `${detail}: ${updated.error.detail ?? updated.error.message}`,
      result: unsure ? { kind: 'unsure', message: updated.error.message } : { kind: 'failed', message: updated.error.message },
    };
  }
  return { ...seen, outcome: 'done', reason: null, after: amount(updated.value.budget_amount), result: { kind: 'done' } };
}

/**
 * Applies the plan. Run again after a crash it finds the change made and answers `already`: the Idempotency-Key is
 * the firing's own, so Whop never applies a pause twice either.
 */
export function applyStep(deps: FiringStepDeps, firing: Firing, detail: string): Step<FiringEffect> {
  const { plan } = firing;
  if (plan.kind === 'toggle') {
    return {
      target: deliveryTarget(firing.entityKind, firing.entityId, plan.verb),
      act: async () => fromDelivery(await changeDelivery(deps.gateway, { kind: firing.entityKind, id: firing.entityId, verb: plan.verb, key: `${firing.id}:apply` }), detail),
    };
  }
  return { target: budgetTarget(firing.entityId), act: () => moveBudget(deps, firing, plan.from, plan.to, detail) };
}

/** Puts the entity back as it was before the firing, only while it still is as the firing left it. */
export function reverseStep(deps: FiringStepDeps, firing: Firing, detail: string): Step<FiringEffect> {
  const { plan } = firing;
  if (plan.kind === 'budget') return { target: budgetTarget(firing.entityId), act: () => moveBudget(deps, firing, plan.to, plan.from, detail) };
  const verb = OPPOSITE[plan.verb];
  return {
    target: deliveryTarget(firing.entityKind, firing.entityId, verb),
    act: async () => {
      const read = firing.entityKind === 'ad' ? await deps.gateway.ad(firing.entityId) : await deps.gateway.adGroup(firing.entityId);
      if (read.ok && read.value.status !== STATUS_AFTER[plan.verb]) {
        return {
          title: read.value.title,
          before: read.value.status,
          after: null,
          detail,
          outcome: 'refused',
          reason: 'moved_on',
          result: { kind: 'moved_on', now: read.value.status },
        };
      }
      return fromDelivery(await changeDelivery(deps.gateway, { kind: firing.entityKind, id: firing.entityId, verb, key: `${firing.id}:reverse` }), detail);
    },
  };
}
