import type { Button, KnownBlock } from '@slack/types';
import {
  type AnomalyMetric,
  type DeliveryStatusAlert,
  isActionable,
  type LocalHourLabel,
  type MetricMove,
  type MovedMetric,
  type NamedChanges,
  type Problem,
  type RecentChange,
} from '../src/model';
import { changePercent } from './budget';
import { mention, noun, toggleButton } from './entity';
import { actor, clock, count, decimal, esc, moment, money, percent, plainTitle, ratio, title } from './format';
import { actions, button, context, section } from './kit';
import { blocksChars, LIMITS, truncate } from './limits';
import { RULE_BUTTONS_ID, RULE_LINE_ID, type RuleLine, ruleLineBlocks } from './rule-action';
import { sandboxMark } from './sandbox-mark';

/** One thing wrong, as an alert tracks it: a stable key, what rule found it, and what it affects. */
export interface AlertView {
  problem: Problem;
  openedAt: Date;
  timeZone: string;
  sandbox: boolean;
  /** Who to ping: only on the first post of a new alert. */
  mention?: string;
  /** A line under the alert, e.g. that mentions are paused for the rest of the day. */
  note?: string;
  /** `until: null`: until the rule finds the problem healthy again. */
  snooze?: Snooze;
  resolvedAt?: Date;
  /** Changes made through the bot on the items and their parents over the last `hours`, newest first. */
  changes?: NamedChanges;
  /** What the problem's rule did, proposes or left alone, when it acts (mode approve or auto). */
  rule?: RuleLine;
}

export interface Snooze {
  by: string;
  /** null: until it recovers. */
  until: Date | null;
}

export const PAUSE_ALL_ACTION = 'alert.pause_all';
/** On a payment_failed alert; the value is the campaign id. */
export const RETRY_PAYMENT_ACTION = 'ad_campaign.retry_payment';
export const SNOOZE_ACTIONS = {
  '1h': 'alert.snooze.1h',
  '24h': 'alert.snooze.24h',
  tomorrow: 'alert.snooze.tomorrow',
  recovered: 'alert.snooze.recovered',
} as const;
export type SnoozeChoice = keyof typeof SNOOZE_ACTIONS;

const NAMED = 10;
const BUTTONS = 5;
/** Whop's own words an alert carries: a few, each short enough to read at a glance. */
const WHOP_SAYS = 3;
const WHOP_SAYS_CHARS = 400;

/** What Whop's state means and what to do about it, for someone who runs ads rather than reads APIs. */
const DELIVERY_HEADLINE: Record<DeliveryStatusAlert, (who: string) => string> = {
  payment_failed: (who) => `*Payment failed*: ${who} delivers nothing because Meta could not charge the card on file. Update the payment method in Whop, then press Retry payment.`,
  learning_limited: (who) =>
    `*Learning limited*: ${who} gets too few results for Meta to finish learning, so its delivery stays unsteady and its costs high. Broaden the audience, raise the budget, or merge it with a similar ad group.`,
  all_ads_rejected: (who) => `*Every ad rejected*: ${who} has no ad left that may deliver. Fix the ads as Whop's reasons say, then resubmit them in Whop.`,
  ad_groups_off: (who) => `*All ad groups off*: ${who} is on, but every ad group in it is paused or off, so nothing delivers. Unpause an ad group, or pause the campaign.`,
};

const whopSays = (messages: readonly string[]): string =>
  messages
    .slice(0, WHOP_SAYS)
    .map((m) => `\nWhop says: ${esc(truncate(m, WHOP_SAYS_CHARS))}`)
    .join('') + (messages.length > WHOP_SAYS ? `\n… and ${count(messages.length - WHOP_SAYS)} more` : '');

const hours = (n: number) => `${count(n)} ${n === 1 ? 'hour' : 'hours'}`;

/** A rolling window as the rule read it: "the last 3 days", or "the 3 days up to 3 hours ago" when it left out unsettled hours. */
const settled = (span: string, settleHours: number) => (settleHours > 0 ? `the ${span} up to ${hours(settleHours)} ago` : `the last ${span}`);

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const METRIC_LABEL: Record<AnomalyMetric, string> = { spend: 'spend', cost_per_result: 'cost per result', ctr: 'CTR', cpm: 'CPM' };

/** `10:00`: a whole local hour. */
const wallHour = (hour: number) => `${String(hour).padStart(2, '0')}:00`;

/** `by 10:00`: the last settled hour of today, on the team's clock. */
const byHour = (at: LocalHourLabel) => `by ${wallHour(at.hour)}`;

/** `$40.00–$55.00`, or one amount when both ends read the same. */
function span(low: string, high: string): string {
  return low === high ? low : `${low}–${high}`;
}

function anomalyLine(problem: Extract<Problem, { rule: 'anomaly' }>, who: string): string {
  const show = (n: number) => (problem.metric === 'ctr' ? percent(n) : money(n, problem.currency));
  const weekday = WEEKDAYS[problem.at.weekday] ?? 'day';
  const label = METRIC_LABEL[problem.metric];
  const side = problem.sigma >= 0 ? 'above' : 'below';
  const usualRange = span(show(problem.usualLow), show(problem.usualHigh));
  const stats = `(past ${count(problem.weeks)} ${weekday}s; ${decimal(Math.abs(problem.sigma))} σ ${side} their mean)`;
  const length = problem.hours ?? (problem.from > 0 ? problem.at.hour - problem.from : problem.at.hour);
  if (problem.from + length !== problem.at.hour) {
    // Reaching back over midnight: named by its length, and by the hour and weekday it ends on.
    const span = `in the ${hours(length)} up to ${wallHour(problem.at.hour)} on a ${weekday}`;
    return `*Unusual ${label}*: ${who} — usually ${usualRange} ${span}; this time ${show(problem.value)} ${stats}`;
  }
  if (problem.from > 0) {
    const between = `between ${wallHour(problem.from)} and ${wallHour(problem.at.hour)}`;
    return `*Unusual ${label}*: ${who} — usually ${usualRange} ${between} on a ${weekday}; today ${show(problem.value)} ${stats}`;
  }
  const usual = `usually ${usualRange} ${byHour(problem.at)} on a ${weekday}`;
  return `*Unusual ${label}*: ${who} — ${show(problem.value)} so far today (${byHour(problem.at)}); ${usual} ${stats}`;
}

function forecastLine(problem: Extract<Problem, { rule: 'forecast' }>, who: string): string {
  const m = (n: number) => money(n, problem.currency);
  const share = (problem.projected / problem.budget) * 100;
  const pct = Number.isFinite(share) ? ` (${decimal(share)}%)` : '';
  const title = problem.direction === 'over' ? 'On course to overspend' : 'On course to underspend';
  return `*${title}*: ${who} has spent ${m(problem.soFar)} so far today (${byHour(problem.at)}) and is on course for ${m(problem.projected)} (range ${span(m(problem.low), m(problem.high))}) of its ${m(problem.budget)} daily budget${pct}`;
}

/** The newest changes an alert names; older ones are counted. */
const CHANGES_SHOWN = 5;

/** Undo of a budget change named on an alert; the suffix keeps several apart, the value is the pending Undo's id. */
export const ALERT_UNDO_BUDGET_ACTION = /^alert\.undo\.budget(:\d+)?$/;

/** The alert's first line, in words; data escaped. */
export function headline(problem: Problem): string {
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
    case 'delivery_status':
      return DELIVERY_HEADLINE[problem.status](who) + whopSays(problem.whopSays);
    case 'fatigue':
      return `*Creative fatigue*: over the last ${count(problem.days)} days the people ${who} reaches saw its ads more often (frequency ${decimal(problem.frequency.from)} → ${decimal(problem.frequency.to)}) and clicked less (CTR ${percent(problem.ctr.from)} → ${percent(problem.ctr.to)}). Refresh the creatives or widen the audience.`;
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
  delivery_status: 'delivery status',
  fatigue: 'creative fatigue',
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

/** `<@U0ANA>`, or `the cost_per_result_above rule` for a change a rule made by itself. */

const MOVE_LABEL: Record<MovedMetric, string> = { ...METRIC_LABEL, cost_per_result: 'Cost per result', spend: 'Spend', roas: 'ROAS' };

/** `raised the budget 30%`, `paused ad group *Spring*`: the change in short; the list under it has the amounts. */
function changeInShort(c: RecentChange): string {
  if (c.change.kind !== 'budget') return `${c.change.kind === 'pause' ? 'paused' : 'unpaused'} ${noun(c.entity.kind)} *${title(c.entity.title, c.entity.id, 60)}*`;
  const { from, to } = c.change;
  const pct = Math.round(changePercent(from, to));
  return `${to > from ? 'raised' : 'lowered'} the budget${Number.isFinite(pct) ? ` ${pct}%` : ''}`;
}

/** `Cost per result +38% since <@U0ANA> raised the budget 30% at … ($42.10 in the 5 h since vs $30.50 in the 5 h before)`. */
function moveLine(move: MetricMove, c: RecentChange, timeZone: string): string {
  const show = (n: number) => (move.metric === 'ctr' ? percent(n) : move.metric === 'roas' ? ratio(n) : money(n, move.currency));
  const pct = Math.round(((move.since - move.before) / move.before) * 100);
  const signed = pct === 0 ? '±0%' : `${pct > 0 ? '+' : '−'}${Math.abs(pct)}%`;
  const icon = move.since >= move.before ? ':chart_with_upwards_trend:' : ':chart_with_downwards_trend:';
  const span = `${count(move.hours)} h`;
  return `${icon} *${MOVE_LABEL[move.metric]} ${signed}* since ${actor(c.by)} ${changeInShort(c)} at ${moment(c.at, timeZone)} (${show(move.since)} in the ${span} since vs ${show(move.before)} in the ${span} before)`;
}

/**
 * What people changed lately on these items, who and when, newest first, with an Undo for each that still has one;
 * first, how the alert's metric moved since the newest, where that was judged.
 */
function changeBlocks(changes: NamedChanges, timeZone: string): KnownBlock[] {
  const [newest] = changes.list;
  if (!newest) return [];
  const shown = changes.list.slice(0, CHANGES_SHOWN);
  const rest = changes.list.length - shown.length;
  const lines = shown.map((c) => `• ${actor(c.by)} ${changeWords(c)} at ${moment(c.at, timeZone)}`);
  const text = [
    ...(changes.move ? [moveLine(changes.move, newest, timeZone)] : []),
    `*Changed in the last ${count(changes.hours)} h*, through this bot:`,
    ...lines,
    ...(rest > 0 ? [`and ${count(rest)} more`] : []),
  ].join('\n');
  const undo = shown.map(undoButton).filter((b): b is Button => b !== null);
  return [section(text), ...(undo.length > 0 ? [actions(undo, 'alert-undo')] : [])];
}

function snoozeLine(snooze: Snooze, timeZone: string): string {
  return `:zzz: Snoozed by <@${snooze.by}> until ${snooze.until ? moment(snooze.until, timeZone) : 'it recovers'}`;
}

/** The resolved line; a problem snoozed until it recovered says so, and who waited for it. */
function resolvedLine(view: AlertView & { resolvedAt: Date }, title: string): string {
  const recovered = view.snooze && view.snooze.until === null ? ` · recovered, as <@${view.snooze.by}> snoozed it to wait for` : '';
  return `:white_check_mark: *Resolved* · ${clock(view.resolvedAt, view.timeZone)}${recovered}\n${title}`;
}

export function alertMessage(view: AlertView): { text: string; blocks: KnownBlock[] } {
  const { problem, timeZone } = view;
  const title = headline(problem);
  const since = [`Open since ${moment(view.openedAt, timeZone)}`, RULE_LABEL[problem.rule], sandboxMark(view.sandbox)].filter(Boolean).join(' · ');
  if (view.resolvedAt) {
    const rule = view.rule ? ruleLineBlocks(view.rule, timeZone) : [];
    return { text: `Resolved: ${title}`, blocks: [section(resolvedLine({ ...view, resolvedAt: view.resolvedAt }, title)), ...rule, context(since)] };
  }
  const lead = `${view.mention ? `${view.mention} ` : ''}:rotating_light: ${title}`;
  const pausable = problem.entities.filter((e) => e.kind === 'ad' && e.status === 'active');
  const failedPayment = problem.rule === 'delivery_status' && problem.status === 'payment_failed' ? problem.entities[0] : undefined;
  const controls = [
    ...(failedPayment
      ? [
          button('Retry payment', RETRY_PAYMENT_ACTION, failedPayment.id, {
            style: 'primary',
            confirm: { title: 'Retry the payment?', text: 'Whop will try to charge the card on file again for this campaign.', confirm: 'Retry payment' },
          }),
        ]
      : []),
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
    button('Until it recovers', SNOOZE_ACTIONS.recovered, problem.key),
  ];
  return {
    text: `${view.mention ? `${view.mention} ` : ''}Alert: ${title}`,
    blocks: [
      ...entityBlocks(problem, lead),
      ...(view.rule ? ruleLineBlocks(view.rule, timeZone) : []),
      ...(view.changes ? changeBlocks(view.changes, timeZone) : []),
      actions(controls, 'alert-controls'),
      context([since, view.note ?? '', view.snooze ? snoozeLine(view.snooze, timeZone) : ''].filter(Boolean).join('\n')),
    ],
  };
}

/*
 * A grouped message lists several problems, one line each: a line is the blocks of that problem's own alert,
 * each block id naming the problem (`line|<key>|<n>`), so one line can be redrawn without touching the others.
 * Keys never hold a `|`.
 */
const LINE = 'line|';
const lineOf = (block: KnownBlock): string | undefined => (block.block_id?.startsWith(LINE) ? block.block_id.slice(LINE.length, block.block_id.lastIndexOf('|')) : undefined);

/** One problem's line in a grouped message: its alert without the mention, or its resolved line. */
export function problemLine(view: AlertView): KnownBlock[] {
  const { mention: _, note: __, ...quiet } = view;
  // The rule's line keeps its own id as the suffix, so it can be redrawn alone (blocks/rule-action.ts withRuleLine).
  const suffix = (block: KnownBlock, i: number) => (block.block_id === RULE_LINE_ID || block.block_id === RULE_BUTTONS_ID ? block.block_id : String(i));
  return alertMessage({ ...quiet, sandbox: false }).blocks.map((block, i) => ({ ...block, block_id: `${LINE}${view.problem.key}|${suffix(block, i)}` }));
}

/** The blocks with one problem's line replaced, where it was; unchanged when the line is not in them. */
export function replaceLine(blocks: readonly KnownBlock[], key: string, line: readonly KnownBlock[]): KnownBlock[] {
  const first = blocks.findIndex((b) => lineOf(b) === key);
  if (first === -1) return [...blocks];
  const rest = blocks.filter((b) => lineOf(b) !== key);
  return [...rest.slice(0, first), ...line, ...rest.slice(first)];
}

export interface GroupedView {
  /** The problems to list, in order; those that do not fit are left for the next message. */
  lines: AlertView[];
  /** How many problems this check found, in this message and the thread. */
  total: number;
  /** 0 for the channel message; 1, 2… for the replies in its thread that list the rest. */
  part: number;
  timeZone: string;
  sandbox: boolean;
  mention?: string;
  note?: string;
}

/**
 * A message listing as many of the problems as Slack takes (50 blocks, the whole-message character budget),
 * each with its own buttons; `shown` says how many, the rest go into a reply of the thread.
 */
export function groupedAlert(view: GroupedView): { text: string; blocks: KnownBlock[]; shown: number } {
  const footer = context([`${count(view.total)} problems found in one check · each resolves on its own line`, sandboxMark(view.sandbox)].filter(Boolean).join(' · '));
  const head = (shown: number) => {
    const more = view.part === 0 && shown < view.total ? ` · ${count(view.total - shown)} more in the thread` : '';
    const lead =
      view.part === 0
        ? `${view.mention ? `${view.mention} ` : ''}:rotating_light: *${count(view.total)} new problems*${more}`
        : `*More problems found in the same check* (part ${count(view.part + 1)})`;
    return section([lead, view.note ?? ''].filter(Boolean).join('\n'));
  };
  const body: KnownBlock[] = [];
  let shown = 0;
  for (const line of view.lines) {
    const next = [...body, ...problemLine(line)];
    const whole = [head(shown + 1), ...next, footer];
    if (shown > 0 && (whole.length > LIMITS.blocksPerMessage || blocksChars(whole) > LIMITS.messageBlocksChars)) break;
    body.splice(0, body.length, ...next);
    shown++;
  }
  const titles = view.lines.slice(0, shown).map((line) => headline(line.problem).replace(/\*/g, ''));
  const text = `${view.part === 0 && view.mention ? `${view.mention} ` : ''}${count(view.total)} new problems: ${titles.join('; ')}`;
  return { text: truncate(text, LIMITS.messageText), blocks: [head(shown), ...body, footer], shown };
}

/** The alert's closing context with one line set: the line that starts with `mark` replaced, or added. In a grouped message, `key`'s line's. */
function withContextLine(blocks: readonly KnownBlock[], mark: string, line: string, key?: string): KnownBlock[] {
  const grouped = key !== undefined && blocks.some((b) => lineOf(b) === key);
  const target = grouped ? blocks.findLastIndex((b) => lineOf(b) === key) : blocks.length - 1;
  return blocks.map((block, i) => {
    if (i !== target || block.type !== 'context') return block;
    const first = block.elements[0];
    const text = first && 'text' in first ? first.text.split('\n').filter((l) => !l.startsWith(mark)) : [];
    return { ...context([...text, line].join('\n')), ...(block.block_id ? { block_id: block.block_id } : {}) };
  });
}

/** The same alert message, now saying it is snoozed; buttons and attributions stay. In a grouped message, only `key`'s line. */
export function withSnooze(blocks: readonly KnownBlock[], snooze: Snooze, timeZone: string, key?: string): KnownBlock[] {
  return withContextLine(blocks, ':zzz:', snoozeLine(snooze, timeZone), key);
}

/** A payment retried from the alert: `paid` when Whop charged the card, else the card was declined again. */
export interface PaymentRetry {
  by: string;
  at: Date;
  timeZone: string;
  paid: boolean;
  campaignId: string;
  /** The alert's key: in a grouped message, only its line changes. */
  key: string;
}

const RETRY_MARK = ':credit_card:';

const isRetryOf = (campaignId: string) => (e: object) => 'action_id' in e && e.action_id === RETRY_PAYMENT_ACTION && 'value' in e && e.value === campaignId;

/**
 * The alert, saying who retried the payment and how it went; once paid, its Retry payment button is gone. A message
 * without that campaign's button (a forged click on another message) is left as it was.
 */
export function withPaymentRetry(blocks: readonly KnownBlock[], retry: PaymentRetry): KnownBlock[] {
  const isRetry = isRetryOf(retry.campaignId);
  if (!blocks.some((block) => block.type === 'actions' && block.elements.some(isRetry))) return [...blocks];
  const outcome = retry.paid ? 'Whop charged the card; the campaign can deliver again.' : 'the card was declined again. Update the payment method in Whop, then retry.';
  const line = `${RETRY_MARK} <@${retry.by}> retried the payment at ${clock(retry.at, retry.timeZone)}: ${outcome}`;
  // Slack refuses an actions block left with no elements.
  const kept = retry.paid
    ? blocks.flatMap((block): KnownBlock[] => {
        if (block.type !== 'actions') return [block];
        const elements = block.elements.filter((e) => !isRetry(e));
        return elements.length > 0 ? [{ ...block, elements }] : [];
      })
    : blocks;
  return withContextLine(kept, RETRY_MARK, line, retry.key);
}

export const stillOpen = (problem: Problem, openedAt: Date, timeZone: string): string => `Still open since ${moment(openedAt, timeZone)}: ${headline(problem)}`;

export const snoozeOver = (problem: Problem, timeZone: string, until: Date): string => `Snooze ended at ${clock(until, timeZone)} and this is still open: ${headline(problem)}`;

/** The thread reply of a problem that came back soon after it resolved, reopening its message. */
export const backAgain = (problem: Problem, resolvedAt: Date, timeZone: string): string =>
  `:repeat: Back again, resolved only since ${moment(resolvedAt, timeZone)}: ${headline(problem)}`;

/** Said once a day, on the first alert over the channel's max_mentions_per_day. */
export const mentionsPaused = (max: number): string => `:no_bell: Mentions paused for today: ${count(max)} sent already (max_mentions_per_day). Alerts still post, without a ping.`;

export function whopUnreachable(since: Date, failures: number, reason: string, timeZone: string, resolvedAt?: Date): { text: string; blocks: KnownBlock[] } {
  if (resolvedAt) {
    const text = `:white_check_mark: *Whop answers again* · ${clock(resolvedAt, timeZone)} (unreachable since ${moment(since, timeZone)})`;
    return { text: 'Whop answers again', blocks: [section(text)] };
  }
  const text = `:warning: *Cannot reach Whop since ${moment(since, timeZone)}*: ${count(failures)} checks in a row failed (${esc(reason)}). Alerts resume as soon as Whop answers.`;
  return { text: `Cannot reach Whop since ${moment(since, timeZone)}`, blocks: [section(text)] };
}
