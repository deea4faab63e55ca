import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import { z } from 'zod';
import {
  AMOUNT_BLOCK,
  AMOUNT_INPUT,
  budgetChanged,
  budgetModal,
  budgetModalConfirm,
  budgetModalDone,
  budgetModalPending,
  confirmPrompt,
  type ModalState,
  problemModal,
} from '../../../blocks/budget';
import { notAllowed, pendingGone } from '../../../blocks/notices';
import type { Ran } from '../../actions/pipeline';
import type { ActionRequest } from '../../actions/request';
import { loadCard } from '../../adgroup/card';
import {
  applyBudgetPlan,
  type BudgetResult,
  budgetProblem,
  budgetTarget,
  keepPending,
  notDone,
  PENDING_TTL_MS,
  planOf,
  requestFormChange,
  usePending,
} from '../../budget/budget-change';
import { currencyOf } from '../../currency';
import { AD_GROUP_ID } from '../../model';
import { isPendingId } from '../../store/pending-id';
import type { PendingChange, PendingLookup } from '../../store/types';
import type { AdGroup } from '../../whop/types';
import { submissionRequest } from '../action-request';
import type { Requester } from '../authz';
import { amountSchema } from '../commands/parse';
import type { BotDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const stateSchema = z.object({
  id: z.string().regex(AD_GROUP_ID),
  title: z.string().nullable(),
  // Whop allows a budget of zero; the form can raise it.
  from: z.number().nonnegative().finite(),
  type: z.enum(['daily', 'lifetime']).nullable(),
  // Whop's own lower case (`usd`) as well as upper case; null when Whop gave none.
  currency: z
    .string()
    .nullable()
    .refine((code) => code === null || currencyOf(code) !== null)
    .transform((code) => currencyOf(code)),
  channel: z.string().nullable(),
  ts: z.string().nullable(),
  responseUrl: z.url().nullable(),
  sharedBy: z.string().nullable(),
});

/** A form's state as the bot stored it when the form opened; null when it is not one. */
export const readModalState = (plan: unknown): ModalState | null => {
  const parsed = stateSchema.safeParse(plan);
  return parsed.success ? parsed.data : null;
};

/** The form a pending change of the form's own kind holds, or the form a confirmation made from it carries. */
const formOf = (change: PendingChange): ModalState | null => readModalState(change.purpose === 'budget.form' ? change.plan : change.plan.form);

/** Where the Edit budget click came from: the card is updated there afterwards. */
export type ModalOrigin = Pick<ModalState, 'channel' | 'ts' | 'responseUrl' | 'sharedBy'>;

/** The form's state for an ad group with its own budget, as Whop gave it. */
export const modalStateOf = (group: AdGroup & { budget_amount: number }, origin: ModalOrigin): ModalState => ({
  id: group.id,
  title: group.title,
  from: group.budget_amount,
  type: group.budget_type,
  currency: currencyOf(group.spend_currency),
  ...origin,
});

/** Keeps an open form's state in the store for the person who opened it; its id is all the form carries. */
export const keepForm = (deps: Pick<BotDeps, 'pending' | 'now'>, who: Requester, state: ModalState): Promise<string> => keepPending(deps, who, 'budget.form', state);

/** The pending form or confirmation a submission names, as the store has it (looked up before the ack: no Slack call). */
async function pendingOf(deps: BotDeps, metadata: string, purpose: PendingChange['purpose']): Promise<{ seen: PendingLookup; state: ModalState | null }> {
  const seen: PendingLookup = isPendingId(metadata) ? await deps.pending.peek(metadata, deps.now()) : { ok: false, why: 'unknown' };
  const ours: PendingLookup = 'change' in seen && seen.change.purpose !== purpose ? { ok: false, why: 'unknown' } : seen;
  return { seen: ours, state: ours.ok ? formOf(ours.change) : null };
}

const MINUTES = PENDING_TTL_MS / 60_000;

const whyGone = (seen: PendingLookup) => (seen.ok ? 'unknown' : seen.why);

/**
 * A submission naming a form or confirmation that is gone, unknown or of another kind: recorded through the
 * pipeline like any attempt, against the ad group when the store still knows which, else against the id it named.
 */
async function recordGone(deps: BotDeps, request: ActionRequest, seen: PendingLookup, metadata: string): Promise<void> {
  const why = whyGone(seen);
  const group = 'change' in seen ? (planOf(seen.change)?.id ?? formOf(seen.change)?.id) : undefined;
  const target = group ? budgetTarget(group) : { action: 'ad_group.budget', entityKind: 'pending_change', entityId: metadata.slice(0, 64) };
  await deps.actions.run(request, { target, act: async () => notDone('refused', `change_${why}`, pendingGone(why, MINUTES)) });
}

const fieldError = (text: string) => ({ response_action: 'errors' as const, errors: { [AMOUNT_BLOCK]: text } });
/** Modal errors are plain text: strip our mrkdwn. */
const plain = (mrkdwn: string) =>
  mrkdwn
    // Plain text cannot mention anyone: name the user or group by its id instead of showing Slack's syntax.
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<!subteam\^(S[A-Z0-9]+)>/g, '@$1')
    .replace(/[*`]/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

type Message = { text: string; blocks?: KnownBlock[] };

/**
 * Where the person hears how it went: in the modal while it is open; once they have closed it (views.update then
 * fails), in the channel the card is in, or as a direct message where the bot is not a member.
 */
function answerer(client: Args['client'], state: ModalState, user: string, viewId: string) {
  const message = async (content: Message) => {
    try {
      if (!state.channel) throw new Error('no channel');
      await client.chat.postEphemeral({ channel: state.channel, user, ...content });
    } catch {
      await client.chat.postMessage({ channel: user, ...content });
    }
  };
  const modal = async (view: View): Promise<boolean> => {
    try {
      await client.views.update({ view_id: viewId, view });
      return true;
    } catch {
      return false;
    }
  };
  const either = async (view: View, content: Message) => {
    if (!(await modal(view))) await message(content);
  };
  return { message, modal, either };
}

type Answerer = ReturnType<typeof answerer>;

/** Updates the card the form was opened from: in place in the channel, or the clicker's own copy of an ephemeral one. */
async function refreshCard(deps: BotDeps, state: ModalState): Promise<void> {
  const card = await loadCard(deps, state.id, state.sharedBy ?? undefined);
  if (!card.ok) return;
  if (state.channel && state.ts) {
    await deps.messages.update({ channel: state.channel, ts: state.ts, text: card.value.text, blocks: card.value.blocks, seenAt: deps.now() }, () => card.value.blocks);
  } else if (state.responseUrl) {
    // The response_url of the Edit budget click itself, kept by the bot: never one a form's metadata names.
    await fetch(state.responseUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ replace_original: true, response_type: 'ephemeral', ...card.value }),
      signal: AbortSignal.timeout(3_000),
    });
  }
}

/** How the form's request went, in the form while it is open, else beside the card or as a direct message. */
async function show(deps: BotDeps, ran: Ran<BudgetResult>, state: ModalState, request: ActionRequest, answer: Answerer): Promise<void> {
  const user = request.who.userId;
  if (ran.status === 'repeat') return;
  if (ran.status === 'refused') {
    const text = notAllowed(ran.reason, 'change budgets', deps.authz.operatorsMention());
    return void (await answer.either(problemModal(text), { text }));
  }
  const result = ran.attempt.result;
  switch (result.kind) {
    case 'asked': {
      const pct = deps.limits.confirm_change_pct;
      // Closed meanwhile: the same confirmation as a message, so the change is not lost.
      await answer.either(budgetModalConfirm(state, result.change.to, pct, result.confirmId), confirmPrompt(result.change, result.confirmId, pct));
      return;
    }
    case 'done': {
      try {
        await refreshCard(deps, state);
      } catch (err) {
        deps.log.warn({ err, id: state.id }, 'budget changed, but the card was not refreshed');
      }
      const at = deps.now();
      await answer.modal(budgetModalDone(result.change, user, at, deps.timeZone));
      await answer.message(budgetChanged(result.change, user, at, deps.timeZone, result.undoId));
      return;
    }
    case 'cancelled':
    case 'not_done': {
      const text = result.kind === 'not_done' ? result.message : 'Cancelled.';
      await answer.either(problemModal(text), { text });
    }
  }
}

/**
 * Save in the Edit budget form. A form that is gone or an amount that is no amount is answered inline, under
 * the field: it tells nothing of the settings. Everything else after the ack, through the pipeline, who may act
 * first: the refusal, or for those who may, the form again with what is wrong with the amount (over the limit,
 * another currency), a confirming step for large changes, or the result.
 */
export const onBudgetModalSubmit =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const { seen, state } = await pendingOf(deps, view.private_metadata, 'budget.form');
    const request = submissionRequest(body, { channel: state?.channel ?? null, messageTs: state?.ts ?? null });
    if (!state) {
      await ack(fieldError(plain(pendingGone(whyGone(seen), MINUTES))));
      await recordGone(deps, request, seen, view.private_metadata);
      return;
    }
    const amount = amountSchema.safeParse(view.state.values[AMOUNT_BLOCK]?.[AMOUNT_INPUT]?.value ?? '');
    // biome-ignore lint/style/noNonNullAssertion: a failed zod parse has at least one issue
    if (!amount.success) return void (await ack(fieldError(plain(amount.error.issues[0]!.message))));
    const to = amount.data.amount;
    const problem = budgetProblem(deps.limits, { id: state.id, title: state.title, amount: state.from, currency: state.currency }, amount.data);
    await ack({ response_action: 'update', view: budgetModalPending(state, to) });
    const answer = answerer(client, state, request.who.userId, view.id);
    if (problem) {
      // Who may act is settled first: the limits (the largest budget allowed, say) are told only to those who may.
      const ran = await deps.actions.run(request, {
        target: budgetTarget(state.id),
        act: async () => notDone('refused', problem.reason, problem.message, { title: state.title, before: state.from }),
      });
      // The form is not used up: it comes back with the problem, to be corrected.
      if (ran.status === 'acted') return void (await answer.either(budgetModal(state, view.private_metadata, problem.message), { text: problem.message }));
      return show(deps, ran, state, request, answer);
    }
    const ran = await deps.actions.run(request, {
      target: budgetTarget(state.id),
      act: () => usePending(deps, request, seen, { onlyRequester: true, read: formOf }, (form) => requestFormChange(deps, request, form, to)),
    });
    await show(deps, ran, state, request, answer);
  };

/** Confirm in the form's second step: the pending confirmation it names is used once, by the person who asked. */
export const onBudgetModalConfirm =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const { seen, state } = await pendingOf(deps, view.private_metadata, 'budget.confirm');
    const plan = seen.ok ? planOf(seen.change) : null;
    if (!state || !plan) {
      const gone: PendingLookup = seen.ok ? { ok: false, why: 'unknown' } : seen;
      await ack({ response_action: 'update', view: problemModal(pendingGone(whyGone(gone), MINUTES)) });
      await recordGone(deps, submissionRequest(body, { channel: null, messageTs: null }), gone, view.private_metadata);
      return;
    }
    await ack({ response_action: 'update', view: budgetModalPending(state, plan.to) });
    const request = submissionRequest(body, { channel: state.channel, messageTs: state.ts });
    const ran = await deps.actions.run(request, {
      target: budgetTarget(state.id),
      act: () => usePending(deps, request, seen, { onlyRequester: true, read: planOf }, (planned) => applyBudgetPlan(deps, request, planned)),
    });
    await show(deps, ran, state, request, answerer(client, state, request.who.userId, view.id));
  };
