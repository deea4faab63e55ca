import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type RowUpdate, updateRow } from '../../../blocks/action-result';
import { type SnoozeChoice, withSnooze } from '../../../blocks/alert';
import { esc, moment, title } from '../../../blocks/format';
import { notAllowed, pauseAllUnsure, unknownButton } from '../../../blocks/notices';
import { changeDelivery, type DeliveryChange, deliveryTarget } from '../../delivery/change-delivery';
import type { EntityRef } from '../../model';
import { addDays, atLocalTime, localDate } from '../../zoned-time';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { seenAt } from '../message-updates';
import { itemKey } from '../request-keys';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const HOUR = 3_600_000;
const PAUSE_CONCURRENCY = 4;

/** When a snooze ends; null for "until it recovers", which the alert check ends. */
export function snoozeUntil(choice: SnoozeChoice, now: Date, timeZone: string): Date | null {
  if (choice === 'recovered') return null;
  if (choice === '1h') return new Date(now.getTime() + HOUR);
  if (choice === '24h') return new Date(now.getTime() + 24 * HOUR);
  return atLocalTime(addDays(localDate(now, timeZone), 1), 9, 0, timeZone);
}

/**
 * The alert a button belongs to, from the store: the button carries only its key, so it counts only on the
 * message that shows that alert (a key forged onto another message would redraw that one as this alert).
 */
async function alertOf(deps: BotDeps, body: BlockAction, action: ButtonAction) {
  const channel = body.channel?.id;
  const record = channel && action.value ? await deps.alerts.get(channel, action.value) : undefined;
  return record?.state === 'open' && record.ts && record.ts === body.message?.ts ? { ...record, ts: record.ts } : undefined;
}

/**
 * Snooze: nothing is posted about this problem until then, or, "until it recovers", until the check resolves it
 * (no reminders meanwhile); the message says who snoozed it and until when.
 */
export const onSnooze =
  (deps: BotDeps, choice: SnoozeChoice) =>
  async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const found = await alertOf(deps, body, action);
    if (!found) return void (await say('This alert is resolved or no longer tracked; there is nothing to snooze.'));
    const request = clickRequest(body, action);
    const until = snoozeUntil(choice, deps.now(), deps.timeZone);
    const ran = await deps.actions.run(request, {
      target: { action: `alert.snooze.${choice}`, entityKind: 'alert', entityId: found.key },
      act: async () => {
        // Read again under the lock: the check may have resolved it or changed it meanwhile.
        const record = await deps.alerts.get(found.channel, found.key);
        if (record?.state !== 'open') return { outcome: 'refused', reason: 'alert_resolved', title: null, before: null, after: null, detail: null, result: null };
        await deps.alerts.save({ ...record, snoozedUntil: until, snoozedBy: request.who.userId, snoozedUntilRecovered: until === null });
        const before = record.snoozedUntilRecovered ? 'recovered' : (record.snoozedUntil?.toISOString() ?? null);
        return { outcome: 'done', reason: null, title: null, before, after: until?.toISOString() ?? 'recovered', detail: null, result: record };
      },
    });
    if (ran.status === 'repeat') return;
    if (ran.status === 'refused') return void (await say(notAllowed(ran.reason, 'snooze alerts', deps.authz.operatorsMention())));
    const record = ran.attempt.result;
    if (!record) return void (await say('This alert was resolved meanwhile; there is nothing to snooze.'));
    await deps.messages.update(
      { channel: record.channel, ts: found.ts, text: body.message?.text ?? 'Alert', blocks: (body.message?.blocks ?? []) as KnownBlock[], seenAt: seenAt(action) },
      (blocks) => withSnooze(blocks, { by: request.who.userId, until }, deps.timeZone, record.key),
    );
    deps.log.info({ channel: record.channel, key: record.key, until: until ?? 'recovered' }, 'alert snoozed');
    await say(until ? `Snoozed until ${moment(until, deps.timeZone)}.` : 'Snoozed until it recovers: no reminders until then, and it resolves itself.');
  };

interface PauseAllRow {
  entity: EntityRef;
  paused: boolean;
  why?: string;
  unconfirmed?: { now: string | null };
}

function rowOf(ad: EntityRef, result: DeliveryChange): PauseAllRow {
  switch (result.outcome) {
    case 'done':
      return { entity: result.after, paused: true };
    case 'already':
    case 'under_review':
      return { entity: result.item, paused: false };
    case 'failed':
      return { entity: result.item ?? ad, paused: false, why: result.failure.message };
    case 'uncertain':
      return { entity: result.now ?? result.item, paused: false, unconfirmed: { now: result.now?.status ?? null } };
  }
}

/** Pause all: one confirmation, then each listed ad that is still active is paused once, each audited. */
export const onPauseAll =
  (deps: BotDeps) =>
  async ({ ack, body, action, respond, client }: Args): Promise<void> => {
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const record = await alertOf(deps, body, action);
    if (!record) return void (await say(unknownButton()));
    const request = clickRequest(body, action);
    const ads = record.problem.entities.filter((e) => e.kind === 'ad');
    const ran = await deps.actions.runEach(
      request,
      { action: 'alert.pause_all', entityKind: 'alert', entityId: record.key },
      ads.map((ad) => ({
        target: deliveryTarget('ad', ad.id, 'pause'),
        act: () => changeDelivery(deps.gateway, { kind: 'ad', id: ad.id, verb: 'pause', key: itemKey(request.key, ad.id), note: 'pause all' }),
      })),
      PAUSE_CONCURRENCY,
    );
    if (ran.status === 'repeat') return;
    if (ran.status === 'refused') return void (await say(notAllowed(ran.reason, 'pause ads', deps.authz.operatorsMention())));
    const user = request.who.userId;
    // biome-ignore lint/style/noNonNullAssertion: runEach answers one attempt per step, in the order of ads
    const outcomes = ran.attempts.map((attempt, i) => rowOf(ads[i]!, attempt.result));
    const at = deps.now();
    const done = outcomes.filter((o) => o.paused);
    const failed = outcomes.filter((o): o is PauseAllRow & Required<Pick<PauseAllRow, 'why'>> => Boolean(o.why));
    const unsure = outcomes.filter((o): o is PauseAllRow & Required<Pick<PauseAllRow, 'unconfirmed'>> => Boolean(o.unconfirmed));
    const names = done.map((o) => `*${title(o.entity.title, o.entity.id, 60)}*`).join(', ');
    try {
      await deps.messages.update(
        { channel: record.channel, ts: record.ts, text: body.message?.text ?? 'Alert', blocks: (body.message?.blocks ?? []) as KnownBlock[], seenAt: seenAt(action) },
        (blocks) =>
          outcomes.reduce<KnownBlock[]>((acc, o) => {
            const update: RowUpdate = o.paused
              ? { entity: { ...o.entity, kind: 'ad' }, done: { verb: 'pause', by: user, at, timeZone: deps.timeZone } }
              : { entity: { ...o.entity, kind: 'ad' } };
            return updateRow(acc, update);
          }, blocks),
      );
      await client.chat.postMessage({
        channel: record.channel,
        thread_ts: record.groupTs ?? record.ts,
        text: `<@${user}> paused ${done.length} of ${ads.length} ads${done.length ? `: ${names}` : ''}${failed.length ? ` · ${failed.length} could not be paused` : ''}${unsure.length ? ` · ${unsure.length} not confirmed by Whop` : ''}`,
      });
    } catch (err) {
      deps.log.warn({ err, key: record.key }, 'pause all done but the alert was not updated');
      await say(`Paused ${done.length} of ${ads.length} ads in Whop, but Slack did not let me update the alert.`);
    }
    const [firstFailed] = failed;
    if (firstFailed) await say(`${failed.length} ads could not be paused: ${esc(firstFailed.why)}${unsure.length ? '' : ' The others are done.'}`);
    if (unsure.length > 0) await say(pauseAllUnsure(unsure.map((o) => ({ title: o.entity.title, id: o.entity.id, status: o.unconfirmed.now }))));
  };
