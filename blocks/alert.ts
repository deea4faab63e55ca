import type { KnownBlock } from '@slack/types';
import { isActionable, type Problem } from '../src/model';
import { mention, noun, toggleButton } from './entity';
import { clock, count, decimal, esc, moment, money, ratio } from './format';
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
}

export const PAUSE_ALL_ACTION = 'alert.pause_all';
export const SNOOZE_ACTIONS = { '1h': 'alert.snooze.1h', '24h': 'alert.snooze.24h', tomorrow: 'alert.snooze.tomorrow' } as const;
export type SnoozeChoice = keyof typeof SNOOZE_ACTIONS;

const NAMED = 10;
const BUTTONS = 5;

const hours = (n: number) => `${count(n)} ${n === 1 ? 'hour' : 'hours'}`;

/** A rolling window as the rule read it: "the last 3 days", or "the 3 days up to 3 hours ago" when it left out unsettled hours. */
const settled = (span: string, settleHours: number) => (settleHours > 0 ? `the ${span} up to ${hours(settleHours)} ago` : `the last ${span}`);

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
      return `*Spending fast*: ${who} has spent ${money(problem.spend, problem.currency)} so far today of its ${money(problem.budget, problem.currency)} daily budget${pct} before ${problem.before}`;
    }
    case 'cost_per_result':
      return `*Cost per result too high*: ${who} pays ${money(problem.costPerResult, problem.currency)} per result so far today (limit ${money(problem.limit, problem.currency)})`;
    case 'roas':
      return `*ROAS too low*: ${who} returned ${ratio(problem.roas)} on ${money(problem.spend, problem.currency)} over ${settled('3 days', problem.settleHours)} (limit ${ratio(problem.limit)})`;
    case 'no_delivery':
      return `*Not delivering*: ${who} is active but had no impressions in ${settled(hours(problem.hours), problem.settleHours)}`;
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
