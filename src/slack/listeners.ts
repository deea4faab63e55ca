import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { EDIT_BUDGET_ACTION, OPEN_ACTION, SHARE_ACTION } from '../../blocks/ad-group-card';
import { ALERT_UNDO_BUDGET_ACTION, PAUSE_ALL_ACTION, RETRY_PAYMENT_ACTION, SNOOZE_ACTIONS } from '../../blocks/alert';
import { CANCEL_ACTION, CONFIRM_ACTION, MODAL_CALLBACK, MODAL_CONFIRM_CALLBACK, UNDO_ACTION } from '../../blocks/budget';
import { HOME_ACCOUNT_PATTERN, HOME_AUDIT_PAGE_ACTION, HOME_POST_DIGEST_ACTION, HOME_REFRESH_ACTION, HOME_SIMULATE_ACTION, POST_DIGEST_CALLBACK } from '../../blocks/home';
import type { Accounts } from '../accounts/registry';
import { RULE_APPROVE_ACTION, RULE_SKIP_ACTION, RULE_UNDO_ACTION } from '../automation/rule-action';
import { homeAccount, pendingAccount, routeButton, routeCommand, routeEvent, routeView } from './account-router';
import { onPauseAll, onSnooze } from './actions/alert-buttons';
import { onAlertBudgetUndo, onBudgetCancel, onBudgetConfirm, onBudgetUndo } from './actions/budget-buttons';
import { onEditBudget, onOpenCard, onShareCard } from './actions/card-buttons';
import { onAuditPage, onHomeRefresh, onHomeSimulate, onPostDigestButton } from './actions/home-buttons';
import { onRetryPayment } from './actions/retry-payment';
import { onRuleApprove } from './actions/rule-approve';
import { onRuleSkip } from './actions/rule-skip';
import { onRuleUndo } from './actions/rule-undo';
import { onToggleDelivery, TOGGLE_ACTION } from './actions/toggle-delivery';
import { type KnownAction, onUnknownAction } from './actions/unknown-action';
import { onAdGroupCommand } from './commands/adgroup';
import { onAdsCommand } from './commands/ads';
import type { BotDeps } from './deps';
import { onBotJoined } from './events/bot-joined';
import { onHomeOpened } from './events/home-opened';
import { answerListenerErrors } from './listener-error';
import { PostAckSlots } from './post-ack';
import { sandboxReplies } from './sandbox-replies';
import { onBudgetModalConfirm, onBudgetModalSubmit } from './views/budget-modal';
import { chosenChannel, onPostDigestSubmit } from './views/post-digest-modal';

/** Handlers whose work after the ack may run at once; the rest wait their turn (see post-ack.ts). */
const POST_ACK_SLOTS = 64;

type ButtonListener = (args: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs) => Promise<void>;

/**
 * Every button the bot answers, one row each: the action id (or pattern), its handler, and whether its work
 * after the ack waits for a post-ack slot. The catch-all for unknown buttons is fed from the same table.
 */
function buttonRoutes(deps: BotDeps): Array<{ id: KnownAction; listener: ButtonListener; queued: boolean }> {
  return [
    { id: TOGGLE_ACTION, listener: onToggleDelivery(deps), queued: true },
    { id: CONFIRM_ACTION, listener: onBudgetConfirm(deps), queued: true },
    { id: UNDO_ACTION, listener: onBudgetUndo(deps), queued: true },
    { id: ALERT_UNDO_BUDGET_ACTION, listener: onAlertBudgetUndo(deps), queued: true },
    { id: CANCEL_ACTION, listener: onBudgetCancel(deps), queued: true },
    // Not queued: the modal must open within the 3 seconds its trigger_id lives.
    { id: EDIT_BUDGET_ACTION, listener: onEditBudget(deps), queued: false },
    { id: SHARE_ACTION, listener: onShareCard(deps), queued: true },
    { id: OPEN_ACTION, listener: onOpenCard(deps), queued: true },
    { id: PAUSE_ALL_ACTION, listener: onPauseAll(deps), queued: true },
    { id: RETRY_PAYMENT_ACTION, listener: onRetryPayment(deps), queued: true },
    { id: HOME_REFRESH_ACTION, listener: onHomeRefresh(deps), queued: true },
    // Showing another account's Home is a refresh of the Home for the account the button names (account-router.ts).
    { id: HOME_ACCOUNT_PATTERN, listener: onHomeRefresh(deps), queued: true },
    // Not queued: each opens a form, within the 3 seconds its trigger_id lives.
    { id: HOME_POST_DIGEST_ACTION, listener: onPostDigestButton(deps), queued: false },
    { id: HOME_AUDIT_PAGE_ACTION, listener: onAuditPage(deps), queued: false },
    { id: HOME_SIMULATE_ACTION, listener: onHomeSimulate(deps), queued: false },
    { id: RULE_APPROVE_ACTION, listener: onRuleApprove(deps), queued: true },
    { id: RULE_SKIP_ACTION, listener: onRuleSkip(deps), queued: true },
    { id: RULE_UNDO_ACTION, listener: onRuleUndo(deps), queued: true },
    ...Object.entries(SNOOZE_ACTIONS).map(([choice, id]) => ({ id, listener: onSnooze(deps, choice as keyof typeof SNOOZE_ACTIONS), queued: true })),
  ];
}

/**
 * Bolt acknowledges events itself. Given an ack that does nothing, an event listener takes a post-ack slot (on its own
 * ack, first thing) and is waited for at shutdown, and its replies get the sandbox mark, like every other listener.
 */
const asAcked =
  <A extends { ack: () => Promise<void> }>(listener: (args: A) => Promise<void>) =>
  (args: Omit<A, 'ack'>): Promise<void> =>
    listener({ ...args, ack: async () => {} } as A);

/** Every Slack surface the bot answers, one handler per file, each built per account and routed per request (account-router.ts). */
export function registerListeners(app: App, accounts: Accounts): { idle: () => Promise<void> } {
  // biome-ignore lint/style/noNonNullAssertion: the registry has at least one account
  const { sandbox, log, now } = accounts.all[0]!.deps;
  const slots = new PostAckSlots(POST_ACK_SLOTS);
  const marked = sandboxReplies(sandbox);
  const queued: typeof marked = (listener) => slots.wrap(marked(listener));
  app.command('/adgroup', queued(routeCommand(accounts, onAdGroupCommand)));
  app.command('/ads', queued(routeCommand(accounts, onAdsCommand)));
  const tables = new Map(accounts.all.map((a) => [a.deps, buttonRoutes(a.deps)]));
  // biome-ignore lint/style/noNonNullAssertion: the registry has at least one account
  const routes = tables.get(accounts.all[0]!.deps)!;
  routes.forEach((route, i) => {
    // biome-ignore lint/style/noNonNullAssertion: every table is built by buttonRoutes, in the same order
    const listener = routeButton(accounts, now, (deps) => tables.get(deps)![i]!.listener);
    app.action<BlockAction<ButtonAction>>(route.id, route.queued ? queued(listener) : marked(listener));
  });
  // Any other button (an old message, a forged one): acked and answered, not Slack's error after 3 s.
  app.action<BlockAction>(/.*/, marked(onUnknownAction(routes.map((route) => route.id))));
  const byPending = pendingAccount(accounts, now);
  app.view(MODAL_CALLBACK, queued(routeView(accounts, onBudgetModalSubmit, byPending)));
  app.view(MODAL_CONFIRM_CALLBACK, queued(routeView(accounts, onBudgetModalConfirm, byPending)));
  app.view(POST_DIGEST_CALLBACK, queued(routeView(accounts, onPostDigestSubmit, async ({ view }) => accounts.byChannel(String(chosenChannel(view) ?? '')))));
  app.event('app_home_opened', asAcked(queued(routeEvent(accounts, onHomeOpened, ({ event }) => homeAccount(accounts, event.view?.private_metadata)))));
  app.event('member_joined_channel', asAcked(queued(routeEvent(accounts, onBotJoined, ({ event }) => accounts.byChannel(event.channel)))));
  answerListenerErrors(app, log, sandbox);
  return { idle: () => slots.idle() };
}
