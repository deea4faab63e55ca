import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { z } from 'zod';
import { AMOUNT_BLOCK, AMOUNT_INPUT, type ModalState, budgetChanged, budgetModalConfirm, changePercent } from '../../../blocks/budget';
import { notAllowed } from '../../../blocks/notices';
import { loadCard } from '../../adgroup/card';
import { auditRefusal } from '../../audit-refusal';
import { applyBudgetChange, budgetProblem, budgetTarget } from '../../budget/budget-change';
import { currencyOf } from '../../currency';
import { AD_GROUP_ID, type Amount, amountSchema } from '../commands/parse';
import type { BotDeps } from '../deps';

type Args = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

const positive = z.number().positive().finite();
const stateSchema = z.object({
  id: z.string().regex(AD_GROUP_ID),
  title: z.string().nullable(),
  from: positive,
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

/** After the modal closes: apply, then update the card it came from and tell the person, with Undo. */
async function applyAndReport(deps: BotDeps, client: Args['client'], state: ModalState, to: number, user: string): Promise<void> {
  const applied = await deps.locks.run(state.id, () =>
    applyBudgetChange(deps, { id: state.id, from: state.from, to }, { userId: user, channel: state.channel, messageTs: state.ts }),
  );
  // The modal is closed: the answer goes to the person in the channel, or as a direct message where the bot is not a member.
  const tell = async (message: { text: string; blocks?: KnownBlock[] }) => {
    try {
      if (!state.channel) throw new Error('no channel');
      await client.chat.postEphemeral({ channel: state.channel, user, ...message });
    } catch {
      await client.chat.postMessage({ channel: user, ...message });
    }
  };
  if (!applied.ok) return tell({ text: applied.message });
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
  await tell(budgetChanged(applied.value, user, deps.now(), deps.timeZone));
}

/** The guardrails that can be checked before the modal closes, within Slack's 3 s. */
async function submissionProblem(deps: BotDeps, state: ModalState, amount: Amount, user: string): Promise<string | null> {
  const problem = budgetProblem(deps.limits, { id: state.id, title: state.title, amount: state.from, currency: state.currency }, amount);
  if (problem) return problem;
  if (!(await deps.authz.mayAct(user))) return notAllowed('change budgets', deps.authz.operatorsMention());
  return null;
}

/** Save in the Edit budget modal: errors inline under the field; large changes get a second, confirming step. */
export const onBudgetModalSubmit =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const state = parseMetadata(stateSchema, view.private_metadata);
    if (!state) return void (await ack(fieldError('This form is out of date: close it and click Edit budget again.')));
    const amount = amountSchema.safeParse(view.state.values[AMOUNT_BLOCK]?.[AMOUNT_INPUT]?.value ?? '');
    if (!amount.success) return void (await ack(fieldError(plain(amount.error.issues[0]!.message))));
    const to = amount.data.amount;
    const problem = await submissionProblem(deps, state, amount.data, body.user.id);
    if (problem) {
      await ack(fieldError(plain(problem)));
      await auditRefusal(deps, budgetTarget(state.id), { userId: body.user.id, channel: state.channel, messageTs: state.ts }, problem);
      return;
    }
    if (changePercent(state.from, to) > deps.limits.confirm_change_pct) {
      await ack({ response_action: 'update', view: budgetModalConfirm(state, to, deps.limits.confirm_change_pct) });
      return;
    }
    await ack();
    await applyAndReport(deps, client, state, to, body.user.id);
  };

export const onBudgetModalConfirm =
  (deps: BotDeps) =>
  async ({ ack, body, view, client }: Args): Promise<void> => {
    const state = parseMetadata(confirmSchema, view.private_metadata);
    await ack();
    if (!state) return;
    await applyAndReport(deps, client, state, state.to, body.user.id);
  };
