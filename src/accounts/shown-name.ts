import { DEFAULT_ACCOUNT } from '../model';
import type { AccountContext } from './context';

/** What the one account of a deployment without `accounts:` (nor WHOP_COMPANY_ID) is called where people read it. */
export const IMPLICIT_ACCOUNT_NAME = 'Whop account';

/**
 * An account's name as people read it: its ads-bot.yml name, except `default` (the implicit account, or one so named
 * to keep its history), which says nothing: its company id then, or "Whop account".
 */
export const shownName = (account: Pick<AccountContext, 'name' | 'companyId'>): string =>
  account.name !== DEFAULT_ACCOUNT ? account.name : (account.companyId ?? IMPLICIT_ACCOUNT_NAME);
