import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { withPaymentRetry } from '../../../blocks/alert';
import { notAllowed, paymentRetried, unknownButton } from '../../../blocks/notices';
import { deliveryStatusKey } from '../../alerts/rules/delivery-status';
import { retryPayment, retryTarget } from '../../billing/retry-payment';
import { ID_PATTERN } from '../../model';
import { clickRequest } from '../action-request';
import type { BotDeps } from '../deps';
import { seenAt } from '../message-updates';

type Args = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Retry payment on a payment_failed alert: parse → the action pipeline → the alert says who retried and how it went. */
export const onRetryPayment =
  (deps: BotDeps) =>
  async ({ ack, body, action, respond }: Args): Promise<void> => {
    await ack();
    const say = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
    const id = action.value ?? '';
    if (!ID_PATTERN.ad_campaign.test(id)) {
      deps.log.warn({ actionId: action.action_id, user: body.user.id }, 'unusable retry payment button');
      return void (await say(unknownButton()));
    }
    const request = clickRequest(body, action);
    // The click's own key: Slack's retries of it, and a second replica handling it, charge once.
    const ran = await deps.actions.run(request, { target: retryTarget(id), act: () => retryPayment(deps.gateway, id, request.key) });
    if (ran.status === 'repeat') return;
    if (ran.status === 'refused') return void (await say(notAllowed(ran.reason, 'retry payments', deps.authz.operatorsMention())));

    const result = ran.attempt.result;
    switch (result.outcome) {
      case 'failed':
        deps.log.warn({ id, whop: result.failure }, 'Whop refused a payment retry');
        return void (await say(paymentRetried.refused(result.campaign?.title ?? null, id, result.failure.message)));
      case 'uncertain':
        deps.log.warn({ id, whop: result.failure, now: result.now?.delivery }, 'Whop did not confirm a payment retry');
        return void (await say(paymentRetried.unsure(result.campaign.title, id, result.now?.delivery ?? null)));
      case 'not_failed':
        return void (await say(paymentRetried.notFailed(result.campaign.title, id)));
      case 'paid':
      case 'declined': {
        const paid = result.outcome === 'paid';
        const message = body.message;
        const channel = request.channel;
        if (channel && message) {
          try {
            await deps.messages.update(
              { channel, ts: message.ts, text: String(message.text ?? 'Alert'), blocks: (message.blocks ?? []) as KnownBlock[], seenAt: seenAt(action) },
              (blocks) =>
                withPaymentRetry(blocks, { by: request.who.userId, at: deps.now(), timeZone: deps.timeZone, paid, campaignId: id, key: deliveryStatusKey('payment_failed', id) }),
            );
          } catch (err) {
            deps.log.warn({ err, id }, 'payment retried, but the alert was not updated');
          }
        }
        await say(paid ? paymentRetried.paid(result.campaign.title, id) : paymentRetried.declined(result.campaign.title, id));
      }
    }
  };
