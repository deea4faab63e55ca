import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type RowUpdate, auditReply, parseToggleId, updateRow } from '../../../blocks/action-result';
import { type ActionableKind, noun } from '../../../blocks/entity';
import { alreadyThere, messageNotUpdated, notAllowed, underReview, unknownButton, whopRefused, whopUnsure } from '../../../blocks/notices';
import { changeDelivery } from '../../delivery/change-delivery';
import { auditRefusal } from '../../audit-refusal';
import { REFUSAL_DETAIL } from '../authz';
import type { BotDeps } from '../deps';
import { seenAt } from '../message-updates';
import { requesterOf } from '../requester';
import { clickKey } from '../request-keys';
import { loadCard } from '../../adgroup/card';

export const TOGGLE_ACTION = /^(ad|ad_group)\.(pause|unpause)(:.+)?$/;

const ID_PREFIX: Record<ActionableKind, RegExp> = { ad: /^ad_[A-Za-z0-9]+$/, ad_group: /^adgrp_[A-Za-z0-9]+$/ };


type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Slack's threads are one level deep: a line about a thread reply goes into that reply's thread. */
const threadOf = (message: { ts: string; thread_ts?: unknown }): string =>
  typeof message.thread_ts === 'string' && message.thread_ts !== '' ? message.thread_ts : message.ts;

export const onToggleDelivery =
  (deps: BotDeps) =>
  async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack(); // first: Slack waits 3 s at most, Whop may take longer
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const parsed = parseToggleId(action.action_id);
    const id = action.value ?? '';
    if (!parsed || !ID_PREFIX[parsed.kind].test(id)) {
      deps.log.warn({ actionId: action.action_id, user: body.user.id }, 'unusable toggle button');
      await say(unknownButton());
      return;
    }
    const { kind, verb } = parsed;
    const key = clickKey(body, action);
    if (!(await deps.clicks.claim(key, deps.now()))) {
      deps.log.info({ kind, id, verb }, 'repeated click ignored');
      return;
    }

    const user = body.user.id;
    const channel = body.channel?.id ?? null;
    const message = body.message;
    const verdict = await deps.authz.check(requesterOf(body));
    if (!verdict.ok) {
      const target = { action: `${kind}.${verb}`, entityKind: kind, entityId: id };
      await auditRefusal(deps, target, { userId: user, channel, messageTs: message?.ts ?? null }, REFUSAL_DETAIL[verdict.reason]);
      await say(notAllowed(verdict.reason, `${verb} ${noun(kind)}s`, deps.authz.operatorsMention()));
      return;
    }

    const ephemeral = body.container?.is_ephemeral === true;
    const updateMessage = async (update: RowUpdate) => {
      // Only the clicker sees an ephemeral card and Slack cannot chat.update it: it is redrawn through response_url.
      if (ephemeral && kind === 'ad_group') {
        const card = await loadCard(deps, id);
        if (card.ok) await respond({ response_type: 'ephemeral', replace_original: true, text: card.value.text, blocks: updateRow(card.value.blocks, update) });
        return;
      }
      if (!channel || !message || ephemeral) return;
      await deps.messages.update(
        { channel, ts: message.ts, text: String(message.text ?? ''), blocks: (message.blocks ?? []) as KnownBlock[], seenAt: seenAt(action) },
        (blocks) => updateRow(blocks, update),
      );
    };

    await deps.locks.run(id, async () => {
      const result = await changeDelivery(deps, { kind, id, verb, key, actor: { userId: user, channel, messageTs: message?.ts ?? null } });
      switch (result.outcome) {
        case 'failed':
          deps.log.warn({ kind, id, verb, whop: result.failure }, 'Whop refused a toggle');
          await say(whopRefused(verb, kind, result.item?.title ?? null, id, result.failure.message));
          return;
        case 'uncertain':
          deps.log.warn({ kind, id, verb, whop: result.failure, now: result.now?.status }, 'Whop did not confirm a toggle');
          await say(whopUnsure(verb, kind, result.item.title, id, result.now?.status ?? null));
          // The row shows what Whop says now, without a name: the change may not be this click's.
          if (result.now && result.now.status !== result.item.status) await updateMessage({ entity: result.now });
          return;
        case 'under_review':
          await updateMessage({ entity: result.item });
          await say(underReview(kind, result.item.title, id, result.item.status));
          return;
        case 'already':
          await updateMessage({ entity: result.item });
          await say(alreadyThere(result.item.title, id, result.item.status));
          return;
        case 'done': {
          const update = { entity: result.after, done: { verb, by: user, at: deps.now(), timeZone: deps.timeZone } };
          try {
            await updateMessage(update);
            if (channel && message && !ephemeral) await client.chat.postMessage({ channel, thread_ts: threadOf(message), text: auditReply(update) });
          } catch (err) {
            deps.log.warn({ err, kind, id }, 'toggle done but the message was not updated');
            await say(messageNotUpdated(verb, kind, result.after.title, id));
          }
        }
      }
    });
  };
