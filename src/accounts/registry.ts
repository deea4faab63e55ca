import type { AccountContext } from './context';

/** Every account of the deployment, and the one a channel is bound to. */
export interface Accounts {
  /** At least one, in the order of ads-bot.yml. */
  readonly all: readonly AccountContext[];
  byName(name: string): AccountContext | undefined;
  /** The account the channel is bound to; undefined for a channel no account names. */
  byChannel(channel: string): AccountContext | undefined;
  /** Set when there is one account only: every request is its, wherever it comes from. */
  readonly only: AccountContext | undefined;
}

export function accountRegistry(all: readonly AccountContext[]): Accounts {
  const named = new Map(all.map((a) => [a.name, a]));
  // The config refuses a channel bound to two accounts, so each channel has one entry.
  const bound = new Map(all.flatMap((a) => [...a.channels].map((channel) => [channel, a] as const)));
  return {
    all,
    byName: (name) => named.get(name),
    byChannel: (channel) => bound.get(channel),
    only: all.length === 1 ? all[0] : undefined,
  };
}
