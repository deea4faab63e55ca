import type { KnownBlock } from '@slack/types';
import { type AnomalyMetric, isActionable, type LocalHourLabel, type Problem } from '../src/model';
import { mention, noun, toggleButton } from './entity';
import { clock, count, decimal, esc, moment, money, percent, ratio } from './format';
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

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const METRIC_LABEL: Record<AnomalyMetric, string> = { spend: 'spend', cost_per_result: 'cost per result', ctr: 'CTR', cpm: 'CPM' };

/** `by 10:00`: the last settled hour of today, on the team's clock. */
const byHour = (at: LocalHourLabel) => `by ${String(at.hour).padStart(2, '0')}:00`;

/** `$40.00–$55.00`, or one amount when both ends read the same. */
function span(low: string, high: string): string {
  return low === high ? low : `${low}–${high}`;
}

function anomalyLine(problem: Extract<Problem, { rule: 'anomaly' }>, who: string): string {
  const show = (n: number) => (problem.metric === 'ctr' ? percent(n) : money(n, problem.currency));
  const weekday = WEEKDAYS[problem.at.weekday] ?? 'day';
  const label = METRIC_LABEL[problem.metric];
  const side = problem.sigma >= 0 ? 'above' : 'below';
  const usual = `usually ${span(show(problem.usualLow), show(problem.usualHigh))} ${byHour(problem.at)} on a ${weekday}`;
  return `*Unusual ${label}*: ${who} — ${show(problem.value)} so far today (${byHour(problem.at)}); ${usual} (past ${count(problem.weeks)} ${weekday}s; ${decimal(Math.abs(problem.sigma))} σ ${side} their mean)`;
}

function forecastLine(problem: Extract<Problem, { rule: 'forecast' }>, who: string): string {
  const m = (n: number) => money(n, problem.currency);
  const share = (problem.projected / problem.budget) * 100;
  const pct = Number.isFinite(share) ? ` (${decimal(share)}%)` : '';
  const title = problem.direction === 'over' ? 'On course to overspend' : 'On course to underspend';
  return `*${title}*: ${who} has spent ${m(problem.soFar)} so far today (${byHour(problem.at)}) and is on course for ${m(problem.projected)} (range ${span(m(problem.low), m(problem.high))}) of its ${m(problem.budget)} daily budget${pct}`;
}

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
    case 'anomaly':
      return anomalyLine(problem, who);
    case 'forecast':
      return forecastLine(problem, who);
  }
}

const RULE_LABEL: Record<Problem['rule'], string> = {
  issue: 'new issue',
  rejected: 'rejected',
  pacing: 'pacing',
  cost_per_result: 'cost per result',
  roas: 'ROAS',
  no_delivery: 'no delivery',
  anomaly: 'unusual for the hour',
  forecast: 'pacing forecast',
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
