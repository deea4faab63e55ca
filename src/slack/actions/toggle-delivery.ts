import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { auditReply, parseToggleId, type RowUpdate, updateRow } from '../../../blocks/action-result';
import { noun } from '../../../blocks/entity';
import { alreadyThere, messageNotUpdated, notAllowed, underReview, unknownButton, whopRefused, whopUnsure } from '../../../blocks/notices';
import type { Ran } from '../../actions/pipeline';
import type { ActionRequest } from '../../actions/request';
import { loadCard } from '../../adgroup/card';
import { changeDelivery, type DeliveryChange, deliveryTarget } from '../../delivery/change-delivery';
import { type ActionableKind, ID_PATTERN, type Toggle } from '../../model';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { seenAt } from '../message-updates';
import { threadOf } from '../thread-of';

export const TOGGLE_ACTION = /^(ad|ad_group)\.(pause|unpause)(:.+)?$/;

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Pause / Unpause on a digest row, an issue, an alert or a card: parse → the action pipeline → show. */
export const onToggleDelivery =
  (deps: BotDeps) =>
  async (args: Args): Promise<void> => {
    const { ack, body, action, respond } = args;
    await ack(); // first: Slack waits 3 s at most, Whop may take longer
    const parsed = parseToggleId(action.action_id);
    const id = action.value ?? '';
    if (!parsed || !ID_PATTERN[parsed.kind].test(id)) {
      deps.log.warn({ actionId: action.action_id, user: body.user.id }, 'unusable toggle button');
      await respond({ response_type: 'ephemeral', replace_original: false, text: unknownButton() });
      return;
    }
    const { kind, verb } = parsed;
    const request = clickRequest(body, action);
    const ran = await deps.actions.run(request, {
      target: deliveryTarget(kind, id, verb),
      act: () => changeDelivery(deps.gateway, { kind, id, verb, key: request.key }),
    });
    await show(deps, args, request, { kind, id, verb }, ran);
  };

async function show(
  deps: BotDeps,
  { body, action, respond, client }: Args,
  request: ActionRequest,
  click: { kind: ActionableKind; id: string; verb: Toggle },
  ran: Ran<DeliveryChange>,
): Promise<void> {
  const { kind, id, verb } = click;
  const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
  if (ran.status === 'repeat') return;
  if (ran.status === 'refused') return void (await say(notAllowed(ran.reason, `${verb} ${noun(kind)}s`, deps.authz.operatorsMention())));

  const { channel } = request;
  const message = body.message;
  const ephemeral = body.container?.is_ephemeral === true;
  const updateMessage = async (update: RowUpdate) => {
    // Only the clicker sees an ephemeral card and Slack cannot chat.update it: it is redrawn through response_url.
    if (ephemeral && kind === 'ad_group') {
      const card = await loadCard(deps, id);
      if (card.ok) await respond({ response_type: 'ephemeral', replace_original: true, text: card.value.text, blocks: updateRow(card.value.blocks, update) });
      return;
    }
    if (!channel || !message || ephemeral) return;
    await deps.messages.update({ channel, ts: message.ts, text: String(message.text ?? ''), blocks: (message.blocks ?? []) as KnownBlock[], seenAt: seenAt(action) }, (blocks) =>
      updateRow(blocks, update),
    );
  };

  // The row is redrawn after the lock is released; Slack refusing it never stops the person hearing what happened.
  const redraw = async (update: RowUpdate): Promise<boolean> => {
    try {
      await updateMessage(update);
      return true;
    } catch (err) {
      deps.log.warn({ err, kind, id }, 'the message was not updated after a toggle');
      return false;
    }
  };

  const result = ran.attempt.result;
  switch (result.outcome) {
    case 'failed':
      deps.log.warn({ kind, id, verb, whop: result.failure }, 'Whop refused a toggle');
      await say(whopRefused(verb, kind, result.item?.title ?? null, id, result.failure.message));
      return;
    case 'uncertain':
      deps.log.warn({ kind, id, verb, whop: result.failure, now: result.now?.status }, 'Whop did not confirm a toggle');
      await say(whopUnsure(verb, kind, result.item.title, id, result.now?.status ?? null));
      // The row shows what Whop says now, without a name: the change may not be this click's.
      if (result.now && result.now.status !== result.item.status) await redraw({ entity: result.now });
      return;
    case 'under_review':
      await say(underReview(kind, result.item.title, id, result.item.status));
      await redraw({ entity: result.item });
      return;
    case 'already':
      await say(alreadyThere(result.item.title, id, result.item.status));
      await redraw({ entity: result.item });
      return;
    case 'done': {
      const update = { entity: result.after, done: { verb, by: request.who.userId, at: deps.now(), timeZone: deps.timeZone } };
      if (!(await redraw(update))) return void (await say(messageNotUpdated(verb, kind, result.after.title, id)));
      if (!channel || !message || ephemeral) return;
      try {
        await client.chat.postMessage({ channel, thread_ts: threadOf(message), text: auditReply(update) });
      } catch (err) {
        deps.log.warn({ err, kind, id }, 'toggle done, but its line in the thread was not posted');
      }
    }
  }
}
