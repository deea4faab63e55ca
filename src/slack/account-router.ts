import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackCommandMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { CANCEL_ACTION, CONFIRM_ACTION, UNDO_ACTION } from '../../blocks/budget';
import { HOME_ACCOUNT_PATTERN } from '../../blocks/home';
import { noAccountHere } from '../../blocks/notices';
import { takeAccountArgument } from '../accounts/argument';
import type { AccountContext } from '../accounts/context';
import type { Accounts } from '../accounts/registry';
import { commandAccount } from '../accounts/resolve';
import { RULE_APPROVE_ACTION, RULE_SKIP_ACTION, RULE_UNDO_ACTION } from '../automation/rule-action';
import { isPendingId } from '../store/pending-id';
import { asksForHelp } from './commands/parse';
import type { BotDeps } from './deps';

// Each handler is built once per account with that account's deps; a request is answered by the one of its account.
// The account comes from the request as the server sees it (its channel, a stored firing or pending change), and the
// handler then authorizes the person for that account: global operators or the account's own.

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

function perAccount<A>(accounts: Accounts, make: (deps: BotDeps) => (args: A) => Promise<void>): (account: AccountContext) => (args: A) => Promise<void> {
  const built = new Map(accounts.all.map((a) => [a.name, make(a.deps)]));
  // biome-ignore lint/style/noNonNullAssertion: every account of the registry was built above
  return (account) => built.get(account.name)!;
}

/** The account whose Home a person looks at: the one the published view names, else the first. */
const shownAccount = (accounts: Accounts, metadata: string | undefined): AccountContext =>
  // biome-ignore lint/style/noNonNullAssertion: the registry has at least one account
  accounts.byName(metadata ?? '') ?? accounts.all[0]!;

/** `/adgroup` and `/ads`: the channel's account or `account:<name>`, which is taken out of the text before the usual parsing. */
export function routeCommand(accounts: Accounts, make: (deps: BotDeps) => (args: CommandArgs) => Promise<void>) {
  const of = perAccount(accounts, make);
  return async (args: CommandArgs): Promise<void> => {
    const { name, text } = takeAccountArgument(args.command.text);
    const found = commandAccount(accounts, args.command.channel_id, name);
    if (!found.ok && !asksForHelp(text)) return void (await args.ack({ response_type: 'ephemeral', text: found.text }));
    // The usage reads no account: asked where none can be told, any account's handler answers it.
    // biome-ignore lint/style/noNonNullAssertion: the registry has at least one account
    const account = found.ok ? found.account : accounts.all[0]!;
    const command = { ...args.command, text };
    await of(account)({ ...args, command, body: command, payload: command });
  };
}

const FIRING_ACTIONS = new Set([RULE_APPROVE_ACTION, RULE_SKIP_ACTION, RULE_UNDO_ACTION]);
const PENDING_ACTIONS = new Set([CONFIRM_ACTION, CANCEL_ACTION, UNDO_ACTION]);

/** The first account whose own part of the store holds what the request names (looked up, never read from the request). */
async function holdingAccount(accounts: Accounts, holds: (account: AccountContext) => Promise<boolean>): Promise<AccountContext | undefined> {
  for (const account of accounts.all) if (await holds(account)) return account;
  return undefined;
}

/** Whether the account's pending store knows the change, used or expired too (its handler then says so). */
const knowsPending = (id: string, now: Date) => async (account: AccountContext) => {
  const lookup = await account.store.pending.peek(id, now);
  return lookup.ok || lookup.why !== 'unknown';
};

/**
 * A click's account: Home's buttons with a firing id go to the firing's account (looked up, not read from the
 * button), Home's others to the account it shows; a form's to the account it was opened for; a message's to the
 * account its channel is bound to. In a channel bound to none, Confirm, Cancel and Undo of a change asked there
 * (`/adgroup budget … account:x`) go to the account holding the change. Undefined: no account can be told, and the
 * click is refused.
 */
async function clickAccount(accounts: Accounts, body: BlockAction, action: ButtonAction, now: Date): Promise<AccountContext | undefined> {
  if (accounts.only) return accounts.only;
  const view = body.view;
  const value = action.value ?? '';
  if (view?.type === 'home') {
    if (HOME_ACCOUNT_PATTERN.test(action.action_id)) return accounts.byName(value) ?? shownAccount(accounts, view.private_metadata);
    const firing = FIRING_ACTIONS.has(action.action_id) && value ? await holdingAccount(accounts, async (a) => (await a.store.firings.get(value)) !== undefined) : undefined;
    return firing ?? shownAccount(accounts, view.private_metadata);
  }
  if (view?.type === 'modal') return accounts.byName(view.private_metadata ?? '');
  const channel = body.channel?.id ?? body.container?.channel_id;
  const bound = channel ? accounts.byChannel(channel) : undefined;
  if (bound || !PENDING_ACTIONS.has(action.action_id) || !isPendingId(value)) return bound;
  return holdingAccount(accounts, knowsPending(value, now));
}

export function routeButton(accounts: Accounts, now: () => Date, make: (deps: BotDeps) => (args: ButtonArgs) => Promise<void>) {
  const of = perAccount(accounts, make);
  return async (args: ButtonArgs): Promise<void> => {
    const account = await clickAccount(accounts, args.body, args.action, now());
    if (account) return of(account)(args);
    await args.ack();
    if (args.body.response_url) await args.respond({ response_type: 'ephemeral', replace_original: false, text: noAccountHere });
  };
}

/**
 * A form's submission: the account that holds the pending change it carries (a budget form), or the one its chosen
 * channel is bound to (Post a digest now). Otherwise the first account's handler answers, as for an unknown change.
 */
export function routeView(accounts: Accounts, make: (deps: BotDeps) => (args: ViewArgs) => Promise<void>, pick: (args: ViewArgs) => Promise<AccountContext | undefined>) {
  const of = perAccount(accounts, make);
  return async (args: ViewArgs): Promise<void> => {
    const account = accounts.only ?? (await pick(args)) ?? shownAccount(accounts, undefined);
    await of(account)(args);
  };
}

/** The account whose pending store knows the form's change (its private_metadata is the change's id). */
export const pendingAccount =
  (accounts: Accounts, now: () => Date) =>
  ({ view }: ViewArgs): Promise<AccountContext | undefined> =>
    holdingAccount(accounts, knowsPending(view.private_metadata, now()));

/** Events: Home opened shows the account its last published view showed; a channel joined is its account's, else the first's. */
export function routeEvent<A>(accounts: Accounts, make: (deps: BotDeps) => (args: A) => Promise<void>, pick: (args: A) => AccountContext | undefined) {
  const of = perAccount(accounts, make);
  return (args: A): Promise<void> => of(accounts.only ?? pick(args) ?? shownAccount(accounts, undefined))(args);
}

/** Home opened: the account the person's last published Home showed. */
export const homeAccount = (accounts: Accounts, metadata: string | undefined): AccountContext => shownAccount(accounts, metadata);
