import type { PostedMessage } from '../model';
import type { AdsGateway } from '../whop/gateway';

/**
 * One Whop account as the cross-account summary reads it: its gateway for the figures and issues, and the bot's
 * own state of it (alerts still open, its latest digest). The bot builds one per account it serves (summaryAccountOf).
 */
export interface SummaryAccount {
  /** The account's name in ads-bot.yml, as summaries' `accounts:` lists it. */
  name: string;
  /** Its name on its line (shownName). */
  shownName: string;
  gateway: AdsGateway;
  /** How many of the account's alerts are open now, snoozed ones included. */
  openAlerts(): Promise<number>;
  /** The account's latest digest message, for the summary's link to it; null when none was posted yet. */
  latestDigest(): Promise<PostedMessage | null>;
  /** The channel the account's digests go to, linked while there is no digest to link to; null when it has none. */
  digestChannel: string | null;
}
