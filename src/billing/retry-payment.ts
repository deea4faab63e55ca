import type { Attempt, Target } from '../actions/pipeline';
import type { EntityRef } from '../model';
import type { AdsGateway } from '../whop/gateway';
import type { WhopFailure } from '../whop/result';
import type { AdCampaign } from '../whop/types';

export type Campaign = EntityRef & { kind: 'ad_campaign'; delivery: AdCampaign['delivery_status'] };

/**
 * How one Retry payment went. `paid`: Whop charged and the campaign no longer reports a failed payment;
 * `declined`: Whop tried and it still does; `not_failed`: it no longer did before the click, nothing was sent;
 * `failed`: Whop refused, nothing was charged; `uncertain`: no answer, it may have been charged; `now` as read back.
 */
export type PaymentRetry =
  | { outcome: 'paid' | 'declined' | 'not_failed'; campaign: Campaign }
  | { outcome: 'failed'; campaign: Campaign | null; failure: WhopFailure }
  | { outcome: 'uncertain'; campaign: Campaign; now: Campaign | null; failure: WhopFailure };

export const retryTarget = (id: string): Target => ({ action: 'ad_campaign.retry_payment', entityKind: 'ad_campaign', entityId: id });

const campaignOf = (c: AdCampaign): Campaign => ({ kind: 'ad_campaign', id: c.id, title: c.title, status: c.status, delivery: c.delivery_status });
const whopWords = (failure: WhopFailure) => failure.detail ?? failure.message;

/**
 * The campaign read first (its payment may have been retried meanwhile, or by someone in Whop: then no call),
 * then one call with the click's Idempotency-Key. Runs under the campaign's lock, inside the action pipeline.
 */
export async function retryPayment(gateway: AdsGateway, id: string, key: string): Promise<Attempt<PaymentRetry>> {
  const found = await gateway.campaign(id);
  if (!found.ok) {
    const unknown = found.error.kind === 'not_found';
    return {
      outcome: 'failed',
      reason: unknown ? 'not_found' : 'whop_failed',
      title: null,
      before: null,
      after: null,
      detail: unknown ? null : whopWords(found.error),
      result: { outcome: 'failed', campaign: null, failure: found.error },
    };
  }
  const campaign = campaignOf(found.value);
  const facts = { title: campaign.title, before: campaign.delivery };
  if (campaign.delivery !== 'payment_failed') {
    return { ...facts, outcome: 'refused', reason: 'payment_not_failed', after: campaign.delivery, detail: null, result: { outcome: 'not_failed', campaign } };
  }
  const retried = await gateway.retryPayment(id, key);
  if (!retried.ok) {
    if (!retried.error.unsure) {
      return { ...facts, outcome: 'failed', reason: 'whop_failed', after: null, detail: whopWords(retried.error), result: { outcome: 'failed', campaign, failure: retried.error } };
    }
    // The SDK retried, so an earlier attempt may have gone through: read it back once to say where it stands.
    const reread = await gateway.campaign(id);
    const now = reread.ok ? campaignOf(reread.value) : null;
    const detail = `no answer, may have been charged: ${whopWords(retried.error)}; ${now ? `Whop now says ${now.delivery}` : 'could not read it back'}`;
    return { ...facts, outcome: 'failed', reason: 'whop_unsure', after: null, detail, result: { outcome: 'uncertain', campaign, now, failure: retried.error } };
  }
  const after = campaignOf(retried.value);
  if (after.delivery === 'payment_failed') {
    return { ...facts, outcome: 'failed', reason: 'card_declined', after: after.delivery, detail: null, result: { outcome: 'declined', campaign: after } };
  }
  return { ...facts, outcome: 'done', reason: null, after: after.delivery, detail: null, result: { outcome: 'paid', campaign: after } };
}
