import type { AlertSettings, DigestSettings } from '../config';
import type { BotDeps } from '../slack/deps';
import type { AccountStore } from '../store/types';
import type { AdsGateway } from '../whop/gateway';

/**
 * One Whop account the bot serves, with everything that works on it alone: its own Whop client and key, its part of
 * the store, who may act on it, its digests and alert checks, and the deps its Slack requests are handled with.
 */
export interface AccountContext {
  /** ads-bot.yml `accounts[].name`, or `default` (DEFAULT_ACCOUNT) without `accounts:`. */
  name: string;
  /** The Whop company id; null only for `default` without WHOP_COMPANY_ID (the key's own account). */
  companyId: string | null;
  gateway: AdsGateway;
  store: AccountStore;
  digests: readonly DigestSettings[];
  alerts: readonly AlertSettings[];
  /** The channels bound to it: its digests', its alert checks' and `accounts[].channels`. */
  channels: ReadonlySet<string>;
  /** What a Slack request for this account is handled with: its gateway, store and authorization (global and its own operators). */
  deps: BotDeps;
}
