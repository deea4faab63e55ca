import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { type AdGroupRow, type DigestTotals, type DigestView, digestBuiltAgain, digestMessages, digestNotBuilt, type IssueGroup } from '../../blocks/digest';
import { SANDBOX_MARK } from '../../blocks/sandbox-mark';
import { currencyOf } from '../../src/currency';
import type { EntityRef } from '../../src/model';
import { blockKitProblems } from '../support/block-kit-rules';

const NOW = new Date('2026-11-25T14:00:00Z');

const totals = (over: Partial<DigestTotals> = {}): DigestTotals => ({
  spend: 1234.5,
  impressions: 100_000,
  clicks: 2_000,
  purchases: 40,
  purchaseValueUsd: 3_000,
  results: 40,
  ctr: 0.02,
  cpc: 0.61725,
  cpm: 12.345,
  roas: 2.43,
  costPerResult: 30.86,
  ...over,
});

const zero = totals({ spend: 0, impressions: 0, clicks: 0, purchases: 0, purchaseValueUsd: 0, results: null, ctr: null, cpc: null, cpm: null, roas: null, costPerResult: null });

const group = (i: number, over: Partial<AdGroupRow> = {}): AdGroupRow => ({
  kind: 'ad_group',
  id: `adgrp_${i}`,
  title: `Ad group ${i}`,
  status: 'active',
  campaignTitle: 'Black Friday',
  spend: 1000 - i,
  results: 10,
  costPerResult: 12.5,
  ...over,
});

const ad = (i: number, over: Partial<EntityRef> = {}): EntityRef => ({ kind: 'ad', id: `ad_${i}`, title: `Ad ${i}`, status: 'active', ...over });

const view = (over: Partial<DigestView> = {}): DigestView => ({
  window: { name: 'yesterday', from: new Date('2026-11-24T05:00:00Z'), to: new Date('2026-11-25T05:00:00Z'), timeZone: 'America/New_York' },
  currency: currencyOf('usd'),
  totals: totals(),
  previous: totals({ spend: 1000 }),
  topAdGroups: [group(1), group(2)],
  issues: [],
  sandbox: false,
  ...over,
});

const allText = (blocks: KnownBlock[]) => JSON.stringify(blocks);
const buttons = (blocks: KnownBlock[]) =>
  blocks.flatMap((b) => {
    if (b.type === 'actions') return b.elements as { action_id: string; value: string }[];
    if (b.type === 'section' && b.accessory) return [b.accessory as { action_id: string; value: string }];
    return [];
  });

describe('digest message', () => {
  it('shows the window in the team time zone, totals with their change, and the top ad groups', () => {
    const { main, replies } = digestMessages(view(), NOW);
    expect(replies).toEqual([]);
    expect(main.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Ads digest · Yesterday · Tue, Nov 24' } });
    const text = allText(main.blocks);
    expect(text).toContain('America/New_York');
    expect(text).toContain('*Spend*\\n$1,234.50  ▲ 23.45%');
    expect(text).toContain('*ROAS*\\n2.43×');
    expect(text).toContain('*Ad group 1* (ad group, :large_green_circle: Active) · Black Friday\\n$999.00 spent · 10 results · $12.50 per result');
    expect(text).toContain(':white_check_mark: *No open issues*');
    expect(main.text).toBe('Ads digest · Yesterday: $1,234.50 spent, ROAS 2.43×, no open issues');
    expect(blockKitProblems(main.blocks, 'message')).toEqual([]);
  });

  it('for an empty account says nothing spent and nothing is wrong, within limits', () => {
    const { main } = digestMessages(view({ totals: zero, previous: zero, topAdGroups: [] }), NOW);
    const text = allText(main.blocks);
    expect(text).toContain('No ad group spent anything in this window.');
    expect(text).toContain('No open issues');
    expect(text).toContain('*CTR*\\n—');
    expect(blockKitProblems(main.blocks, 'message')).toEqual([]);
  });

  it('formats a non-USD account in its own currency, keeping purchase value in USD', () => {
    const { main } = digestMessages(view({ currency: currencyOf('eur') }), NOW);
    const text = allText(main.blocks);
    expect(text).toContain('*Spend*\\n€1,234.50');
    expect(text).toContain('*Purchase value*\\n$3,000.00');
  });

  it('groups issues by message, names every affected item and offers pause buttons carrying the Whop id, except on what Whop is reviewing', () => {
    const issues: IssueGroup[] = [
      { message: 'Ad rejected: personal attributes', entities: [ad(1, { status: 'rejected' }), ad(2), ad(3, { status: 'paused' })] },
      { message: 'Audience too narrow', entities: [{ kind: 'ad_group', id: 'adgrp_9', title: 'Lookalike 1%', status: 'active' }] },
      { message: 'Payment method failed', entities: [{ kind: 'ad_campaign', id: 'adcamp_1', title: 'Brand', status: 'active' }] },
    ];
    const { main } = digestMessages(view({ issues }), NOW);
    const text = allText(main.blocks);
    for (const name of ['Ad 1', 'Ad 2', 'Ad 3', 'Lookalike 1%', 'Brand']) expect(text).toContain(name);
    const issueButtons = buttons(main.blocks).filter((b) => !b.value.startsWith('adgrp_1') && !b.value.startsWith('adgrp_2'));
    expect(issueButtons.map((b) => [b.action_id, b.value])).toEqual([
      ['ad.pause:0', 'ad_2'],
      ['ad.unpause:1', 'ad_3'],
      ['ad_group.pause', 'adgrp_9'],
    ]);
    expect(main.text).toContain('5 open issues');
    expect(blockKitProblems(main.blocks, 'message')).toEqual([]);
  });

  it('escapes hostile titles and messages so nobody is pinged and no link is made', () => {
    const hostile = '<!channel> & <@U123> <https://evil.example|click>';
    const { main } = digestMessages(
      view({
        topAdGroups: [group(1, { title: hostile, campaignTitle: '<!here>' })],
        issues: [{ message: `<!everyone> ${hostile}`, entities: [ad(1, { title: hostile })] }],
      }),
      NOW,
    );
    const mrkdwn = main.blocks.flatMap((b) => JSON.stringify(b).match(/"type":"mrkdwn","text":"(?:[^"\\]|\\.)*"/g) ?? []);
    for (const text of mrkdwn) {
      expect(text).not.toMatch(/<[!@]/);
      expect(text).not.toContain('<https');
    }
    expect(allText(main.blocks)).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
    expect(main.text).not.toMatch(/<[!@]/);
  });

  it('splits a huge account (1,000 ad groups, 500 issues) into a valid first message and thread replies', () => {
    const issues: IssueGroup[] = Array.from({ length: 500 }, (_, i) => ({
      message: `Issue ${i}: ${'the creative breaks policy '.repeat(20)}`,
      entities: [ad(i, { title: `Ad with a fairly long title number ${i} ${'x'.repeat(60)}` })],
    }));
    const topAdGroups = Array.from({ length: 20 }, (_, i) => group(i));
    const { main, replies } = digestMessages(view({ issues, topAdGroups }), NOW);
    expect(blockKitProblems(main.blocks, 'message')).toEqual([]);
    expect(main.blocks.length).toBeLessThanOrEqual(50);
    const last = JSON.stringify(main.blocks.at(-1));
    const shown = main.blocks.filter((b) => JSON.stringify(b).includes(':warning:')).length;
    expect(last).toContain(`…and ${500 - shown} more issues`);
    for (const reply of replies) expect(blockKitProblems(reply.blocks, 'message')).toEqual([]);
    const inThread = replies.flatMap((r) => r.blocks).filter((b) => JSON.stringify(b).includes(':warning:')).length;
    expect(shown + inThread).toBe(500);
    const everyIssue = [main, ...replies].map((m) => allText(m.blocks)).join('');
    for (const i of [0, 250, 499]) expect(everyIssue).toContain(`Issue ${i}:`);
  });

  it('names ten items of a wide issue and counts the rest, with at most five buttons', () => {
    const entities = Array.from({ length: 300 }, (_, i) => ad(i));
    const { main } = digestMessages(view({ issues: [{ message: 'Same problem', entities }] }), NOW);
    const text = allText(main.blocks);
    expect(text).toContain('and 290 more');
    expect(buttons(main.blocks).filter((b) => b.action_id.startsWith('ad.'))).toHaveLength(5);
    expect(blockKitProblems(main.blocks, 'message')).toEqual([]);
  });

  it('marks sandbox data, in the message and in every thread reply, even replies that fill a message', () => {
    const issues: IssueGroup[] = Array.from({ length: 500 }, (_, i) => ({ message: `Issue ${i}`, entities: [ad(i, { status: 'rejected' })] }));
    const { main, replies } = digestMessages(view({ sandbox: true, issues }), NOW);
    expect(replies.length).toBeGreaterThan(1);
    expect(replies.some((r) => r.blocks.length === 50)).toBe(true);
    for (const message of [main, ...replies]) expect(allText(message.blocks)).toContain(SANDBOX_MARK);
    const real = digestMessages(view({ issues }), NOW);
    for (const message of [real.main, ...real.replies]) expect(allText(message.blocks)).not.toContain('Sandbox');
  });

  it('describes today as so far and compares with the same hours yesterday', () => {
    const { main } = digestMessages(view({ window: { name: 'today', from: new Date('2026-11-25T05:00:00Z'), to: NOW, timeZone: 'America/New_York' } }), NOW);
    const text = allText(main.blocks);
    expect(text).toContain('Today so far');
    expect(text).toContain('until Nov 25, 09:00 EST');
    expect(text).toContain('same hours yesterday');
  });
});

describe('digest size', () => {
  it('twenty long top rows and many issues still make a main message within the whole-message budget, issues included', async () => {
    const { blocksChars, LIMITS } = await import('../../blocks/limits');
    const long = (i: number) => `${'An ad group with a long & <descriptive> title '.repeat(2)}${i}`;
    const topAdGroups = Array.from({ length: 20 }, (_, i) => group(i, { title: long(i), campaignTitle: long(i) }));
    const issues: IssueGroup[] = Array.from({ length: 50 }, (_, i) => ({ message: `Issue ${i}`, entities: [ad(i, { title: long(i) })] }));
    const { main } = digestMessages(view({ topAdGroups, issues }), NOW);
    expect(blocksChars(main.blocks)).toBeLessThanOrEqual(LIMITS.messageBlocksChars - 1_500);
    expect(JSON.stringify(main.blocks)).toContain('Issue 0:'.slice(0, 7));
    expect(blockKitProblems(main.blocks, 'message')).toEqual([]);
  });
});

describe('scheduled digest failure notice', () => {
  const run = { since: new Date('2026-11-25T14:00:00Z'), timeZone: 'America/New_York' };
  const next = new Date('2026-11-26T14:00:00Z');

  it('says in plain words that the digest could not be built, why, and when the next try is', () => {
    const notice = digestNotBuilt({ ...run, failures: 1, next, failure: { kind: 'bad_key', message: 'Whop rejected the bot’s API key. An admin needs to check WHOP_API_KEY.' } });
    expect(notice.text).toBe("I could not build today's digest: Whop rejected the bot’s API key. An admin needs to check WHOP_API_KEY.");
    expect(allText(notice.blocks)).toContain(
      "*I could not build today's digest*: Whop rejected the bot’s API key. An admin needs to check WHOP_API_KEY. I will try again at the next scheduled time (Nov 26, 09:00 EST).",
    );
    expect(allText(notice.blocks)).not.toContain('failed');
    expect(blockKitProblems(notice.blocks, 'message')).toEqual([]);
  });

  it('speaks of Whop not answering, not of trying again in a minute, and counts a run of failures', () => {
    const notice = digestNotBuilt({ ...run, failures: 3, next: null, failure: { kind: 'unavailable', message: 'Whop is not answering right now. Try again in a few minutes.' } });
    expect(allText(notice.blocks)).toContain('digest*: Whop is not answering. I will try again at the next scheduled time. It failed 3 times in a row since Nov 25, 09:00 EST.');
  });

  it('escapes what Whop said and stays within Slack’s limits however long it is', () => {
    const notice = digestNotBuilt({ ...run, failures: 1, next, failure: { kind: 'invalid', message: `Whop refused: <!channel> ${'x'.repeat(5_000)}.` } });
    expect(notice.text).not.toMatch(/<!/);
    expect(allText(notice.blocks)).toContain('&lt;!channel&gt;');
    expect(blockKitProblems(notice.blocks, 'message')).toEqual([]);
    expect(notice.text.length).toBeLessThanOrEqual(3_000);
  });

  it('closes in place once a digest posts again', () => {
    const closed = digestBuiltAgain({ ...run, failures: 2, at: next });
    expect(closed.text).toBe('The digest posts again');
    expect(allText(closed.blocks)).toContain('*The digest posts again* since Nov 26, 09:00 EST. It could not be built 2 times in a row, from Nov 25, 09:00 EST.');
  });
});
