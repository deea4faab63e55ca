import type { Button, KnownBlock } from '@slack/types';
import { isActionable, type NamedChanges, type Problem, type RecentChange } from '../src/model';
import { changePercent } from './budget';
import { mention, noun, toggleButton } from './entity';
import { clock, count, decimal, esc, moment, money, plainTitle, ratio, title } from './format';
import { actions, button, context, section } from './kit';
import { truncate } from './limits';
import { sandboxMark } from './sandbox-mark';

/** One thing wrong, as an alert tracks it: a stable key, what rule found it, and what it affects. */
export interface AlertView {
  problem: Problem;
  openedAt: Date;
  timeZone: string;
  sandbox: boolean;
  /** Who to ping: only on the first post of a new alert. */
  mention?: string;
  snooze?: { by: string; until: Date };
  resolvedAt?: Date;
  /** Changes made through the bot on the items and their parents over the last `hours`, newest first. */
  changes?: NamedChanges;
}

export const PAUSE_ALL_ACTION = 'alert.pause_all';
export const SNOOZE_ACTIONS = { '1h': 'alert.snooze.1h', '24h': 'alert.snooze.24h', tomorrow: 'alert.snooze.tomorrow' } as const;
export type SnoozeChoice = keyof typeof SNOOZE_ACTIONS;

const NAMED = 10;
const BUTTONS = 5;
/** The newest changes an alert names; older ones are counted. */
const CHANGES_SHOWN = 5;

/** Undo of a budget change named on an alert; the suffix keeps several apart, the value is the pending Undo's id. */
export const ALERT_UNDO_BUDGET_ACTION = /^alert\.undo\.budget(:\d+)?$/;

/** The alert's first line, in words; data escaped. */
function headline(problem: Problem): string {
  const first = problem.entities[0];
  const who = first ? mention(first) : '';
  switch (problem.rule) {
    case 'issue':
      return `*${esc(truncate(problem.message.trim(), 600))}*`;
    case 'rejected':
      return `*${first ? noun(first.kind).charAt(0).toUpperCase() + noun(first.kind).slice(1) : 'Item'} rejected*: ${who}`;
    case 'pacing': {
      // A budget next to zero leaves no percentage worth writing (∞%).
      const share = (problem.spend / problem.budget) * 100;
      const pct = Number.isFinite(share) ? ` (${decimal(share)}%)` : '';
      return `*Spending fast*: ${who} has spent ${money(problem.spend, problem.currency)} of its ${money(problem.budget, problem.currency)} daily budget${pct} before ${problem.before}`;
    }
    case 'cost_per_result':
      return `*Cost per result too high*: ${who} pays ${money(problem.costPerResult, problem.currency)} per result today (limit ${money(problem.limit, problem.currency)})`;
    case 'roas':
      return `*ROAS too low*: ${who} returned ${ratio(problem.roas)} on ${money(problem.spend, problem.currency)} over the last 3 days (limit ${ratio(problem.limit)})`;
    case 'no_delivery':
      return `*Not delivering*: ${who} is active but had no impressions in the last ${count(problem.hours)} hours`;
  }
}

const RULE_LABEL: Record<Problem['rule'], string> = {
  issue: 'new issue',
  rejected: 'rejected',
  pacing: 'pacing',
  cost_per_result: 'cost per result',
  roas: 'ROAS',
  no_delivery: 'no delivery',
};

/** The items an issue names, each with its own Pause/Unpause; single-item rules carry the button on the headline. */
function entityBlocks(problem: Problem, lead: string): KnownBlock[] {
  const actionable = problem.entities.filter(isActionable);
  if (problem.rule !== 'issue' || problem.entities.length === 1) {
    const single = actionable.length === 1 && problem.entities.length === 1 ? actionable[0] : undefined;
    const names = problem.rule === 'issue' ? `\n${problem.entities.map(mention).join(', ')}` : '';
    return [section(`${lead}${names}`, single ? toggleButton(single) : undefined)];
  }
  const named = problem.entities.slice(0, NAMED).map(mention);
  const rest = problem.entities.length - named.length;
  const list = `${named.join(', ')}${rest > 0 ? ` and ${count(rest)} more` : ''}`;
  const buttons = actionable.slice(0, BUTTONS).map((entity, i) => toggleButton(entity, { suffix: String(i), named: true }));
  const blocks: KnownBlock[] = [section(`${lead}\n${list}`)];
  if (buttons.length > 0) blocks.push(actions(buttons, 'alert-items'));
  return blocks;
}

/** `raised the budget of ad group *Spring* $100.00 → $130.00 (+30%)`; a budget from zero gets no percentage. */
function changeWords(c: RecentChange): string {
  const what = `${noun(c.entity.kind)} *${title(c.entity.title, c.entity.id, 60)}*`;
  if (c.change.kind !== 'budget') return `${c.change.kind === 'pause' ? 'paused' : 'unpaused'} ${what}`;
  const { from, to, currency } = c.change;
  const pct = Math.round(changePercent(from, to));
  const signed = Number.isFinite(pct) ? ` (${to > from ? '+' : '−'}${pct}%)` : '';
  return `${to > from ? 'raised' : 'lowered'} the budget of ${what} ${money(from, currency)} → ${money(to, currency)}${signed}`;
}

function undoButton(c: RecentChange, i: number): Button | null {
  const name = plainTitle(c.entity.title, c.entity.id, 50);
  if (c.undo?.kind === 'budget') return button(`Undo budget · ${name}`, `alert.undo.budget:${i}`, c.undo.pendingId);
  if (c.undo?.kind !== 'toggle' || (c.entity.kind !== 'ad' && c.entity.kind !== 'ad_group')) return null;
  const verb = c.undo.verb;
  const confirm = {
    title: `Pause this ${noun(c.entity.kind)}?`,
    text: `*${title(c.entity.title, c.entity.id, 60)}* will stop delivering until someone unpauses it.`,
    confirm: 'Pause',
  };
  return button(`Undo ${verb === 'pause' ? 'unpause' : 'pause'} · ${name}`, `${c.entity.kind}.${verb}:undo${i}`, c.entity.id, verb === 'pause' ? { style: 'danger', confirm } : {});
}

/** What people changed lately on these items, who and when, newest first, with an Undo for each that still has one. */
function changeBlocks(changes: NamedChanges, timeZone: string): KnownBlock[] {
  if (changes.list.length === 0) return [];
  const shown = changes.list.slice(0, CHANGES_SHOWN);
  const rest = changes.list.length - shown.length;
  const lines = shown.map((c) => `• <@${c.by}> ${changeWords(c)} at ${moment(c.at, timeZone)}`);
  const text = [`*Changed in the last ${count(changes.hours)} h*, through this bot:`, ...lines, ...(rest > 0 ? [`and ${count(rest)} more`] : [])].join('\n');
  const undo = shown.map(undoButton).filter((b): b is Button => b !== null);
  return [section(text), ...(undo.length > 0 ? [actions(undo, 'alert-undo')] : [])];
}

function snoozeLine(snooze: NonNullable<AlertView['snooze']>, timeZone: string): string {
  return `:zzz: Snoozed by <@${snooze.by}> until ${moment(snooze.until, timeZone)}`;
}

export function alertMessage(view: AlertView): { text: string; blocks: KnownBlock[] } {
  const { problem, timeZone } = view;
  const title = headline(problem);
  const since = [`Open since ${moment(view.openedAt, timeZone)}`, RULE_LABEL[problem.rule], sandboxMark(view.sandbox)].filter(Boolean).join(' · ');
  if (view.resolvedAt) {
    return {
      text: `Resolved: ${title}`,
      blocks: [section(`:white_check_mark: *Resolved* · ${clock(view.resolvedAt, timeZone)}\n${title}`), context(since)],
    };
  }
  const lead = `${view.mention ? `${view.mention} ` : ''}:rotating_light: ${title}`;
  const pausable = problem.entities.filter((e) => e.kind === 'ad' && e.status === 'active');
  const controls = [
    ...(problem.rule === 'issue' && pausable.length > 1
      ? [
          button(`Pause all ${pausable.length} ads`, PAUSE_ALL_ACTION, problem.key, {
            style: 'danger',
            confirm: { title: 'Pause all these ads?', text: `${count(pausable.length)} ads will stop delivering until someone unpauses them.`, confirm: 'Pause all' },
          }),
        ]
      : []),
    button('Snooze 1 h', SNOOZE_ACTIONS['1h'], problem.key),
    button('Snooze 24 h', SNOOZE_ACTIONS['24h'], problem.key),
    button('Until 9:00 tomorrow', SNOOZE_ACTIONS.tomorrow, problem.key),
  ];
  return {
    text: `${view.mention ? `${view.mention} ` : ''}Alert: ${title}`,
    blocks: [
      ...entityBlocks(problem, lead),
      ...(view.changes ? changeBlocks(view.changes, timeZone) : []),
      actions(controls, 'alert-controls'),
      context([since, view.snooze ? snoozeLine(view.snooze, timeZone) : ''].filter(Boolean).join('\n')),
    ],
  };
}

/** The same alert message, now saying it is snoozed; buttons and attributions stay. */
export function withSnooze(blocks: readonly KnownBlock[], snooze: NonNullable<AlertView['snooze']>, timeZone: string): KnownBlock[] {
  const line = snoozeLine(snooze, timeZone);
  return blocks.map((block, i) => {
    if (i !== blocks.length - 1 || block.type !== 'context') return block;
    const first = block.elements[0];
    const text = first && 'text' in first ? first.text.split('\n').filter((l) => !l.startsWith(':zzz:')) : [];
    return context([...text, line].join('\n'));
  });
}

export const stillOpen = (problem: Problem, openedAt: Date, timeZone: string): string => `Still open since ${moment(openedAt, timeZone)}: ${headline(problem)}`;

export const snoozeOver = (problem: Problem, timeZone: string, until: Date): string => `Snooze ended at ${clock(until, timeZone)} and this is still open: ${headline(problem)}`;

export function whopUnreachable(since: Date, failures: number, reason: string, timeZone: string, resolvedAt?: Date): { text: string; blocks: KnownBlock[] } {
  if (resolvedAt) {
    const text = `:white_check_mark: *Whop answers again* · ${clock(resolvedAt, timeZone)} (unreachable since ${moment(since, timeZone)})`;
    return { text: 'Whop answers again', blocks: [section(text)] };
  }
  const text = `:warning: *Cannot reach Whop since ${moment(since, timeZone)}*: ${count(failures)} checks in a row failed (${esc(reason)}). Alerts resume as soon as Whop answers.`;
  return { text: `Cannot reach Whop since ${moment(since, timeZone)}`, blocks: [section(text)] };
}
