import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock, View } from '@slack/types';
import { z } from 'zod';
import {
  AMOUNT_BLOCK,
  AMOUNT_INPUT,
  type ModalState,
  budgetChanged,
  budgetModalConfirm,
  budgetModalDone,
  budgetModalPending,
  changePercent,
  confirmPrompt,
  problemModal,
} from '../../../blocks/budget';
import { notAllowed } from '../../../blocks/notices';
import { loadCard } from '../../adgroup/card';
import { auditRefusal } from '../../audit-refusal';
import { applyBudgetChange, budgetProblem, budgetTarget } from '../../budget/budget-change';
import { currencyOf } from '../../currency';
import { AD_GROUP_ID, amountSchema } from '../commands/parse';
import type { AdGroup } from '../../whop/types';
import { REFUSAL_DETAIL } from '../authz';
import type { BotDeps } from '../deps';
import { requesterOf } from '../requester';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const positive = z.number().positive().finite();
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
const confirmSchema = stateSchema.extend({ to: positive });

function parseMetadata<T>(schema: z.ZodType<T>, metadata: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(metadata));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The form's state as Slack hands it back with a submission (`private_metadata`); null when it is not one of ours. */
export const readModalState = (metadata: string): ModalState | null => parseMetadata(stateSchema, metadata);
/** The same for the confirming step, which also carries the new amount. */
export const readConfirmState = (metadata: string): (ModalState & { to: number }) | null => parseMetadata(confirmSchema, metadata);

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

const OUT_OF_DATE = 'This form is out of date: close it and click Edit budget again.';
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

/** Who may act can need Slack's list of a user group's members: asked only after the ack. */
async function mayChange(deps: BotDeps, state: ModalState, body: ViewSubmitAction, answer: Answerer): Promise<boolean> {
  const verdict = await deps.authz.check(requesterOf(body));
  if (verdict.ok) return true;
  const refusal = notAllowed(verdict.reason, 'change budgets', deps.authz.operatorsMention());
  await auditRefusal(deps, budgetTarget(state.id), { userId: body.user.id, channel: state.channel, messageTs: state.ts }, REFUSAL_DETAIL[verdict.reason]);
  await answer.either(problemModal(refusal), { text: refusal });
  return false;
}

/** Applies the change, then updates the card the modal came from and tells the person, with Undo. */
async function applyAndReport(deps: BotDeps, client: Args['client'], state: ModalState, to: number, user: string, answer: Answerer): Promise<void> {
  const applied = await deps.locks.run(state.id, () =>
    applyBudgetChange(deps, { id: state.id, from: state.from, to }, { userId: user, channel: state.channel, messageTs: state.ts }),
  );
  if (!applied.ok) return void (await answer.either(problemModal(applied.message), { text: applied.message }));
  try {
    const card = await loadCard(deps, state.id, state.sharedBy ?? undefined);
    if (card.ok && state.channel && state.ts) {
      await client.chat.update({ channel: state.channel, ts: state.ts, ...card.value });
    } else if (card.ok && state.responseUrl) {
      await fetch(state.responseUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ replace_original: true, response_type: 'ephemeral', ...card.value }),
      });
    }
  } catch (err) {
    deps.log.warn({ err, id: state.id }, 'budget changed, but the card was not refreshed');
  }
  const at = deps.now();
  await answer.modal(budgetModalDone(applied.value, user, at, deps.timeZone));
  await answer.message(budgetChanged(applied.value, user, at, deps.timeZone));
}

const currentBudget = (state: ModalState) => ({ id: state.id, title: state.title, amount: state.from, currency: state.currency });

/**
 * Save in the Edit budget modal. What needs no network is answered inline, under the field; everything else
 * (who may act, Whop) after the ack, in the modal: a confirming step for large changes, the refusal, or the result.
 */
export const onBudgetModalSubmit =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const state = readModalState(view.private_metadata);
    if (!state) return void (await ack(fieldError(OUT_OF_DATE)));
    const amount = amountSchema.safeParse(view.state.values[AMOUNT_BLOCK]?.[AMOUNT_INPUT]?.value ?? '');
    if (!amount.success) return void (await ack(fieldError(plain(amount.error.issues[0]!.message))));
    const to = amount.data.amount;
    const user = body.user.id;
    const problem = budgetProblem(deps.limits, currentBudget(state), amount.data);
    if (problem) {
      await ack(fieldError(plain(problem)));
      await auditRefusal(deps, budgetTarget(state.id), { userId: user, channel: state.channel, messageTs: state.ts }, problem);
      return;
    }
    await ack({ response_action: 'update', view: budgetModalPending(state, to) });
    const answer = answerer(client, state, user, view.id);
    if (!(await mayChange(deps, state, body, answer))) return;
    if (changePercent(state.from, to) > deps.limits.confirm_change_pct) {
      // Closed meanwhile: the same confirmation as a message, so the change is not lost.
      const confirm = { ...state, to };
      await answer.either(budgetModalConfirm(state, to, deps.limits.confirm_change_pct), confirmPrompt(confirm, user, deps.limits.confirm_change_pct));
      return;
    }
    await applyAndReport(deps, client, state, to, user, answer);
  };

export const onBudgetModalConfirm =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const state = readConfirmState(view.private_metadata);
    if (!state) return void (await ack({ response_action: 'update', view: problemModal(OUT_OF_DATE) }));
    await ack({ response_action: 'update', view: budgetModalPending(state, state.to) });
    const answer = answerer(client, state, body.user.id, view.id);
    // Asked again: membership may have changed since the first step.
    if (!(await mayChange(deps, state, body, answer))) return;
    await applyAndReport(deps, client, state, state.to, body.user.id, answer);
  };
