import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { unknownButton } from '../../../blocks/notices';
import type { Attempt, Target } from '../../actions/pipeline';
import type { ActionRequest } from '../../actions/request';
import { applyBudgetPlan, type BudgetPlan, type BudgetResult, budgetTarget, cancelBudgetPlan, planOf, usePending } from '../../budget/budget-change';
import { isPendingId } from '../../store/pending-id';
import type { PendingLookup } from '../../store/types';
import { clickRequest } from '../action-request';
import { budgetAnswer } from '../budget-answer';
import type { BotDeps } from '../deps';
import { threadOf } from '../thread-of';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

type Purpose = 'budget.confirm' | 'budget.undo';

/**
 * The pending change a button names, as the store has it, and what its attempt is recorded against: the ad
 * group when the change is one of ours for this kind of button, else the id the button carried.
 */
async function lookUp(deps: BotDeps, value: string | undefined, purpose: Purpose, verb: string): Promise<{ seen: PendingLookup; target: Target }> {
  const id = value ?? '';
  const seen = await deps.pending.peek(id, deps.now());
  const ours: PendingLookup = 'change' in seen && seen.change.purpose !== purpose ? { ok: false, why: 'unknown' } : seen;
  const group = 'change' in ours ? planOf(ours.change)?.id : undefined;
  const target = group
    ? { ...budgetTarget(group), action: `ad_group.budget.${verb}` }
    : { action: `ad_group.budget.${verb}`, entityKind: 'pending_change', entityId: id.slice(0, 64) };
  return { seen: ours, target };
}

/**
 * Confirm and Cancel (only the person who asked) and Undo (anyone who may act): the pending change the button
 * names is used once, then `then` runs with its plan under the ad group's lock.
 */
const usePendingButton =
  (
    deps: BotDeps,
    purpose: Purpose,
    verb: 'confirm' | 'cancel' | 'undo',
    then: (request: ActionRequest, plan: BudgetPlan) => Promise<Attempt<BudgetResult>>,
    { onAlert = false }: { onAlert?: boolean } = {},
  ) =>
  async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack();
    // Not even the shape of a pending change's id: a button the bot never wrote, answered like any such button.
    if (!isPendingId(action.value ?? '')) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: unknownButton() }));
    const request = clickRequest(body, action);
    const { seen, target } = await lookUp(deps, action.value, purpose, verb);
    const ran = await deps.actions.run(request, {
      target,
      act: () => usePending(deps, request, seen, { onlyRequester: verb !== 'undo', read: planOf }, (plan) => then(request, plan)),
    });
    const answer = budgetAnswer(deps, ran, request.who.userId);
    if (!answer) return;
    // What the button did replaces the prompt it was on (never an alert, which stays for everyone); a refusal is said beside it.
    const settled = !onAlert && ran.status === 'acted' && (ran.attempt.result.kind === 'done' || ran.attempt.result.kind === 'cancelled');
    await respond({ response_type: 'ephemeral', replace_original: settled, ...answer });
    // An alert keeps the log of what was done about it in its thread.
    const channel = body.channel?.id;
    if (onAlert && channel && body.message && ran.status === 'acted' && ran.attempt.result.kind === 'done') {
      try {
        await client.chat.postMessage({ channel, thread_ts: threadOf(body.message), text: answer.text });
      } catch (err) {
        deps.log.warn({ err, channel }, 'budget undone, but its line in the alert thread was not posted');
      }
    }
  };

export const onBudgetConfirm = (deps: BotDeps) => usePendingButton(deps, 'budget.confirm', 'confirm', (request, plan) => applyBudgetPlan(deps, request, plan));
export const onBudgetCancel = (deps: BotDeps) => usePendingButton(deps, 'budget.confirm', 'cancel', (_request, plan) => cancelBudgetPlan(plan));
export const onBudgetUndo = (deps: BotDeps) => usePendingButton(deps, 'budget.undo', 'undo', (request, plan) => applyBudgetPlan(deps, request, plan));
/** Undo of a change an alert names: the same Undo, answered beside the alert and logged in its thread. */
export const onAlertBudgetUndo = (deps: BotDeps) => usePendingButton(deps, 'budget.undo', 'undo', (request, plan) => applyBudgetPlan(deps, request, plan), { onAlert: true });
