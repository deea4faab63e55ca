import type { Refusal } from '../slack/authz';

/**
 * Why an attempt ended as it did, in one vocabulary: the audit log stores it, and each view turns it into
 * words for the person (blocks/notices.ts). Whop's own message, when there is one, goes alongside as detail.
 */
export type Reason =
  | Refusal
  /** Whop does not let anyone toggle an item in or out of review. */
  | 'under_review'
  | 'above_limit'
  | 'set_by_campaign'
  | 'wrong_currency'
  | 'same_budget'
  /** The budget moved since the change was planned: someone else's change wins. */
  | 'moved_on'
  | 'not_found'
  | 'change_unknown'
  | 'change_expired'
  | 'change_used'
  /** A confirmation clicked by someone other than the person who asked for the change. */
  | 'not_requester'
  /** Whop refused or failed the call in a way that changed nothing. */
  | 'whop_failed'
  /** Whop did not confirm the call (5xx after retries, timeout, reset): it may have been applied. */
  | 'whop_unsure'
  /** The alert a Snooze was for was resolved before the click was handled. */
  | 'alert_resolved'
  | 'needs_confirmation'
  /** Whop retried the payment and the card was declined again. */
  | 'card_declined'
  /** A Retry payment on a campaign whose payment no longer fails: nothing to retry, nothing sent. */
  | 'payment_not_failed'
  | 'cancelled';
