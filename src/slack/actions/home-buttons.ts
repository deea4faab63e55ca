import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { AUDIT_PAGE_SIZE, auditPageModal, postDigestModal, simulateModal } from '../../../blocks/home';
import { couldNot, notAllowed } from '../../../blocks/notices';
import { simulateAnswer } from '../../../blocks/simulate';
import { configuredChannels } from '../../home/summary';
import { SIMULATE_DAYS } from '../commands/parse';
import type { BotDeps } from '../deps';
import { publishHome } from '../home';
import { requesterOf } from '../requester';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Refresh: the Home tab again, as it is now, for whoever clicked. */
export const onHomeRefresh =
  (deps: BotDeps) =>
  async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    await publishHome(deps, client, requesterOf(body), false);
  };

/** Past this many rows the audit log is read in the database, not paged through in Slack. */
const MAX_OFFSET = 10_000;

/** Older actions (Home) and Older (the form): the next page of the audit log; looking needs no permission. */
export const onAuditPage =
  (deps: BotDeps) =>
  async ({ ack, action, body, client }: Args): Promise<void> => {
    await ack();
    const asked = Number(action.value);
    const offset = Number.isInteger(asked) && asked >= 0 && asked <= MAX_OFFSET ? asked : 0;
    const rows = await deps.audit.recent(AUDIT_PAGE_SIZE + 1, offset);
    const view = auditPageModal(rows.slice(0, AUDIT_PAGE_SIZE), offset, rows.length > AUDIT_PAGE_SIZE, deps.timeZone, deps.summary.account.name);
    // From the form itself: its next page in place; from Home: a new form.
    if (body.view?.type === 'modal') await client.views.update({ view_id: body.view.id, view });
    else await client.views.open({ trigger_id: body.trigger_id, view });
  };

/**
 * Post a digest now: the form to pick a channel and a window. Opened at once (the trigger_id lives 3 s) and only
 * for someone who may act; the submission is authorized again, as the button may be forged.
 */
export const onPostDigestButton =
  (deps: BotDeps) =>
  async ({ ack, body, client, respond }: Args): Promise<void> => {
    await ack();
    const verdict = await deps.authz.check(requesterOf(body));
    if (!verdict.ok) {
      const text = notAllowed(verdict.reason, 'post a digest from here', deps.authz.operatorsMention());
      if (body.channel) await respond({ response_type: 'ephemeral', replace_original: false, text });
      else await client.chat.postMessage({ channel: body.user.id, text });
      return;
    }
    await client.views.open({ trigger_id: body.trigger_id, view: postDigestModal(configuredChannels(deps.summary)) });
  };

/**
 * Simulate rules: the form opens at once (the trigger_id lives 3 s) saying what it does, then shows the replay of
 * the last week, as `/ads rules simulate` would answer it. Only reads, so anyone may.
 */
export const onHomeSimulate =
  (deps: BotDeps) =>
  async ({ ack, body, client }: Args): Promise<void> => {
    await ack();
    const days = SIMULATE_DAYS.default;
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: simulateModal({ text: `Replaying the alert rules with an action over the last ${days} days…` }) });
    const viewId = opened.view?.id;
    if (!viewId) return;
    const replay = await deps.simulateRules(days);
    if (!replay.ok) deps.log.warn({ whop: replay.error }, 'Simulate rules could not read Whop');
    const view = replay.ok ? simulateModal(simulateAnswer(replay.value, days, deps.timeZone)) : simulateModal({ text: couldNot('replay the rules', replay.error.message) });
    await client.views.update({ view_id: viewId, view });
  };
