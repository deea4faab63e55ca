import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { unknownButton } from '../../../blocks/notices';

type Args = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;

/** An action id a listener handles: exactly, or by pattern (e.g. TOGGLE_ACTION). */
export type KnownAction = string | RegExp;

const isKnown = (actionId: string, known: readonly KnownAction[]) =>
  known.some((k) => (typeof k === 'string' ? k === actionId : new RegExp(k.source, k.flags.replace('g', '')).test(actionId)));

/**
 * The catch-all for buttons no listener handles (from an older version of the bot, or forged).
 * Without it nobody acks them, Bolt answers 404 after 3 s and Slack shows the clicker an error.
 * Register it for every action (`app.action(/.*\/, onUnknownAction(KNOWN))`) with the ids the other
 * listeners handle: Bolt calls every matching listener, so this one stays out of their way.
 */
export const onUnknownAction =
  (known: readonly KnownAction[]) =>
  async ({ ack, action, body, respond, logger }: Args): Promise<void> => {
    const actionId = 'action_id' in action ? action.action_id : '';
    if (isKnown(actionId, known)) return; // its own listener acks and answers
    await ack();
    logger.warn(`unknown action ${JSON.stringify(actionId.slice(0, 100))} from ${body.user.id}: answered, nothing done`);
    // Buttons inside a modal carry no response_url; there is nobody to answer but the ack.
    if (body.response_url) await respond({ response_type: 'ephemeral', replace_original: false, text: unknownButton() });
  };
