// What a rule that acts did, proposes or left alone, as its alert shows it: one line (with Approve / Skip or Undo)
// drawn from the firing's state, so every redraw of the alert, from any replica, says the same.
import type { KnownBlock } from '@slack/types';
import { RULE_APPROVE_ACTION, RULE_SKIP_ACTION, RULE_UNDO_ACTION } from '../src/automation/rule-action';
import type { Settings } from '../src/config';
import type { Problem } from '../src/model';
import type { Firing, FiringPlan } from '../src/store/types';
import { changePercent } from './budget';
import { noun } from './entity';
import { actor, clock, count, day, decimal, esc, money, percent, ratio, title } from './format';
import { actions, button, context, section } from './kit';

/** The block ids of the line; a grouped message keeps them as the suffix of its line's ids (see problemLine). */
export const RULE_LINE_ID = 'rule-action';
export const RULE_BUTTONS_ID = 'rule-action-buttons';

/** What the alert says about its rule's action: a firing, or why the rule did not act (no firing kept). */
export type RuleLine = { firing: Firing } | { notActed: string };

/** Who undid a firing, and when: what an `undone` firing keeps as its detail. */
export interface UndoNote {
  by: string;
  at: string;
}

const HOUR = 3_600_000;

/** Why the rule acts, in the words its post gives: "cost per result $61.00 over the $40.00 limit on $180.00 spent". */
export function whyWords(problem: Problem): string {
  switch (problem.rule) {
    case 'cost_per_result': {
      const spent = problem.spend === undefined ? '' : ` on ${money(problem.spend, problem.currency)} spent`;
      return `cost per result ${money(problem.costPerResult, problem.currency)} over the ${money(problem.limit, problem.currency)} limit${spent}`;
    }
    case 'roas':
      return `ROAS ${ratio(problem.roas)} under the ${ratio(problem.limit)} limit on ${money(problem.spend, problem.currency)} spent`;
    case 'no_delivery':
      return `no impressions in ${count(problem.hours)} h`;
    case 'pacing':
      return `${money(problem.spend, problem.currency)} of its ${money(problem.budget, problem.currency)} daily budget spent before ${problem.before}`;
    case 'forecast':
      return `on course for ${money(problem.projected, problem.currency)} of its ${money(problem.budget, problem.currency)} daily budget`;
    case 'anomaly': {
      const show = (n: number) => (problem.metric === 'ctr' ? percent(n) : money(n, problem.currency));
      return `${problem.metric.replace(/_/g, ' ')} ${show(problem.value)} against a usual ${show(problem.usualLow)}–${show(problem.usualHigh)}`;
    }
    case 'fatigue':
      return `frequency ${decimal(problem.frequency.from)} → ${decimal(problem.frequency.to)} while CTR fell ${percent(problem.ctr.from)} → ${percent(problem.ctr.to)}`;
    case 'delivery_status':
      return `delivery status ${problem.status.replace(/_/g, ' ')}`;
    case 'issue':
    case 'rejected':
      return problem.rule === 'issue' ? 'a new issue from Whop' : 'rejected';
  }
}

/** `by · the 6 h it was to last`: how the plan's end is said. */
const untilWords = (plan: FiringPlan, timeZone: string) =>
  plan.kind === 'toggle' && plan.until ? ` until ${clock(new Date(plan.until), timeZone)} ${day(new Date(plan.until), timeZone)}` : '';

function budgetWords(plan: Extract<FiringPlan, { kind: 'budget' }>, verb: { up: string; down: string }, name: string): string {
  const pct = Math.round(changePercent(plan.from, plan.to));
  const signed = Number.isFinite(pct) ? ` (${plan.to > plan.from ? '+' : '−'}${Math.abs(pct)}%)` : '';
  return `${plan.to > plan.from ? verb.up : verb.down} the budget of ${name} ${money(plan.from, plan.currency)} → ${money(plan.to, plan.currency)}${signed}`;
}

/** `paused ad group *Broad – US*` (done) or `pause ad group *Broad – US*` (proposed); titles escaped. */
export function actionWords(firing: Pick<Firing, 'plan' | 'entityKind' | 'entityId' | 'entityTitle'>, tense: 'past' | 'base', timeZone: string): string {
  const name = `${noun(firing.entityKind)} *${title(firing.entityTitle, firing.entityId, 60)}*`;
  const { plan } = firing;
  if (plan.kind === 'budget') return budgetWords(plan, tense === 'past' ? { up: 'raised', down: 'lowered' } : { up: 'raise', down: 'lower' }, name);
  const verb = tense === 'past' ? (plan.verb === 'pause' ? 'paused' : 'unpaused') : plan.verb;
  return `${verb} ${name}${untilWords(plan, timeZone)}`;
}

const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** `back to $100.00 at 16:42`, said after an action that is put back later. */
function revertWords(firing: Firing, timeZone: string): string {
  if (!firing.revertAt || firing.state !== 'done') return '';
  const at = `${clock(firing.revertAt, timeZone)} ${day(firing.revertAt, timeZone)}`;
  if (firing.plan.kind === 'budget') return ` · back to ${money(firing.plan.from, firing.plan.currency)} at ${at} unless someone changes it`;
  return firing.plan.until ? '' : ` · ${firing.plan.verb === 'pause' ? 'unpaused' : 'paused'} again at ${at} unless someone changes it`;
}

/** Hours between two moments as a person says them: `4 h`, `1.5 h`. */
export const hoursBetween = (from: Date, to: Date): string => `${decimal(Math.round(((to.getTime() - from.getTime()) / HOUR) * 10) / 10)} h`;

function parseNote(detail: string | null): UndoNote | null {
  try {
    const note = JSON.parse(detail ?? '') as Partial<UndoNote>;
    return typeof note.by === 'string' && typeof note.at === 'string' ? { by: note.by, at: note.at } : null;
  } catch {
    return null;
  }
}

const ruleName = (firing: Firing) => `the \`${firing.rule}\` rule`;

/** The line's words for a firing in its state; Whop's words (detail) escaped. */
export function firingText(firing: Firing, timeZone: string): string {
  const why = esc(firing.why);
  const past = actionWords(firing, 'past', timeZone);
  const base = actionWords(firing, 'base', timeZone);
  const by = firing.actedBy && firing.actedBy !== 'rule' ? `<@${firing.actedBy}>` : null;
  const at = firing.actedAt ? clock(firing.actedAt, timeZone) : '';
  const lead = firing.mode === 'auto' || !by ? `${capital(past)} at ${at}` : `Approved by ${by} at ${at}: ${past}`;
  const what = `${lead}: ${why}`;
  switch (firing.state) {
    case 'awaiting': {
      const until = firing.expiresAt ? ` Approve by ${clock(firing.expiresAt, timeZone)} ${day(firing.expiresAt, timeZone)}` : '';
      return `:raised_hand: *${capital(ruleName(firing))} proposes to ${base}*: ${why}.${until} (operators only).`;
    }
    case 'acting':
      return `:hourglass_flowing_sand: ${capital(ruleName(firing))} is about to ${base}: ${why}. Whop has not confirmed it yet; the next check completes it.`;
    case 'done':
      return `:robot_face: ${what}${revertWords(firing, timeZone)} · ${ruleName(firing)}`;
    case 'failed': {
      const lead = by ? `Approved by ${by} at ${at}, but it` : capital(ruleName(firing));
      return `:warning: ${lead} could not ${base}: ${esc(firing.detail ?? 'Whop refused it')}. Nothing was changed.`;
    }
    case 'held':
      return `Not acted: ${esc(firing.detail ?? 'a guardrail held it back')}`;
    case 'skipped':
      return `:fast_forward: Skipped by ${by ?? 'an operator'} at ${at}: ${ruleName(firing)} would ${base}.`;
    case 'expired': {
      const within = firing.expiresAt ? hoursBetween(firing.firedAt, firing.expiresAt) : '';
      return `:hourglass: Expired at ${firing.expiresAt ? clock(firing.expiresAt, timeZone) : ''}: nobody approved within ${within} (${base}).`;
    }
    case 'undone': {
      const note = parseNote(firing.detail);
      const who = note ? `Undone by <@${note.by}> at ${clock(new Date(note.at), timeZone)}` : 'Undone';
      return `:leftwards_arrow_with_hook: ${who}: ${past} at ${at}.`;
    }
    case 'reverted':
      return `:leftwards_arrow_with_hook: Put back at ${firing.revertAt ? clock(firing.revertAt, timeZone) : ''}: ${ruleName(firing)} ${past} at ${at} for a while: ${why}.`;
  }
}

/** The line and its buttons: Approve / Skip while it waits, Undo once it acted. Each button carries the firing id only. */
export function ruleLineBlocks(line: RuleLine, timeZone: string): KnownBlock[] {
  if ('notActed' in line) return [{ ...context(`Not acted: ${esc(line.notActed)}`), block_id: RULE_LINE_ID }];
  const { firing } = line;
  if (firing.state === 'held') return [{ ...context(firingText(firing, timeZone)), block_id: RULE_LINE_ID }];
  const text = { ...section(firingText(firing, timeZone)), block_id: RULE_LINE_ID };
  if (firing.state === 'awaiting') {
    const approve = button('Approve', RULE_APPROVE_ACTION, firing.id, {
      style: 'primary',
      confirm: { title: 'Approve this action?', text: `The bot will ${actionWords(firing, 'base', timeZone)}, after checking the numbers again.`, confirm: 'Approve' },
    });
    return [text, actions([approve, button('Skip', RULE_SKIP_ACTION, firing.id)], RULE_BUTTONS_ID)];
  }
  if (firing.state === 'done') return [text, actions([button('Undo', RULE_UNDO_ACTION, firing.id)], RULE_BUTTONS_ID)];
  return [text];
}

/** Whether a block is the rule's line or its buttons, in a single alert (`rule-action`) or a grouped line (`line|key|rule-action`). */
const isRuleBlock = (block: KnownBlock, key?: string) => {
  const id = block.block_id ?? '';
  if (key === undefined) return id === RULE_LINE_ID || id === RULE_BUTTONS_ID;
  return id === `line|${key}|${RULE_LINE_ID}` || id === `line|${key}|${RULE_BUTTONS_ID}`;
};

/**
 * The alert's blocks with the rule's line replaced where it was, or added after the alert's first block (its
 * line's first, in a grouped message when `key` is given); other blocks untouched.
 */
export function withRuleLine(blocks: readonly KnownBlock[], line: readonly KnownBlock[], key?: string): KnownBlock[] {
  const ided = key === undefined ? [...line] : line.map((b) => ({ ...b, block_id: `line|${key}|${b.block_id}` }));
  const first = blocks.findIndex((b) => isRuleBlock(b, key));
  if (first !== -1) {
    const rest = blocks.filter((b) => !isRuleBlock(b, key));
    return [...rest.slice(0, first), ...ided, ...rest.slice(first)];
  }
  const anchor = key === undefined ? 0 : blocks.findIndex((b) => b.block_id?.startsWith(`line|${key}|`));
  if (anchor === -1) return [...blocks];
  return [...blocks.slice(0, anchor + 1), ...ided, ...blocks.slice(anchor + 1)];
}

/** A thread reply when a time-boxed change was put back: "Budget of ad group *Spring* back to $100.00 after 6 h". */
export function revertedReply(firing: Firing, at: Date, timeZone: string): string {
  const name = `${noun(firing.entityKind)} *${title(firing.entityTitle, firing.entityId, 60)}*`;
  const after = firing.actedAt ? ` after ${hoursBetween(firing.actedAt, at)}` : '';
  if (firing.plan.kind === 'budget')
    return `:leftwards_arrow_with_hook: Budget of ${name} back to ${money(firing.plan.from, firing.plan.currency)}${after}, as ${ruleName(firing)} planned.`;
  const verb = firing.plan.verb === 'pause' ? 'Unpaused' : 'Paused';
  return `:leftwards_arrow_with_hook: ${verb} ${name} again at ${clock(at, timeZone)}${after}, as ${ruleName(firing)} planned.`;
}

/** Someone changed it since: "Not put back: <@U0BO> changed ad group *Spring* at 11:03". `by` null: changed outside this bot. */
export function notRevertedReply(firing: Firing, by: { userId: string; at: Date } | null, now: string | null, timeZone: string): string {
  const name = `${noun(firing.entityKind)} *${title(firing.entityTitle, firing.entityId, 60)}*`;
  const who = by ? `${actor(by.userId)} changed ${name} at ${clock(by.at, timeZone)}` : `${name} was changed outside this bot${now ? ` (now ${esc(now)})` : ''}`;
  return `:information_source: Not put back: ${who}, and someone's change wins over ${ruleName(firing)}.`;
}

/** An Undo refused because someone changed the entity since: "Not undone: <@U0BO> unpaused it at 11:03." */
export function notUndone(by: { userId: string; action: string; at: Date } | null, now: string | null, timeZone: string): string {
  if (!by) return `Not undone: it was changed outside this bot since${now ? ` (now ${esc(now)})` : ''}. Nothing was changed.`;
  const verb = by.action.endsWith('.unpause') ? 'unpaused it' : by.action.endsWith('.pause') ? 'paused it' : 'changed it';
  return `Not undone: ${actor(by.userId)} ${verb} at ${clock(by.at, timeZone)}. Nothing was changed.`;
}

export type HoldWhy = 'rule_cap' | 'account_cap' | 'cooldown' | 'change_cap' | 'above_limit';
export type NotProposedWhy = 'not_actionable' | 'excluded' | 'no_budget' | 'no_change';

/** Why a rule held back, naming the setting: "max_actions_per_day 10 reached for cost_per_result_above". */
export function holdWords(
  hold: HoldWhy,
  rule: { key: string; max_actions_per_day: number; action_cooldown_hours: number },
  settings: Pick<Settings, 'actions' | 'budget'>,
): string {
  switch (hold) {
    case 'rule_cap':
      return `max_actions_per_day ${count(rule.max_actions_per_day)} reached for ${rule.key}`;
    case 'account_cap':
      return `actions.max_actions_per_day ${count(settings.actions.max_actions_per_day)} reached for all rules together`;
    case 'cooldown':
      return `${rule.key} acted on it less than action_cooldown_hours (${decimal(rule.action_cooldown_hours)} h) ago`;
    case 'change_cap':
      return `the budget would move more than actions.max_change_pct (${decimal(settings.actions.max_change_pct)}%) today`;
    case 'above_limit':
      return `the budget would go past budget.max_amount (${money(settings.budget.max_amount, null)})`;
  }
}

export function notProposedWords(why: NotProposedWhy, rule: string): string {
  switch (why) {
    case 'not_actionable':
      return `${rule} acts only on ads and ad groups that are active or paused`;
    case 'excluded':
      return `excluded by ${rule}'s exclude list`;
    case 'no_budget':
      return 'its campaign sets the budget';
    case 'no_change':
      return 'it is already as the rule would leave it';
  }
}
