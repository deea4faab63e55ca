import type { KnownBlock, View } from '@slack/types';
import type { Currency } from '../src/currency';
import { clock, esc, money, title } from './format';
import { actions, button, context, section } from './kit';
import { INPUT_LIMITS, head } from './limits';

/** A budget change someone asked for: enough to show it, confirm it, apply it and undo it. */
export interface BudgetChange {
  id: string;
  title: string | null;
  from: number;
  to: number;
  type: 'daily' | 'lifetime' | null;
  currency: Currency | null;
}

export const CONFIRM_ACTION = 'ad_group.budget.confirm';
export const CANCEL_ACTION = 'ad_group.budget.cancel';
export const UNDO_ACTION = 'ad_group.budget.undo';
export const MODAL_CALLBACK = 'ad_group.budget.modal';
export const MODAL_CONFIRM_CALLBACK = 'ad_group.budget.modal_confirm';
export const AMOUNT_BLOCK = 'budget';
export const AMOUNT_INPUT = 'amount';

/** What a button carries to apply (or revert) a change: ids and numbers only, well under 2,000 characters. */
export interface BudgetChangeValue {
  id: string;
  from: number;
  to: number;
  by: string;
}

export const encodeChange = (value: BudgetChangeValue): string => JSON.stringify(value);

export function changePercent(from: number, to: number): number {
  return (Math.abs(to - from) / from) * 100;
}

const amounts = (c: BudgetChange) =>
  `${money(c.from, c.currency)} → *${money(c.to, c.currency)}*${c.type ? ` ${c.type}` : ''}`;

/** ` (+20%)`; nothing from a budget of zero (or next to it), which no percentage describes. */
const signed = (c: BudgetChange) => {
  const pct = Math.round(changePercent(c.from, c.to));
  return Number.isFinite(pct) ? ` (${c.to > c.from ? '+' : '−'}${pct}%)` : '';
};

export function confirmPrompt(change: BudgetChange, by: string, thresholdPct: number): { text: string; blocks: KnownBlock[] } {
  return {
    text: `Confirm the budget change for ${title(change.title, change.id)}`,
    blocks: [
      section(
        `Change the budget of *${title(change.title, change.id)}* from ${amounts(change)}${signed(change)}?\nChanges over ${thresholdPct}% need a confirmation.`,
      ),
      actions([
        button('Confirm', CONFIRM_ACTION, encodeChange({ id: change.id, from: change.from, to: change.to, by }), { style: 'primary' }),
        button('Cancel', CANCEL_ACTION, change.id),
      ]),
    ],
  };
}

const changedLine = (change: BudgetChange, by: string, at: Date, timeZone: string) =>
  `:moneybag: Budget of *${title(change.title, change.id)}*: ${amounts(change)}${signed(change)}, by <@${by}> at ${clock(at, timeZone)}`;

export function budgetChanged(change: BudgetChange, by: string, at: Date, timeZone: string): { text: string; blocks: KnownBlock[] } {
  const line = changedLine(change, by, at, timeZone);
  return {
    text: line,
    // No Undo back to a budget of zero: the bot sets budgets above zero only.
    blocks: [section(line, change.from > 0 ? button('Undo', UNDO_ACTION, encodeChange({ id: change.id, from: change.to, to: change.from, by })) : undefined)],
  };
}

export const budgetCancelled = (change: { id: string }): { text: string; blocks: KnownBlock[] } => ({
  text: 'Budget change cancelled',
  blocks: [context(`Budget change for \`${esc(change.id)}\` cancelled; nothing was changed.`)],
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

/** Characters of the title kept in a modal's metadata: messages show 80 at most, and Slack allows 3,000 for all of it. */
const METADATA_TITLE = 200;

/** The modal's state as Slack keeps it for us (private_metadata, at most 3,000 characters). */
const metadata = (state: ModalState & { to?: number }): string =>
  JSON.stringify({ ...state, title: state.title === null ? null : head(state.title, METADATA_TITLE) });

export function budgetModal(state: ModalState): View {
  return {
    type: 'modal',
    callback_id: MODAL_CALLBACK,
    private_metadata: metadata(state),
    title: { type: 'plain_text', text: 'Edit budget' },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`*${title(state.title, state.id)}*\nNow: ${money(state.from, state.currency)}${state.type ? ` ${state.type}` : ''}`),
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

/** The modal's second step for a large change: Save applies it. */
export function budgetModalConfirm(state: ModalState, to: number, thresholdPct: number): View {
  const change: BudgetChange = { ...state, to };
  return {
    type: 'modal',
    callback_id: MODAL_CONFIRM_CALLBACK,
    private_metadata: metadata({ ...state, to }),
    title: { type: 'plain_text', text: 'Confirm budget' },
    submit: { type: 'plain_text', text: 'Confirm' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Change the budget of *${title(change.title, change.id)}* from ${amounts(change)}${signed(change)}?\nChanges over ${thresholdPct}% need a confirmation.`),
    ],
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
