import { channelBelongsTo, oneAccountOnly, whichAccount } from '../../blocks/notices';
import type { AccountContext } from './context';
import type { Accounts } from './registry';

export type Resolution = { ok: true; account: AccountContext } | { ok: false; text: string };

/**
 * The account a command is for: the channel's when it is bound (naming another there is refused); elsewhere the only
 * one, or the one `account:<name>` names; else the answer lists the choices.
 */
export function commandAccount(accounts: Accounts, channel: string, named: string | null): Resolution {
  if (accounts.only) return named === null || named === accounts.only.name ? { ok: true, account: accounts.only } : { ok: false, text: oneAccountOnly };
  const bound = accounts.byChannel(channel);
  if (bound) return named === null || named === bound.name ? { ok: true, account: bound } : { ok: false, text: channelBelongsTo(bound.name) };
  const picked = named === null ? accounts.only : accounts.byName(named);
  if (picked) return { ok: true, account: picked };
  return {
    ok: false,
    text: whichAccount(
      accounts.all.map((a) => a.name),
      named,
    ),
  };
}
