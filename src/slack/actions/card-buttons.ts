import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { sharedByOf } from '../../../blocks/ad-group-card';
import { budgetModal, loadingModal, problemModal } from '../../../blocks/budget';
import { budgetSetByCampaign, couldNot, noSuchAdGroup, unknownButton } from '../../../blocks/notices';
import { loadCard } from '../../adgroup/card';
import { AD_GROUP_ID } from '../../model';
import type { BotDeps } from '../deps';
import { clickKey } from '../request-keys';
import { requesterOf } from '../requester';
import { keepForm, modalStateOf } from '../views/budget-modal';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

const idFrom = ({ value }: ButtonAction) => (value !== undefined && AD_GROUP_ID.test(value) ? value : null);

/** Open (from search results): the ad group's card, to the person who asked. */
export const onOpenCard =
  (deps: BotDeps) =>
  async ({ ack, action, respond }: Args): Promise<void> => {
    await ack();
    const id = idFrom(action);
    if (!id) return void (await respond({ response_type: 'ephemeral', replace_original: false, text: unknownButton() }));
    const card = await loadCard(deps, id);
    await respond({ response_type: 'ephemeral', replace_original: false, ...(card.ok ? card.value : { text: card.message }) });
  };

/** Share in channel: the card for everyone, saying who shared it. */
export const onShareCard =
  (deps: BotDeps) =>
  async ({ ack, action, body, client, respond }: Args): Promise<void> => {
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const id = idFrom(action);
    const channel = body.channel?.id;
    if (!id || !channel) return void (await say(unknownButton()));
    // A click Slack delivers twice (a retry, a replayed request) shares the card once.
    if (!(await deps.clicks.claim(clickKey(body, action), deps.now()))) return;
    const card = await loadCard(deps, id, body.user.id);
    if (!card.ok) return void (await say(card.message));
    try {
      await client.chat.postMessage({ channel, ...card.value });
    } catch (err) {
      deps.log.warn({ err, channel }, 'sharing a card failed');
      await say('I could not post in this channel: invite me with `/invite @Whop Ads`, then try again.');
    }
  };

/**
 * Edit budget: the modal opens at once (trigger_id expires after 3 s) and fills in when Whop has
 * answered with the current budget.
 */
export const onEditBudget =
  (deps: BotDeps) =>
  async ({ ack, action, body, client }: Args): Promise<void> => {
    await ack();
    const id = idFrom(action);
    const opened = await client.views.open({ trigger_id: body.trigger_id, view: id ? loadingModal() : problemModal(unknownButton()) });
    if (!id) return;
    // biome-ignore lint/style/noNonNullAssertion: an ok views.open answers with the view it opened, and every view has an id (the WebClient throws when ok is false)
    const viewId = opened.view!.id!;
    const group = await deps.gateway.adGroup(id);
    if (!group.ok) {
      const text = group.error.kind === 'not_found' ? noSuchAdGroup(id) : couldNot(`read the budget of \`${id}\``, group.error.message);
      await client.views.update({ view_id: viewId, view: problemModal(text) });
      return;
    }
    const g = group.value;
    if (g.budget_amount === null) {
      await client.views.update({ view_id: viewId, view: problemModal(budgetSetByCampaign(g.title, g.id)) });
      return;
    }
    const channelMessage = body.container?.is_ephemeral === false && body.channel?.id && body.message?.ts ? body.message : undefined;
    const origin = {
      channel: body.channel?.id ?? null,
      ts: channelMessage ? channelMessage.ts : null,
      responseUrl: channelMessage ? null : body.response_url,
      sharedBy: channelMessage ? (sharedByOf((channelMessage.blocks ?? []) as KnownBlock[]) ?? null) : null,
    };
    const state = modalStateOf({ ...g, budget_amount: g.budget_amount }, origin);
    // The form carries only this id: what it edits and where it came from stay with the bot.
    const formId = await keepForm(deps, requesterOf(body), state);
    await client.views.update({ view_id: viewId, view: budgetModal(state, formId) });
  };
