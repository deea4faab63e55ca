import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { EDIT_BUDGET_ACTION, OPEN_ACTION, SHARE_ACTION } from '../../blocks/ad-group-card';
import { PAUSE_ALL_ACTION, SNOOZE_ACTIONS } from '../../blocks/alert';
import { CANCEL_ACTION, CONFIRM_ACTION, MODAL_CALLBACK, MODAL_CONFIRM_CALLBACK, UNDO_ACTION } from '../../blocks/budget';
import { onPauseAll, onSnooze } from './actions/alert-buttons';
import { onBudgetCancel, onBudgetConfirm, onBudgetUndo } from './actions/budget-buttons';
import { onEditBudget, onOpenCard, onShareCard } from './actions/card-buttons';
import { TOGGLE_ACTION, onToggleDelivery } from './actions/toggle-delivery';
import { onUnknownAction } from './actions/unknown-action';
import { onAdGroupCommand } from './commands/adgroup';
import { onAdsCommand } from './commands/ads';
import type { BotDeps } from './deps';
import { answerListenerErrors } from './listener-error';
import { PostAckSlots } from './post-ack';
import { sandboxReplies } from './sandbox-replies';
import { onBudgetModalConfirm, onBudgetModalSubmit } from './views/budget-modal';

/** Handlers whose work after the ack may run at once; the rest wait their turn (see post-ack.ts). */
const POST_ACK_SLOTS = 64;

/** Every Slack surface the bot answers, one handler per file. */
export function registerListeners(app: App, deps: BotDeps): { idle: () => Promise<void> } {
  const slots = new PostAckSlots(POST_ACK_SLOTS);
  const marked = sandboxReplies(deps.sandbox);
  const queued: typeof marked = (listener) => slots.wrap(marked(listener));
  app.command('/adgroup', queued(onAdGroupCommand(deps)));
  app.command('/ads', queued(onAdsCommand(deps)));
  app.action<BlockAction<ButtonAction>>(TOGGLE_ACTION, queued(onToggleDelivery(deps)));
  app.action<BlockAction<ButtonAction>>(CONFIRM_ACTION, queued(onBudgetConfirm(deps)));
  app.action<BlockAction<ButtonAction>>(UNDO_ACTION, queued(onBudgetUndo(deps)));
  app.action<BlockAction<ButtonAction>>(CANCEL_ACTION, marked(onBudgetCancel()));
  // Not queued: the modal must open within the 3 seconds its trigger_id lives.
  app.action<BlockAction<ButtonAction>>(EDIT_BUDGET_ACTION, marked(onEditBudget(deps)));
  app.action<BlockAction<ButtonAction>>(SHARE_ACTION, queued(onShareCard(deps)));
  app.action<BlockAction<ButtonAction>>(OPEN_ACTION, queued(onOpenCard(deps)));
  app.action<BlockAction<ButtonAction>>(PAUSE_ALL_ACTION, queued(onPauseAll(deps)));
  for (const [choice, actionId] of Object.entries(SNOOZE_ACTIONS)) {
    app.action<BlockAction<ButtonAction>>(actionId, queued(onSnooze(deps, choice as keyof typeof SNOOZE_ACTIONS)));
  }
  // Any other button (an old message, a forged one): acked and answered, not Slack's error after 3 s.
  const known = [TOGGLE_ACTION, CONFIRM_ACTION, UNDO_ACTION, CANCEL_ACTION, EDIT_BUDGET_ACTION, SHARE_ACTION, OPEN_ACTION, PAUSE_ALL_ACTION, ...Object.values(SNOOZE_ACTIONS)];
  app.action<BlockAction>(/.*/, marked(onUnknownAction(known)));
  app.view(MODAL_CALLBACK, queued(onBudgetModalSubmit(deps)));
  app.view(MODAL_CONFIRM_CALLBACK, queued(onBudgetModalConfirm(deps)));
  answerListenerErrors(app, deps.log, deps.sandbox);
  return { idle: () => slots.idle() };
}
