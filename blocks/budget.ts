import type { KnownBlock, View } from '@slack/types';
import type { Currency } from '../src/currency';
import type { BudgetChange } from '../src/model';
import { clock, money, title } from './format';
import { actions, button, context, section } from './kit';
import { INPUT_LIMITS } from './limits';

export const CONFIRM_ACTION = 'ad_group.budget.confirm';
export const CANCEL_ACTION = 'ad_group.budget.cancel';
export const UNDO_ACTION = 'ad_group.budget.undo';
export const MODAL_CALLBACK = 'ad_group.budget.modal';
export const MODAL_CONFIRM_CALLBACK = 'ad_group.budget.modal_confirm';
export const AMOUNT_BLOCK = 'budget';
export const AMOUNT_INPUT = 'amount';

export function changePercent(from: number, to: number): number {
  return (Math.abs(to - from) / from) * 100;
}

const amounts = (c: BudgetChange) => `${money(c.from, c.currency)} → *${money(c.to, c.currency)}*${c.type ? ` ${c.type}` : ''}`;

/** ` (+20%)`; nothing from a budget of zero (or next to it), which no percentage describes. */
const signed = (c: BudgetChange) => {
  const pct = Math.round(changePercent(c.from, c.to));
  return Number.isFinite(pct) ? ` (${c.to > c.from ? '+' : '−'}${pct}%)` : '';
};

/**
 * Confirm / Cancel for a large change. Both buttons carry only the pending change's id: who asked and what was
 * planned are read from the bot's store, never from the button.
 */
export function confirmPrompt(change: BudgetChange, confirmId: string, thresholdPct: number): { text: string; blocks: KnownBlock[] } {
  return {
    text: `Confirm the budget change for ${title(change.title, change.id)}`,
    blocks: [
      section(`Change the budget of *${title(change.title, change.id)}* from ${amounts(change)}${signed(change)}?\nChanges over ${thresholdPct}% need a confirmation.`),
      actions([button('Confirm', CONFIRM_ACTION, confirmId, { style: 'primary' }), button('Cancel', CANCEL_ACTION, confirmId)]),
    ],
  };
}

const changedLine = (change: BudgetChange, by: string, at: Date, timeZone: string) =>
  `:moneybag: Budget of *${title(change.title, change.id)}*: ${amounts(change)}${signed(change)}, by <@${by}> at ${clock(at, timeZone)}`;

/** The change as made, with Undo when there is a pending change to undo it (its id is all the button carries). */
export function budgetChanged(change: BudgetChange, by: string, at: Date, timeZone: string, undoId: string | null): { text: string; blocks: KnownBlock[] } {
  const line = changedLine(change, by, at, timeZone);
  return { text: line, blocks: [section(line, undoId === null ? undefined : button('Undo', UNDO_ACTION, undoId))] };
}

export const budgetCancelled = (change: Pick<BudgetChange, 'id' | 'title'>): { text: string; blocks: KnownBlock[] } => ({
  text: 'Budget change cancelled',
  blocks: [context(`Budget change for *${title(change.title, change.id)}* cancelled; nothing was changed.`)],
});

export interface ModalState {
  id: string;
  title: string | null;
  from: number;
  type: 'daily' | 'lifetime' | null;
  currency: Currency | null;
  /** Where the card that opened the modal lives, so it can be updated afterwards. */
  channel: string | null;
  ts: string | null;
  responseUrl: string | null;
  sharedBy: string | null;
}

/**
 * The form; its metadata is only the id of the pending form the bot keeps (`formId`), never the state itself.
 * `problem`: why the last amount was refused (mrkdwn), shown above the field.
 */
export function budgetModal(state: ModalState, formId: string, problem?: string): View {
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK,
    private_metadata: formId,
    title: { type: 'plain_text', text: 'Edit budget' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${title(state.title, state.id)}*\nNow: ${money(state.from, state.currency)}${state.type ? ` ${state.type}` : ''}`),
      ...(problem ? [context(`:warning: ${problem}`)] : []),
      {
        type: 'input',
        block_id: AMOUNT_BLOCK,
        label: { type: 'plain_text', text: ['New', state.type, 'budget', state.currency && `(${state.currency})`].filter(Boolean).join(' ') },
        // Slack itself refuses an empty or over-long amount, before the bot is even asked.
        element: { type: 'plain_text_input', action_id: AMOUNT_INPUT, initial_value: state.from.toFixed(2), min_length: 1, max_length: INPUT_LIMITS.amount },
        hint: { type: 'plain_text', text: `For example 150, 1,250.50${state.currency ? ` or 200 ${state.currency}` : ''}` },
      },
    ],
  };
}

/** The modal's second step for a large change: Confirm applies it. Its metadata is the pending change's id. */
export function budgetModalConfirm(state: ModalState, to: number, thresholdPct: number, confirmId: string): View {
  const change: BudgetChange = { ...state, to };
  return {
    type: 'modal',
    callback_id: MODAL_CONFIRM_CALLBACK,
    private_metadata: confirmId,
    title: { type: 'plain_text', text: 'Confirm budget' },
    submit: { type: 'plain_text', text: 'Confirm' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [section(`Change the budget of *${title(change.title, change.id)}* from ${amounts(change)}${signed(change)}?\nChanges over ${thresholdPct}% need a confirmation.`)],
  };
}

/** The modal right after Save, while the bot checks who may act and asks Whop: Slack wants an answer within 3 s. */
export const budgetModalPending = (state: ModalState, to: number): View => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Edit budget' },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [
    section(`*${title(state.title, state.id)}*: ${amounts({ ...state, to })}`),
    context(':hourglass_flowing_sand: One moment… You can close this: I will tell you how it went either way.'),
  ],
});

/** The modal once the budget is changed; the Undo button is in the message sent alongside. */
export const budgetModalDone = (change: BudgetChange, by: string, at: Date, timeZone: string): View => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Edit budget' },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [section(changedLine(change, by, at, timeZone)), context('Done. The message I sent you has an Undo button.')],
});

/** Shown at once while Whop is asked for the current budget: trigger_id must be used within 3 s. */
export const loadingModal = (): View => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Edit budget' },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [section(':hourglass_flowing_sand: Loading the current budget from Whop…')],
});

export const problemModal = (text: string): View => ({
  type: 'modal',
  title: { type: 'plain_text', text: 'Edit budget' },
  close: { type: 'plain_text', text: 'Close' },
  blocks: [section(text)],
});
