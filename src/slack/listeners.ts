import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { TOGGLE_ACTION, type ToggleDeps, onToggleDelivery } from './actions/toggle-delivery';

export type ListenerDeps = ToggleDeps;

/** Every Slack surface the bot answers, one handler per file. */
export function registerListeners(app: App, deps: ListenerDeps): void {
  app.action<BlockAction<ButtonAction>>(TOGGLE_ACTION, onToggleDelivery(deps));
}
