import type { KnownBlock } from '@slack/types';
import type { Currency } from '../src/currency';
import type { AccountFigures, AccountLine, DigestLink } from '../src/summary/line';
import { WORST_FIRST, worstFirst } from '../src/summary/worst';
import { type DigestView, fill, type SlackMessage, WINDOW_NAME, whopWhy, windowDates } from './digest';
import { count, delta, esc, money, plural, ratio, title } from './format';
import { context, header, section } from './kit';
import { blocksChars, LIMITS, truncate } from './limits';
import { sandboxMark } from './sandbox-mark';

/** The cross-account summary: every account's line over one window, in any order (the view sorts them worst first). */
export interface SummaryView {
  window: DigestView['window'];
  lines: readonly AccountLine[];
  sandbox: boolean;
}

/** An account name is the operator's text, shown on one line at most this long. */
const NAME_CHARS = 80;
/** What the closing "…and N more accounts" line may cost of the message. */
const MORE_NOTE_CHARS = 200;

const accountName = (name: string) => title(name, 'unnamed account', NAME_CHARS);

function nameWithLink(name: string, link: DigestLink): string {
  if (link?.kind === 'message') return `*<${link.url}|${name}>*`;
  return link?.kind === 'channel' ? `*${name}* · digests in <#${link.channel}>` : `*${name}*`;
}

const withChange = (value: string, now: number | null, before: number | null) => {
  const change = delta(now, before);
  return change ? `${value}  ${change}` : value;
};

function figuresText(now: AccountFigures, before: AccountFigures, currency: Currency | null): string {
  return [
    withChange(`Spend ${money(now.spend, currency)}`, now.spend, before.spend),
    withChange(`ROAS ${now.roas === null ? '—' : ratio(now.roas)}`, now.roas, before.roas),
    withChange(`Results ${now.results === null ? '—' : count(now.results)}`, now.results, before.results),
  ].join(' · ');
}

function problemsText(line: AccountLine): string {
  const parts = [...(line.ok ? [plural(line.openIssues, 'open issue')] : []), plural(line.openAlerts, 'open alert')];
  // All clear only where Whop answered: an account it did not answer for may well have issues.
  const icon = line.openAlerts > 0 || (line.ok && line.openIssues > 0) ? ':warning: ' : line.ok ? ':white_check_mark: ' : '';
  return `${icon}${parts.join(' · ')}`;
}

function lineBlock(line: AccountLine): KnownBlock {
  const name = nameWithLink(accountName(line.name), line.digest);
  const body = line.ok ? figuresText(line.current, line.previous, line.currency) : `:x: Whop did not answer: ${whopWhy(line.failure)}`;
  return section(`${name}\n${body}\n${problemsText(line)}`);
}

/**
 * Spend and results added up within each currency, never across two: one part per currency, the largest first. An
 * account whose currency Whop does not name is added to none (two such may be two currencies), only counted.
 */
function totalsText(lines: readonly AccountLine[]): string | null {
  const answered = lines.filter((l) => l.ok);
  const unknown = answered.filter((l) => l.currency === null).length;
  if (answered.length < 2 || unknown === answered.length) return null;
  const byCurrency = new Map<Currency, { spend: number; results: number; accounts: number }>();
  for (const line of answered) {
    if (line.currency === null) continue;
    const sum = byCurrency.get(line.currency) ?? { spend: 0, results: 0, accounts: 0 };
    byCurrency.set(line.currency, { spend: sum.spend + line.current.spend, results: sum.results + (line.current.results ?? 0), accounts: sum.accounts + 1 });
  }
  const parts = [...byCurrency]
    .sort(([, a], [, b]) => b.accounts - a.accounts)
    .map(([currency, sum]) => `${money(Math.round(sum.spend * 100) / 100, currency)} spent · ${plural(sum.results, 'result')} (${plural(sum.accounts, 'account')})`);
  const untotalled = unknown > 0 ? [`Not totalled: ${plural(unknown, 'account')} whose currency Whop does not name`] : [];
  return `*Totals${byCurrency.size > 1 ? ' per currency' : ''}*\n${[...parts, ...untotalled].join('\n')}`;
}

/** The first accounts in words, for notifications and screen readers. */
function fallbackText(heading: string, lines: readonly AccountLine[]): string {
  const worst = lines.slice(0, 5).map((line) => {
    const name = accountName(line.name);
    return line.ok ? `${name} ${money(line.current.spend, line.currency)}` : `${name}: Whop did not answer`;
  });
  return truncate(`${heading}: ${plural(lines.length, 'account')}, worst first: ${worst.join(', ')}${lines.length > worst.length ? ', …' : ''}`, LIMITS.sectionText);
}

/** The summary as one message: a section per account, worst first, as many as Slack takes, then the totals. */
export function summaryMessage(view: SummaryView, now: Date): SlackMessage {
  const heading = `Ads summary · ${WINDOW_NAME[view.window.name]}`;
  const dates = windowDates(view.window, now);
  const sorted = worstFirst(view.lines);
  const blocks: KnownBlock[] = [
    header(`${heading} · ${dates}`),
    context(
      [
        sandboxMark(view.sandbox),
        `${plural(sorted.length, 'account')} · ${esc(view.window.timeZone)} · ${WORST_FIRST} · changes against the ${view.window.name === 'today' ? 'same hours yesterday' : 'period before'}`,
      ]
        .filter(Boolean)
        .join(' · '),
    ),
  ];
  if (sorted.length === 0) blocks.push(section('No account to summarise.'));
  const totals = totalsText(sorted);
  const closing = totals ? [section(totals)] : [];
  const shown = fill(
    blocks,
    sorted.map((line) => [lineBlock(line)]),
    closing.length + 1,
    blocksChars(closing) + MORE_NOTE_CHARS,
  );
  if (shown < sorted.length) blocks.push(context(`…and ${plural(sorted.length - shown, 'more account')}, each better off than those above`));
  blocks.push(...closing);
  return { text: fallbackText(heading, sorted), blocks };
}
