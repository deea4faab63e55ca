import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { z } from 'zod';
import { budgetCancelled, budgetChanged } from '../../../blocks/budget';
import { notAllowed, notYourChange, unknownButton } from '../../../blocks/notices';
import { auditRefusal } from '../../audit-refusal';
import { REFUSAL_DETAIL } from '../authz';
import { applyBudgetChange, budgetTarget } from '../../budget/budget-change';
import type { BotDeps } from '../deps';
import { requesterOf } from '../requester';
import { AD_GROUP_ID } from '../commands/parse';
import { clickKey } from '../request-keys';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const amount = z.number().positive().finite();
/** A button's value comes back from Slack: parsed again, never trusted. Whop allows a budget of zero to start from. */
const changeValue = z.object({ id: z.string().regex(AD_GROUP_ID), from: z.number().nonnegative().finite(), to: amount, by: z.string().regex(/^[UW][A-Z0-9]+$/) });

/** The change a Confirm or Undo button carries; null when it is not one the bot wrote. */
export const readChangeValue = (value: string | undefined) => {
  try {
    const parsed = changeValue.safeParse(JSON.parse(value ?? ''));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

/** Confirm (for large changes) and Undo both apply a change a button carries, after the same checks. */
const applyFromButton =
  (deps: BotDeps, who: 'requester-or-operator' | 'operator') =>
  async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const planned = readChangeValue(action.value);
    if (!planned) return void (await say(unknownButton()));
    const user = body.user.id;
    // The person who asked must still pass the same check: being named in the button proves nothing.
    const verdict = await deps.authz.check(requesterOf(body));
    if (!verdict.ok) {
      const actor = { userId: user, channel: body.channel?.id ?? null, messageTs: body.container?.message_ts ?? null };
      await auditRefusal(deps, budgetTarget(planned.id), actor, REFUSAL_DETAIL[verdict.reason]);
      const othersChange = who === 'requester-or-operator' && verdict.reason === 'not_operator' && user !== planned.by;
      await say(othersChange ? notYourChange(planned.by) : notAllowed(verdict.reason, 'change budgets', deps.authz.operatorsMention()));
      return;
    }
    if (!(await deps.clicks.claim(clickKey(body, action), deps.now()))) return;
    const applied = await deps.locks.run(planned.id, () =>
      applyBudgetChange(deps, planned, { userId: user, channel: body.channel?.id ?? null, messageTs: body.container?.message_ts ?? null }),
    );
    if (!applied.ok) return void (await say(applied.message));
    await respond({ response_type: 'ephemeral', replace_original: true, ...budgetChanged(applied.value, user, deps.now(), deps.timeZone) });
  };

export const onBudgetConfirm = (deps: BotDeps) => applyFromButton(deps, 'requester-or-operator');
export const onBudgetUndo = (deps: BotDeps) => applyFromButton(deps, 'operator');

export const onBudgetCancel =
  () =>
  async ({ ack, action, respond }: Args): Promise<void> => {
    await ack();
    await respond({ response_type: 'ephemeral', replace_original: true, ...budgetCancelled({ id: action.value ?? '' }) });
  };
