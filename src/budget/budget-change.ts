import { z } from 'zod';
import { changePercent } from '../../blocks/budget';
import { money, title } from '../../blocks/format';
import {
  budgetMovedOn,
  budgetSetByCampaign,
  budgetTooHigh,
  budgetUnsure,
  couldNot,
  currencyUnknown,
  noSuchAdGroup,
  notYourChange,
  pendingGone,
  sameBudget,
  wrongCurrency,
} from '../../blocks/notices';
import type { Attempt, Target } from '../actions/pipeline';
import type { Reason } from '../actions/reasons';
import type { ActionRequest } from '../actions/request';
import type { Settings } from '../config';
import { type Currency, currencyOf } from '../currency';
import type { Logger } from '../logger';
import { AD_GROUP_ID, type Amount, type BudgetChange } from '../model';
import type { PendingChange, PendingChanges, PendingLookup, PendingPurpose } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { AdGroup } from '../whop/types';

export interface BudgetDeps {
  gateway: AdsGateway;
  pending: PendingChanges;
  limits: Settings['budget'];
  now: () => Date;
  log: Logger;
}

/** A change planned at one step and applied at a later one: from the budget it had then, to the new one. */
export interface BudgetPlan {
  id: string;
  from: number;
  to: number;
}

/** How long a Confirm, an Undo or an open Edit budget form stays usable. */
export const PENDING_TTL_MS = 15 * 60_000;

/** What the person is shown; `confirmId`/`undoId` are the pending changes their buttons carry. */
export type BudgetResult =
  | { kind: 'asked'; change: BudgetChange; confirmId: string }
  | { kind: 'done'; change: BudgetChange; undoId: string | null }
  | { kind: 'cancelled'; id: string }
  | { kind: 'not_done'; message: string };

export const budgetTarget = (id: string): Target => ({ action: 'ad_group.budget', entityKind: 'ad_group', entityId: id });

const currencyOfGroup = (group: AdGroup) => currencyOf(group.spend_currency);

const asChange = (group: AdGroup, from: number, to: number): BudgetChange => ({
  id: group.id,
  title: group.title,
  from,
  to,
  type: group.budget_type,
  currency: currencyOfGroup(group),
});

const amountText = (amount: number | null) => (amount === null ? null : String(amount));

/** An attempt that changed nothing, with what to tell the person. */
export const notDone = (
  outcome: 'refused' | 'failed',
  reason: Reason,
  message: string,
  facts: { title?: string | null; before?: number | null; detail?: string | null } = {},
): Attempt<BudgetResult> => ({
  outcome,
  reason,
  title: facts.title ?? null,
  before: amountText(facts.before ?? null),
  after: null,
  detail: facts.detail ?? null,
  result: { kind: 'not_done', message },
});

/** A budget as the guardrails see it: what it is now, in which currency (null: Whop does not say). */
export interface CurrentBudget {
  id: string;
  title: string | null;
  amount: number;
  currency: Currency | null;
}

/** The guardrails that need no call to anyone: the limit, the account's currency, a real change. */
export function budgetProblem(limits: Settings['budget'], current: CurrentBudget, wanted: Amount): { reason: Reason; message: string } | null {
  if (wanted.amount > limits.max_amount) return { reason: 'above_limit', message: budgetTooHigh(wanted.amount, limits.max_amount, current.currency) };
  if (wanted.currency && wanted.currency !== current.currency) {
    return { reason: 'wrong_currency', message: current.currency ? wrongCurrency(wanted.currency, current.currency) : currencyUnknown(wanted.currency) };
  }
  if (wanted.amount === current.amount) return { reason: 'same_budget', message: sameBudget(current.title, current.id, money(wanted.amount, current.currency)) };
  return null;
}

const needsConfirmation = (limits: Settings['budget'], from: number, to: number): boolean => changePercent(from, to) > limits.confirm_change_pct;

type Loaded = { ok: true; group: AdGroup } | { ok: false; attempt: Attempt<BudgetResult> };

async function loadGroup(deps: BudgetDeps, id: string): Promise<Loaded> {
  const found = await deps.gateway.adGroup(id);
  if (found.ok) return { ok: true, group: found.value };
  // An id Whop does not know and one of another account are recorded alike: the reason says it all.
  if (found.error.kind === 'not_found') return { ok: false, attempt: notDone('refused', 'not_found', noSuchAdGroup(id)) };
  const detail = found.error.detail ?? found.error.message;
  return { ok: false, attempt: notDone('failed', 'whop_failed', couldNot(`read ad group \`${id}\``, found.error.message), { detail }) };
}

const planSchema = z.object({ id: z.string().regex(AD_GROUP_ID), from: z.number().nonnegative().finite(), to: z.number().positive().finite() });

/** The plan a pending change holds, read back from the store (written by keepPending); null if it is not one. */
export const planOf = (change: PendingChange): BudgetPlan | null => {
  const parsed = planSchema.safeParse(change.plan);
  return parsed.success ? parsed.data : null;
};

const PENDING_MINUTES = PENDING_TTL_MS / 60_000;
const gone = (why: PendingLookup & { ok: false }) => notDone('refused', `change_${why.why}`, pendingGone(why.why, PENDING_MINUTES));

/**
 * A Confirm, Undo or Cancel button: the pending change it names, used exactly once, by the person who asked for
 * it where `onlyRequester` (a confirmation); `then` runs with its plan. Runs under the ad group's lock.
 */
export async function usePending<P extends { from: number }>(
  deps: BudgetDeps,
  request: ActionRequest,
  seen: PendingLookup,
  use: { onlyRequester: boolean; read: (change: PendingChange) => P | null },
  then: (plan: P) => Promise<Attempt<BudgetResult>>,
): Promise<Attempt<BudgetResult>> {
  if (!seen.ok) return gone(seen);
  const plan = use.read(seen.change);
  if (!plan) return gone({ ok: false, why: 'unknown' });
  if (use.onlyRequester && seen.change.requester !== request.who.userId) {
    return notDone('refused', 'not_requester', notYourChange(seen.change.requester), { before: plan.from });
  }
  const taken = await deps.pending.take(seen.change.id, deps.now());
  return taken.ok ? then(plan) : gone(taken);
}

/** Cancel: the confirmation is used up and nothing else happens. */
export const cancelBudgetPlan = async (plan: BudgetPlan): Promise<Attempt<BudgetResult>> => ({
  outcome: 'cancelled',
  reason: 'cancelled',
  title: null,
  before: amountText(plan.from),
  after: null,
  detail: null,
  result: { kind: 'cancelled', id: plan.id },
});

/** Keeps a change for its second step (a Confirm, an Undo), for the person who asked, for PENDING_TTL_MS. */
export async function keepPending(deps: Pick<BudgetDeps, 'pending' | 'now'>, who: ActionRequest['who'], purpose: PendingPurpose, plan: object): Promise<string> {
  const createdAt = deps.now();
  const kept = await deps.pending.create({
    purpose,
    requester: who.userId,
    teamId: who.teamId,
    plan: { ...plan },
    createdAt,
    expiresAt: new Date(createdAt.getTime() + PENDING_TTL_MS),
  });
  return kept.id;
}

/**
 * `/adgroup budget`: every guardrail against the budget Whop has now, then either the change itself or, for a
 * large one, a pending change its Confirm button names. Runs under the ad group's lock.
 */
export async function requestBudgetChange(deps: BudgetDeps, request: ActionRequest, id: string, amount: Amount): Promise<Attempt<BudgetResult>> {
  const loaded = await loadGroup(deps, id);
  if (!loaded.ok) return loaded.attempt;
  const { group } = loaded;
  if (group.budget_amount === null) return notDone('refused', 'set_by_campaign', budgetSetByCampaign(group.title, group.id), { title: group.title });
  const current = { id: group.id, title: group.title, amount: group.budget_amount, currency: currencyOfGroup(group) };
  const problem = budgetProblem(deps.limits, current, amount);
  if (problem) return notDone('refused', problem.reason, problem.message, { title: group.title, before: group.budget_amount });
  const plan = { id: group.id, from: group.budget_amount, to: amount.amount };
  if (!needsConfirmation(deps.limits, plan.from, plan.to)) return applyLoaded(deps, request, group, plan);
  const confirmId = await keepPending(deps, request.who, 'budget.confirm', plan);
  return {
    outcome: 'asked',
    reason: 'needs_confirmation',
    title: group.title,
    before: amountText(plan.from),
    after: amountText(plan.to),
    detail: null,
    result: { kind: 'asked', change: asChange(group, plan.from, plan.to), confirmId },
  };
}

/**
 * The Edit budget form's Save: a large change becomes a pending confirmation (holding the form too, for its
 * second step), any other is applied. Runs under the ad group's lock.
 */
export async function requestFormChange(deps: BudgetDeps, request: ActionRequest, form: { id: string; from: number } & object, to: number): Promise<Attempt<BudgetResult>> {
  const plan = { id: form.id, from: form.from, to };
  if (!needsConfirmation(deps.limits, plan.from, plan.to)) return applyBudgetPlan(deps, request, plan);
  const loaded = await loadGroup(deps, plan.id);
  if (!loaded.ok) return loaded.attempt;
  const confirmId = await keepPending(deps, request.who, 'budget.confirm', { ...plan, form });
  return {
    outcome: 'asked',
    reason: 'needs_confirmation',
    title: loaded.group.title,
    before: amountText(plan.from),
    after: amountText(plan.to),
    detail: null,
    result: { kind: 'asked', change: asChange(loaded.group, plan.from, plan.to), confirmId },
  };
}

/** Applies a change planned earlier (Confirm, Undo, the form), unless the budget moved meanwhile. Runs under the ad group's lock. */
export async function applyBudgetPlan(deps: BudgetDeps, request: ActionRequest, plan: BudgetPlan): Promise<Attempt<BudgetResult>> {
  const loaded = await loadGroup(deps, plan.id);
  return loaded.ok ? applyLoaded(deps, request, loaded.group, plan) : loaded.attempt;
}

/** Whop has changed the budget by now: a store that cannot keep its Undo costs the Undo, never the record of the change. */
async function undoFor(deps: BudgetDeps, request: ActionRequest, plan: BudgetPlan): Promise<string | null> {
  try {
    return await keepPending(deps, request.who, 'budget.undo', plan);
  } catch (err) {
    deps.log.warn({ err, id: plan.id }, 'budget changed, but its Undo could not be kept: none is offered');
    return null;
  }
}

async function applyLoaded(deps: BudgetDeps, request: ActionRequest, group: AdGroup, plan: BudgetPlan): Promise<Attempt<BudgetResult>> {
  const currency = currencyOfGroup(group);
  const facts = { title: group.title, before: group.budget_amount };
  // Checked again here: a Confirm or an Undo may arrive after the limit was lowered.
  if (plan.to > deps.limits.max_amount) return notDone('refused', 'above_limit', budgetTooHigh(plan.to, deps.limits.max_amount, currency), facts);
  if (group.budget_amount !== plan.from) {
    const now = group.budget_amount === null ? 'set by the campaign' : money(group.budget_amount, currency);
    return notDone('refused', 'moved_on', budgetMovedOn(group.title, group.id, now), facts);
  }
  const updated = await deps.gateway.setBudget(group.id, plan.to);
  if (!updated.ok) {
    const detail = updated.error.detail ?? updated.error.message;
    if (!updated.error.unsure) {
      return notDone('failed', 'whop_failed', couldNot(`change the budget of *${title(group.title, group.id)}*`, updated.error.message), { ...facts, detail });
    }
    // The SDK retried, so an earlier attempt may have applied: read the budget back once to say where it stands.
    const reread = await deps.gateway.adGroup(group.id);
    const now = reread.ok ? reread.value.budget_amount : undefined;
    const shown = (amount: number | null | undefined) => (amount === undefined ? null : amount === null ? 'set by the campaign' : money(amount, currency));
    const unsure = `no answer, may have been applied: ${detail}; ${now === undefined ? 'could not read it back' : `Whop now says ${now}`}`;
    return notDone('failed', 'whop_unsure', budgetUnsure(group.title, group.id, money(plan.to, currency), shown(now)), { ...facts, detail: unsure });
  }
  const to = updated.value.budget_amount ?? plan.to;
  // No Undo back to a budget of zero: the bot sets budgets above zero only.
  const undoId = plan.from > 0 ? await undoFor(deps, request, { id: group.id, from: to, to: plan.from }) : null;
  return {
    outcome: 'done',
    reason: null,
    title: group.title,
    before: amountText(plan.from),
    after: amountText(updated.value.budget_amount),
    detail: null,
    result: { kind: 'done', change: asChange(group, plan.from, to), undoId },
  };
}
