import type { KnownBlock } from '@slack/types';
import { type Currency, USD } from '../src/currency';
import { issueCount } from '../src/digest/issues';
import { type EntityRef, isActionable, type WindowName } from '../src/model';
import type { WhopFailure } from '../src/whop/result';
import { mention, toggleButton } from './entity';
import { count, day, delta, esc, moment, money, percent, plural, ratio, title } from './format';
import { actions, context, divider, fields, header, section } from './kit';
import { blocksChars, LIMITS, truncate } from './limits';
import { sandboxMark } from './sandbox-mark';

export interface DigestTotals {
  spend: number;
  impressions: number;
  clicks: number;
  purchases: number;
  /** Whop reports purchase value in USD whatever the account's currency. */
  purchaseValueUsd: number;
  results: number | null;
  ctr: number | null;
  cpc: number | null;
  cpm: number | null;
  roas: number | null;
  costPerResult: number | null;
}

export interface AdGroupRow extends EntityRef {
  kind: 'ad_group';
  campaignTitle: string | null;
  spend: number;
  results: number | null;
  costPerResult: number | null;
}

/** Open issues that share a message, with every campaign, ad group or ad they affect. */
export interface IssueGroup {
  message: string;
  entities: EntityRef[];
}

export interface DigestView {
  window: { name: WindowName; from: Date; to: Date; timeZone: string };
  /** null when Whop does not say: amounts are then shown without a sign. */
  currency: Currency | null;
  totals: DigestTotals;
  previous: DigestTotals;
  topAdGroups: AdGroupRow[];
  issues: IssueGroup[];
  sandbox: boolean;
}

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** The digest's trend: an uploaded chart (a Slack file's id), or the sparkline that stands in for it. */
export type DigestTrend = { kind: 'image'; fileId: string; altText: string; title: string } | { kind: 'sparkline'; line: string };

/** Where the trend goes: an image block shows the uploaded PNG; the sparkline is one context line. */
function trendBlock(trend: DigestTrend): KnownBlock {
  if (trend.kind === 'sparkline') return context(trend.line);
  return {
    type: 'image',
    slack_file: { id: trend.fileId },
    alt_text: truncate(trend.altText, LIMITS.imageAltText),
    title: { type: 'plain_text', text: truncate(trend.title, LIMITS.imageTitle) },
  };
}

export interface DigestMessages {
  main: SlackMessage;
  /** The issues that did not fit in the main message, to post in its thread in order. */
  replies: SlackMessage[];
}

/** A window as a heading names it. */
export const WINDOW_NAME: Record<WindowName, string> = {
  today: 'Today so far',
  yesterday: 'Yesterday',
  last_7d: 'Last 7 days',
  last_30d: 'Last 30 days',
};

const NAMED_ENTITIES = 10;
/** Characters an issue's section keeps free for the "paused by …" lines its buttons add. */
const ROOM_FOR_ATTRIBUTIONS = 500;
const BUTTONS_PER_ISSUE = 5;

/** The days a window covers, as a heading shows them: `Mon, Nov 30`, `Nov 23 – Mon, Nov 29`, or today until now. */
export function windowDates(window: DigestView['window'], now: Date): string {
  const { name, from, to, timeZone } = window;
  if (name === 'today') return `${day(from, timeZone)}, until ${moment(now, timeZone)}`;
  const lastDay = new Date(to.getTime() - 1);
  const first = day(from, timeZone);
  const last = day(lastDay, timeZone);
  return first === last ? first : `${first} – ${last}`;
}

function totalsFields(view: DigestView): string[] {
  const { totals: t, previous: p, currency } = view;
  const cash = (n: number | null) => (n === null ? '—' : money(n, currency));
  const line = (label: string, value: string, current: number | null, before: number | null) => {
    const change = delta(current, before);
    return `*${label}*\n${value}${change ? `  ${change}` : ''}`;
  };
  return [
    line('Spend', money(t.spend, currency), t.spend, p.spend),
    line('ROAS', t.roas === null ? '—' : ratio(t.roas), t.roas, p.roas),
    line('Purchases', count(t.purchases), t.purchases, p.purchases),
    line('Purchase value', money(t.purchaseValueUsd, USD), t.purchaseValueUsd, p.purchaseValueUsd),
    line('Cost per result', cash(t.costPerResult), t.costPerResult, p.costPerResult),
    line('Impressions', count(t.impressions), t.impressions, p.impressions),
    line('Clicks', count(t.clicks), t.clicks, p.clicks),
    line('CTR', t.ctr === null ? '—' : percent(t.ctr), t.ctr, p.ctr),
    line('CPC', cash(t.cpc), t.cpc, p.cpc),
    line('CPM', cash(t.cpm), t.cpm, p.cpm),
  ];
}

function adGroupRow(row: AdGroupRow, currency: Currency | null): KnownBlock {
  const campaign = row.campaignTitle ? ` · ${title(row.campaignTitle, '', 60)}` : '';
  const results = row.results === null ? '' : ` · ${plural(row.results, 'result')}`;
  const cpr = row.costPerResult === null ? '' : ` · ${money(row.costPerResult, currency)} per result`;
  return section(`${mention(row)}${campaign}\n${money(row.spend, currency)} spent${results}${cpr}`, isActionable(row) ? toggleButton(row) : undefined);
}

function issueBlocks(group: IssueGroup, index: number): KnownBlock[] {
  const named = group.entities.slice(0, NAMED_ENTITIES).map(mention);
  const rest = group.entities.length - named.length;
  const affects = `${named.join(', ')}${rest > 0 ? ` and ${count(rest)} more` : ''}`;
  // The message gives way (it can grow 5× when escaped) so the items it names, and later who acted on them, fit.
  const room = Math.max(100, LIMITS.sectionText - ROOM_FOR_ATTRIBUTIONS - affects.length);
  const text = `:warning: *${truncate(esc(truncate(group.message.trim(), 600)), room)}*\n${affects}`;
  const actionable = group.entities.filter(isActionable);
  const [only] = actionable;
  if (only && actionable.length === 1 && group.entities.length === 1) return [section(text, toggleButton(only))];
  const buttons = actionable.slice(0, BUTTONS_PER_ISSUE).map((entity, i) => toggleButton(entity, { suffix: String(i), named: true }));
  return buttons.length > 0 ? [section(text), actions(buttons, `issue-${index}`)] : [section(text)];
}

function fallbackText(view: DigestView, heading: string): string {
  const { totals, currency } = view;
  const roas = totals.roas === null ? '' : `, ROAS ${ratio(totals.roas)}`;
  const issues = view.issues.length === 0 ? 'no open issues' : plural(issueCount(view.issues), 'open issue');
  return `${heading}: ${money(totals.spend, currency)} spent${roas}, ${issues}`;
}

/** Adds blocks while both Slack budgets (block count and total size) hold; returns how many fitted. */
export function fill(into: KnownBlock[], parts: KnownBlock[][], reserveBlocks: number, reserveChars: number): number {
  let used = blocksChars(into);
  let fitted = 0;
  for (const part of parts) {
    const size = blocksChars(part);
    if (into.length + part.length + reserveBlocks > LIMITS.blocksPerMessage) break;
    if (used + size + reserveChars > LIMITS.messageBlocksChars) break;
    into.push(...part);
    used += size;
    fitted += 1;
  }
  return fitted;
}

const MORE_NOTE_CHARS = 200;
/** Each pause or unpause adds an attribution line to the message later: leave room for a good number. */
export const ROOM_FOR_ACTIONS_CHARS = 1_500;
/** What the top ad groups leave for the issues: their heading, the all-clear line or the first few. */
const ROOM_FOR_ISSUES_CHARS = 3_000;

export function digestMessages(view: DigestView, now: Date, trend?: DigestTrend): DigestMessages {
  const heading = `Ads digest · ${WINDOW_NAME[view.window.name]}`;
  const dates = windowDates(view.window, now);
  const blocks: KnownBlock[] = [
    header(`${heading} · ${dates}`),
    context(
      [sandboxMark(view.sandbox), `${dates} (${esc(view.window.timeZone)}) · changes against the ${view.window.name === 'today' ? 'same hours yesterday' : 'period before'}`]
        .filter(Boolean)
        .join(' · '),
    ),
    fields(totalsFields(view)),
    ...(trend ? [trendBlock(trend)] : []),
    divider(),
  ];

  if (view.topAdGroups.length === 0) {
    blocks.push(section('*Top ad groups by spend*\nNo ad group spent anything in this window.'));
  } else {
    blocks.push(section(`*Top ${view.topAdGroups.length} ad groups by spend*`));
    // Rows count against the whole-message budget too, leaving room for the issues' heading and first entries.
    const rows = view.topAdGroups.map((row) => [adGroupRow(row, view.currency)]);
    const shown = fill(blocks, rows, 6, ROOM_FOR_ISSUES_CHARS + ROOM_FOR_ACTIONS_CHARS);
    if (shown < rows.length) blocks.push(context(`…and ${plural(rows.length - shown, 'more ad group')}: see them with \`/adgroup\``));
  }
  blocks.push(divider());

  const issueParts = view.issues.map(issueBlocks);
  if (view.issues.length === 0) {
    blocks.push(section(':white_check_mark: *No open issues* — every campaign, ad group and ad is clear.'));
    return { main: { text: fallbackText(view, heading), blocks }, replies: [] };
  }

  blocks.push(section(`*Open issues* · ${plural(issueCount(view.issues), 'issue')} on ${plural(view.issues.length, 'problem')}`));
  const fitted = fill(blocks, issueParts, 1, MORE_NOTE_CHARS + ROOM_FOR_ACTIONS_CHARS);
  const left = view.issues.slice(fitted);
  if (left.length === 0) return { main: { text: fallbackText(view, heading), blocks }, replies: [] };

  blocks.push(context(`…and ${plural(issueCount(left), 'more issue')} (${plural(left.length, 'problem')}) in the thread :thread:`));
  return { main: { text: fallbackText(view, heading), blocks }, replies: continuation(issueParts.slice(fitted), heading, view.sandbox) };
}

/** The issues that did not fit, in thread replies; each can fill a message, so each says sandbox in its first line. */
function continuation(parts: KnownBlock[][], heading: string, sandbox: boolean): SlackMessage[] {
  const replies: SlackMessage[] = [];
  let rest = parts;
  while (rest.length > 0) {
    const blocks: KnownBlock[] = [section([`*Open issues, continued* (${heading})`, sandboxMark(sandbox)].filter(Boolean).join(' · '))];
    const fitted = fill(blocks, rest, 0, ROOM_FOR_ACTIONS_CHARS);
    // Each issue's blocks are bounded far below a message's budgets, so this only guards the loop.
    if (fitted === 0) throw new Error('an issue does not fit in a message of its own');
    replies.push({ text: `${heading}: open issues, continued`, blocks });
    rest = rest.slice(fitted);
  }
  return replies;
}

/** A run of failed fires of a scheduled digest. */
export interface DigestFailures {
  /** The first failed fire of the run. */
  since: Date;
  failures: number;
  timeZone: string;
}

/** Whop's failure in words for a channel: the "try again in a minute" meant for a clicker is the bot's job here. */
const WHY: Partial<Record<WhopFailure['kind'], string>> = {
  unavailable: 'Whop is not answering.',
  rate_limited: 'Whop is rate-limiting the bot.',
};

/** Why Whop stopped a scheduled post, in words for a channel (escaped). */
export const whopWhy = (failure: Pick<WhopFailure, 'kind' | 'message'>): string => esc(WHY[failure.kind] ?? failure.message);

const times = (failures: number) => (failures === 1 ? 'once' : `${count(failures)} times in a row`);

/** What the channel of a scheduled digest is told when Whop stops it; `next` is when the schedule fires next, if known. */
export function digestNotBuilt(run: DigestFailures & { failure: Pick<WhopFailure, 'kind' | 'message'>; next: Date | null }): SlackMessage {
  const why = whopWhy(run.failure);
  const next = run.next ? ` (${moment(run.next, run.timeZone)})` : '';
  const streak = run.failures > 1 ? ` It failed ${times(run.failures)} since ${moment(run.since, run.timeZone)}.` : '';
  return {
    text: truncate(`I could not build today's digest: ${why}`, LIMITS.sectionText),
    blocks: [section(`:warning: *I could not build today's digest*: ${why} I will try again at the next scheduled time${next}.${streak}`)],
  };
}

/** The same notice, closed in place once a digest posts again. */
export function digestBuiltAgain(run: DigestFailures & { at: Date }): SlackMessage {
  const line = `:white_check_mark: *The digest posts again* since ${moment(run.at, run.timeZone)}. It could not be built ${times(run.failures)}, from ${moment(run.since, run.timeZone)}.`;
  return { text: 'The digest posts again', blocks: [section(line)] };
}
