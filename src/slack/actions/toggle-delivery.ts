import { createHash } from 'node:crypto';
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type RowUpdate, type Toggle, auditReply, parseToggleId, updateRow } from '../../../blocks/action-result';
import { type ActionableKind, type EntityRef, isActionable, noun } from '../../../blocks/entity';
import { alreadyThere, messageNotUpdated, notAllowed, underReview, unknownButton, whopRefused, whopUnsure } from '../../../blocks/notices';
import type { AdsGateway } from '../../whop/gateway';
import type { WhopResult } from '../../whop/result';
import type { BotDeps } from '../deps';
import { loadCard } from '../../adgroup/card';

export const TOGGLE_ACTION = /^(ad|ad_group)\.(pause|unpause)(:.+)?$/;

const ID_PREFIX: Record<ActionableKind, RegExp> = { ad: /^ad_[A-Za-z0-9]+$/, ad_group: /^adgrp_[A-Za-z0-9]+$/ };

/** One key per click: Slack's retries repeat it exactly, a second click has its own action_ts. */
export function clickKey(body: BlockAction, action: ButtonAction): string {
  const parts = [body.team?.id, body.channel?.id, body.message?.ts, action.action_id, action.value, action.action_ts, body.user.id];
  return createHash('sha256').update(parts.join('|')).digest('hex');
}

async function current(gateway: AdsGateway, kind: ActionableKind, id: string): Promise<WhopResult<EntityRef & { kind: ActionableKind }>> {
  const found = kind === 'ad' ? await gateway.ad(id) : await gateway.adGroup(id);
  if (!found.ok) return found;
  return { ok: true, value: { kind, id, title: found.value.title, status: found.value.status } };
}

const TARGET: Record<Toggle, string> = { pause: 'paused', unpause: 'active' };

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

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
    const record = (entity: Pick<EntityRef, 'title'>, before: string | null, after: string | null, outcome: 'done' | 'already' | 'refused' | 'failed', detail: string | null = null) =>
      deps.audit.record({
        at: deps.now(),
        userId: user,
        action: `${kind}.${verb}`,
        entityKind: kind,
        entityId: id,
        entityTitle: entity.title,
        before,
        after,
        channel,
        messageTs: message?.ts ?? null,
        outcome,
        detail,
      });

    if (!(await deps.authz.mayAct(user))) {
      await record({ title: null }, null, null, 'refused', 'not an operator');
      await say(notAllowed(`${verb} ${noun(kind)}s`, deps.authz.operatorsMention()));
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
        { channel, ts: message.ts, text: String(message.text ?? ''), blocks: (message.blocks ?? []) as KnownBlock[] },
        (blocks) => updateRow(blocks, update),
      );
    };

    await deps.locks.run(id, async () => {
      const before = await current(deps.gateway, kind, id);
      if (!before.ok) {
        await record({ title: null }, null, null, 'failed', before.error.detail ?? before.error.message);
        await say(whopRefused(verb, kind, null, id, before.error.message));
        return;
      }
      const entity = before.value;
      // A plain EntityRef, so the guard's false branch keeps the entity's type.
      const asShown: EntityRef = entity;
      if (!isActionable(asShown)) {
        await record(entity, entity.status, entity.status, 'refused', `cannot ${verb} while ${entity.status}`);
        await updateMessage({ entity });
        await say(underReview(kind, entity.title, id, entity.status));
        return;
      }
      if (entity.status === TARGET[verb]) {
        await record(entity, entity.status, entity.status, 'already');
        await updateMessage({ entity });
        await say(alreadyThere(kind, entity.title, id, entity.status));
        return;
      }

      const changed = await deps.gateway.setDelivery(kind, id, verb, key);
      if (!changed.ok) {
        deps.log.warn({ kind, id, verb, whop: changed.error }, 'Whop refused a toggle');
        const detail = changed.error.detail ?? changed.error.message;
        await record(entity, entity.status, null, 'failed', changed.error.unsure ? `no answer, may have been applied: ${detail}` : detail);
        await say(changed.error.unsure ? whopUnsure(verb, kind, entity.title, id) : whopRefused(verb, kind, entity.title, id, changed.error.message));
        return;
      }
      const after = { ...entity, status: changed.value.status };
      await record(entity, entity.status, after.status, 'done');
      const update = { entity: after, done: { verb, by: user, at: deps.now(), timeZone: deps.timeZone } };
      try {
        await updateMessage(update);
        if (channel && message && !ephemeral) await client.chat.postMessage({ channel, thread_ts: message.ts, text: auditReply(update) });
      } catch (err) {
        deps.log.warn({ err, kind, id }, 'toggle done but the message was not updated');
        await say(messageNotUpdated(verb, kind, entity.title, id));
      }
    });
  };
