import type { SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { SANDBOX_MARK } from '../../blocks/sandbox-mark';
import { type SummaryView, summaryMessage } from '../../blocks/summary';
import { currencyOf } from '../../src/currency';
import type { AccountLine } from '../../src/summary/line';
import { blockKitProblems } from '../support/block-kit-rules';

const NOW = new Date('2026-11-25T14:00:00Z');
const USD = currencyOf('usd');
const EUR = currencyOf('eur');

const healthy = (name: string, over: Partial<Extract<AccountLine, { ok: true }>> = {}): AccountLine => ({
  name,
  ok: true,
  currency: USD,
  current: { spend: 500, roas: 2, results: 20 },
  previous: { spend: 500, roas: 2, results: 20 },
  openIssues: 0,
  openAlerts: 0,
  digest: { kind: 'message', url: `https://acme.slack.com/archives/C0DIGEST/p${name.length}000` },
  ...over,
});

const failed = (name: string): AccountLine => ({
  name,
  ok: false,
  failure: { kind: 'unavailable', message: 'Whop is not answering right now. Try again in a few minutes.' },
  openAlerts: 1,
  digest: { kind: 'channel', channel: 'C0FAILED' },
});

const view = (lines: AccountLine[], over: Partial<SummaryView> = {}): SummaryView => ({
  window: { name: 'yesterday', from: new Date('2026-11-24T05:00:00Z'), to: new Date('2026-11-25T05:00:00Z'), timeZone: 'America/New_York' },
  lines,
  sandbox: false,
  ...over,
});

/** Each section's text, in the order shown: the accounts', then the totals. */
const sections = (lines: AccountLine[], over: Partial<SummaryView> = {}) =>
  summaryMessage(view(lines, over), NOW)
    .blocks.filter((b): b is SectionBlock => b.type === 'section' && b.text !== undefined)
    .map((b) => b.text?.text ?? '');

describe('the cross-account summary view', () => {
  it('lists the account Whop did not answer for first, then the most open problems, then the largest fall in results or ROAS', () => {
    const lines = [
      healthy('steady'),
      healthy('results halved', { current: { spend: 500, roas: 2, results: 10 } }),
      healthy('roas down a quarter', { current: { spend: 500, roas: 1.5, results: 20 } }),
      healthy('two issues', { openIssues: 2 }),
      healthy('one issue one alert', { openIssues: 1, openAlerts: 1 }),
      failed('silent'),
      healthy('one alert', { openAlerts: 1 }),
    ];
    const names = sections(lines)
      .filter((text) => !text.startsWith('*Totals'))
      .map((text) => /^\*(?:<[^|]+\|)?([^*>]+)/.exec(text)?.[1]);
    expect(names).toEqual(['silent', 'one issue one alert', 'two issues', 'one alert', 'results halved', 'roas down a quarter', 'steady']);
  });

  it('shows spend, ROAS and results with their change, open issues and alerts, and links the name to the digest', () => {
    const [line] = sections([healthy('acme', { current: { spend: 450, roas: 2.5, results: 22 }, openIssues: 3, openAlerts: 1 })]);
    expect(line).toBe(
      '*<https://acme.slack.com/archives/C0DIGEST/p4000|acme>*\nSpend $450.00  ▼ 10% · ROAS 2.5×  ▲ 25% · Results 22  ▲ 10%\n:warning: 3 open issues · 1 open alert',
    );
  });

  it('links the digest channel when the account has no digest message yet', () => {
    expect(sections([healthy('acme', { digest: { kind: 'channel', channel: 'C0ACME' } })])[0]).toMatch(/^\*acme\* · digests in <#C0ACME>\n/);
    expect(sections([healthy('acme', { digest: null })])[0]).toMatch(/^\*acme\*\n/);
  });

  it('a failed account is a line saying Whop did not answer, with its alerts, and the others are still shown', () => {
    const [first, second] = sections([healthy('fine'), failed('silent')]);
    expect(first).toBe('*silent* · digests in <#C0FAILED>\n:x: Whop did not answer: Whop is not answering.\n:warning: 1 open alert');
    expect(second).toMatch(/^\*<[^|]+\|fine>\*\nSpend \$500\.00/);
    expect(summaryMessage(view([healthy('fine'), failed('silent')]), NOW).text).toContain('silent: Whop did not answer');
  });

  it('totals spend and results per currency and never adds amounts of two currencies', () => {
    const lines = [
      healthy('us one', { current: { spend: 100.1, roas: 1, results: 5 } }),
      healthy('us two', { current: { spend: 200.2, roas: 1, results: 7 } }),
      healthy('eu', { currency: EUR, current: { spend: 50, roas: 1, results: 2 } }),
    ];
    const totals = sections(lines).at(-1);
    expect(totals).toBe('*Totals per currency*\n$300.30 spent · 12 results (2 accounts)\n€50.00 spent · 2 results (1 account)');
    expect(sections(lines.slice(0, 2)).at(-1)).toBe('*Totals*\n$300.30 spent · 12 results (2 accounts)');
    expect(sections(lines.slice(0, 1)).at(-1)).not.toMatch(/Totals/);
  });

  it('never adds the spend of two accounts whose currency Whop does not name: they may be two currencies', () => {
    const lines = [
      healthy('us', { current: { spend: 100, roas: 1, results: 5 } }),
      healthy('unknown one', { currency: null, current: { spend: 40, roas: 1, results: 1 } }),
      healthy('unknown two', { currency: null, current: { spend: 70, roas: 1, results: 2 } }),
    ];
    const totals = sections(lines).at(-1);
    expect(totals).not.toContain('110.00');
    expect(totals).toBe('*Totals*\n$100.00 spent · 5 results (1 account)\nNot totalled: 2 accounts whose currency Whop does not name');
    expect(sections(lines.slice(1)).at(-1)).not.toMatch(/Totals/);
  });

  it('escapes account names, so a name cannot ping a channel or break the link', () => {
    const text = JSON.stringify(summaryMessage(view([healthy('<!channel> & <https://evil.example|co>')]), NOW));
    expect(text).not.toContain('<!channel>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;https://evil.example|co&gt;');
  });

  it('50 accounts with long names fit Slack’s limits, the worst shown first and the rest counted as "and N more"', () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      healthy(`${'Agency client with a very long name '.repeat(3)}${i}`, { openIssues: i, openAlerts: i % 3, currency: i % 2 ? EUR : USD }),
    );
    const message = summaryMessage(view(lines, { sandbox: true }), NOW);
    expect(blockKitProblems(message.blocks, 'message')).toEqual([]);
    const shown = sections(lines).filter((t) => t.includes('open issue'));
    expect(shown.length).toBeGreaterThan(20);
    expect(shown[0]).toContain('49');
    const more = JSON.stringify(message.blocks).match(/…and (\d+) more accounts/);
    expect(Number(more?.[1])).toBe(50 - shown.length);
    expect(JSON.stringify(message.blocks)).toContain(SANDBOX_MARK);
    expect(JSON.stringify(message.blocks)).toContain('Totals per currency');
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('says so when no account is listed', () => {
    const message = summaryMessage(view([]), NOW);
    expect(blockKitProblems(message.blocks, 'message')).toEqual([]);
    expect(sections([])).toEqual(['No account to summarise.']);
  });
});
