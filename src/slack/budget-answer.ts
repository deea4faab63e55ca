import type { KnownBlock } from '@slack/types';
import { budgetCancelled, budgetChanged, confirmPrompt } from '../../blocks/budget';
import { notAllowed } from '../../blocks/notices';
import type { Ran } from '../actions/pipeline';
import type { BudgetResult } from '../budget/budget-change';
import type { BotDeps } from './deps';

/** How a budget request went, as the message the person sees; null for a repeat of one already answered. */
export function budgetAnswer(deps: BotDeps, ran: Ran<BudgetResult>, user: string): { text: string; blocks?: KnownBlock[] } | null {
  if (ran.status === 'repeat') return null;
  if (ran.status === 'refused') return { text: notAllowed(ran.reason, 'change budgets', deps.authz.operatorsMention()) };
  const result = ran.attempt.result;
  switch (result.kind) {
    case 'asked':
      return confirmPrompt(result.change, result.confirmId, deps.limits.confirm_change_pct);
    case 'done':
      return budgetChanged(result.change, user, deps.now(), deps.timeZone, result.undoId);
    case 'cancelled':
      return budgetCancelled({ id: result.id, title: null });
    case 'not_done':
      return { text: result.message };
  }
}
