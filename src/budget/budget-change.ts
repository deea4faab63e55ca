import { type BudgetChange, changePercent } from '../../blocks/budget';
import { money, title } from '../../blocks/format';
import { budgetMovedOn, budgetUnsure, couldNot, budgetSetByCampaign, budgetTooHigh, currencyUnknown, noSuchAdGroup, sameBudget, wrongCurrency } from '../../blocks/notices';
import type { Actor } from '../audit-refusal';
import type { Settings } from '../config';
import { type Currency, currencyOf } from '../currency';
import type { Amount } from '../slack/commands/parse';
import type { AuditLog } from '../store/types';
import type { AdsGateway } from '../whop/gateway';
import type { AdGroup } from '../whop/types';

export interface BudgetDeps {
  gateway: AdsGateway;
  audit: AuditLog;
  limits: Settings['budget'];
  now: () => Date;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string };

const currencyOfGroup = (group: AdGroup) => currencyOf(group.spend_currency);

const asChange = (group: AdGroup, to: number): BudgetChange => ({
  id: group.id,
  title: group.title,
  from: group.budget_amount!,
  to,
  type: group.budget_type,
  currency: currencyOfGroup(group),
});

async function loadGroup(deps: BudgetDeps, id: string): Promise<Outcome<AdGroup>> {
  const found = await deps.gateway.adGroup(id);
  if (found.ok) return found;
  if (found.error.kind === 'not_found') return { ok: false, message: noSuchAdGroup(id) };
  return { ok: false, message: couldNot(`read ad group \`${id}\``, found.error.message) };
}

/** A budget as the guardrails see it: what it is now, in which currency (null: Whop does not say). */
export interface CurrentBudget {
  id: string;
  title: string | null;
  amount: number;
  currency: Currency | null;
}

/** The guardrails that need no call to anyone: the limit, the account's currency, a real change. */
export function budgetProblem(limits: Settings['budget'], current: CurrentBudget, wanted: Amount): string | null {
  if (wanted.amount > limits.max_amount) return budgetTooHigh(wanted.amount, limits.max_amount, current.currency);
  if (wanted.currency && wanted.currency !== current.currency) {
    return current.currency ? wrongCurrency(wanted.currency, current.currency) : currencyUnknown(wanted.currency);
  }
  if (wanted.amount === current.amount) return sameBudget(current.title, current.id, money(wanted.amount, current.currency));
  return null;
}

/**
 * Every guardrail before money moves: the id, a budget the ad group owns, then budgetProblem's.
 * Says whether the change is large enough to need a confirmation.
 */
export async function prepareBudgetChange(
  deps: BudgetDeps,
  id: string,
  amount: Amount,
): Promise<Outcome<{ change: BudgetChange; needsConfirm: boolean }>> {
  const loaded = await loadGroup(deps, id);
  if (!loaded.ok) return loaded;
  const group = loaded.value;
  if (group.budget_amount === null) return { ok: false, message: budgetSetByCampaign(group.title, group.id) };
  const current = { id: group.id, title: group.title, amount: group.budget_amount, currency: currencyOfGroup(group) };
  const problem = budgetProblem(deps.limits, current, amount);
  if (problem) return { ok: false, message: problem };
  const change = asChange(group, amount.amount);
  return { ok: true, value: { change, needsConfirm: changePercent(change.from, change.to) > deps.limits.confirm_change_pct } };
}

/** What a budget refusal is recorded against. */
export const budgetTarget = (id: string) => ({ action: 'ad_group.budget', entityKind: 'ad_group', entityId: id });

/** Applies a change prepared earlier, unless the budget moved meanwhile; audited either way. */
export async function applyBudgetChange(
  deps: BudgetDeps,
  planned: { id: string; from: number; to: number },
  actor: Actor,
): Promise<Outcome<BudgetChange>> {
  const record = (change: Pick<BudgetChange, 'id' | 'title'>, before: number | null, after: number | null, outcome: 'done' | 'failed' | 'refused', detail: string | null) =>
    deps.audit.record({
      at: deps.now(),
      userId: actor.userId,
      action: 'ad_group.budget',
      entityKind: 'ad_group',
      entityId: change.id,
      entityTitle: change.title,
      before: before === null ? null : String(before),
      after: after === null ? null : String(after),
      channel: actor.channel,
      messageTs: actor.messageTs,
      outcome,
      detail,
    });

  const loaded = await loadGroup(deps, planned.id);
  if (!loaded.ok) {
    await record({ id: planned.id, title: null }, planned.from, null, 'failed', loaded.message);
    return loaded;
  }
  const group = loaded.value;
  // Checked again here: an Undo or a confirmation may arrive after the limit was lowered.
  if (planned.to > deps.limits.max_amount) {
    await record(group, planned.from, null, 'refused', 'above budget.max_amount');
    return { ok: false, message: budgetTooHigh(planned.to, deps.limits.max_amount, currencyOfGroup(group)) };
  }
  if (group.budget_amount !== planned.from) {
    const now = group.budget_amount === null ? 'set by the campaign' : money(group.budget_amount, currencyOfGroup(group));
    await record(group, group.budget_amount, null, 'refused', 'budget changed meanwhile');
    return { ok: false, message: budgetMovedOn(group.title, group.id, now) };
  }
  const updated = await deps.gateway.setBudget(group.id, planned.to);
  if (!updated.ok) {
    const detail = updated.error.detail ?? updated.error.message;
    if (!updated.error.unsure) {
      await record(group, planned.from, null, 'failed', detail);
      return { ok: false, message: couldNot(`change the budget of *${title(group.title, group.id)}*`, updated.error.message) };
    }
    // The SDK retried, so an earlier attempt may have applied: read the budget back once to say where it stands.
    const reread = await deps.gateway.adGroup(group.id);
    const now = reread.ok ? reread.value.budget_amount : undefined;
    await record(group, planned.from, null, 'failed', `no answer, may have been applied: ${detail}; ${now === undefined ? 'could not read it back' : `Whop now says ${now}`}`);
    const shown = (amount: number | null | undefined) =>
      amount === undefined ? null : amount === null ? 'set by the campaign' : money(amount, currencyOfGroup(group));
    return { ok: false, message: budgetUnsure(group.title, group.id, money(planned.to, currencyOfGroup(group)), shown(now)) };
  }
  await record(group, planned.from, updated.value.budget_amount, 'done', null);
  return { ok: true, value: asChange(group, updated.value.budget_amount ?? planned.to) };
}
