import { describe, expect, it } from 'vitest';
import { alertMessage, groupedAlert, problemLine, RETRY_PAYMENT_ACTION, replaceLine, whopUnreachable, withPaymentRetry, withSnooze } from '../../blocks/alert';
import { blocksChars, LIMITS } from '../../blocks/limits';
import { currencyOf } from '../../src/currency';
import type { Problem, RecentChange } from '../../src/model';
import { blockKitProblems } from '../support/block-kit-rules';

const TZ = 'America/New_York';
const opened = new Date('2026-11-25T14:00:00Z');
const ad = (i: number, title = `Ad ${i}`) => ({ kind: 'ad' as const, id: `ad_${i}`, title, status: 'active' });
const json = (x: unknown) => JSON.stringify(x);

const problems: Problem[] = [
  { key: 'issue:1', rule: 'issue', message: 'Policy <!channel> & co', entities: Array.from({ length: 40 }, (_, i) => ad(i, `<@U${i}> ${'t'.repeat(100)}`)) },
  { key: 'rejected:ad_1', rule: 'rejected', entities: [ad(1)] },
  {
    key: 'pacing:x',
    rule: 'pacing',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }],
    spend: 90,
    budget: 100,
    currency: currencyOf('usd'),
    pct: 80,
    before: '15:00',
  },
  {
    key: 'cpr:x',
    rule: 'cost_per_result',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }],
    costPerResult: 31.5,
    limit: 25,
    currency: currencyOf('eur'),
  },
  {
    key: 'roas:x',
    rule: 'roas',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }],
    roas: 0.8,
    limit: 1.5,
    spend: 300,
    currency: currencyOf('usd'),
    settleHours: 3,
  },
  { key: 'nodelivery:x', rule: 'no_delivery', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], hours: 6, settleHours: 3 },
  {
    key: 'anomaly:spend:adgrp_1:2026-11-24',
    rule: 'anomaly',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: '<!channel> Lookalike & co', status: 'active' }],
    metric: 'spend',
    value: 132,
    usualLow: 40,
    usualHigh: 55,
    mean: 47.5,
    sigma: 14.2,
    weeks: 4,
    at: { weekday: 2, hour: 10 },
    from: 0,
    currency: currencyOf('usd'),
  },
  {
    key: 'forecast:over:adcamp_1:2026-11-24',
    rule: 'forecast',
    entities: [{ kind: 'ad_campaign', id: 'adcamp_1', title: 'Black Friday', status: 'active' }],
    direction: 'over',
    soFar: 52,
    projected: 140,
    low: 120,
    high: 165,
    budget: 100,
    at: { weekday: 2, hour: 13 },
    currency: currencyOf('eur'),
  },
  {
    key: 'delivery:payment_failed:adcamp_1',
    rule: 'delivery_status',
    status: 'payment_failed',
    entities: [{ kind: 'ad_campaign', id: 'adcamp_1', title: 'Brand <!channel> & co', status: 'active' }],
    whopSays: ['Payment failed: <@U1> card declined & more', ...Array.from({ length: 5 }, (_, i) => `${'x'.repeat(3000)} ${i}`)],
  },
  {
    key: 'delivery:learning_limited:adgrp_1',
    rule: 'delivery_status',
    status: 'learning_limited',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }],
    whopSays: [],
  },
  {
    key: 'delivery:all_ads_rejected:adgrp_1',
    rule: 'delivery_status',
    status: 'all_ads_rejected',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }],
    whopSays: ['Ad rejected: <b>'],
  },
  {
    key: 'delivery:ad_groups_off:adcamp_1',
    rule: 'delivery_status',
    status: 'ad_groups_off',
    entities: [{ kind: 'ad_campaign', id: 'adcamp_1', title: 'C', status: 'active' }],
    whopSays: [],
  },
  {
    key: 'fatigue:adgrp_1',
    rule: 'fatigue',
    entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }],
    days: 3,
    frequency: { from: 1.5, to: 2.25 },
    ctr: { from: 0.02, to: 0.012 },
  },
];
const [paymentFailed, learningLimited, allRejected, groupsOff, fatigue] = problems.slice(-5) as Problem[];

describe('alert messages', () => {
  it.each(problems.map((p) => [p.rule, p] as const))('%s: within Slack limits, data escaped, snooze buttons carry the key', (_rule, problem) => {
    const { blocks, text } = alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, mention: '<!subteam^S1>' });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(text).toContain('<!subteam^S1>');
    const mrkdwn = json(blocks).replace(/"type":"plain_text","text":"(?:[^"\\]|\\.)*"/g, '');
    expect(mrkdwn).not.toMatch(/<!channel>|<@U\d/);
    expect(json(blocks)).toContain(`"action_id":"alert.snooze.1h","value":"${problem.key}"`);
  });

  it('an issue on many active ads offers Pause all with a confirmation', () => {
    const { blocks } = alertMessage({ problem: problems[0]!, openedAt: opened, timeZone: TZ, sandbox: false });
    expect(json(blocks)).toContain('"action_id":"alert.pause_all","value":"issue:1"');
    expect(json(blocks)).toContain('Pause all 40 ads');
    expect(json(blocks)).toContain('and 30 more');
  });

  it('states the numbers of metric rules in the account currency, today’s as so far', () => {
    expect(json(alertMessage({ problem: problems[3]!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('€31.50 per result so far today (limit €25.00)');
    expect(json(alertMessage({ problem: problems[2]!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain(
      '$90.00 so far today of its $100.00 daily budget (90%) before 15:00',
    );
  });

  it('a rolling window says it ends before the unsettled hours, and reads as before without them', () => {
    const headline = (problem: Problem) => json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false }).blocks);
    const [roas, idle] = [problems[4]!, problems[5]!];
    expect(headline(roas)).toContain('over the 3 days up to 3 hours ago (limit 1.5×)');
    expect(headline(idle)).toContain('had no impressions in the 6 hours up to 3 hours ago');
    expect(headline({ ...idle, hours: 1, settleHours: 1 } as Problem)).toContain('had no impressions in the 1 hour up to 1 hour ago');
    expect(headline({ ...roas, settleHours: 0 } as Problem)).toContain('over the last 3 days (limit');
    expect(headline({ ...idle, settleHours: 0 } as Problem)).toContain('had no impressions in the last 6 hours');
  });

  it('an anomaly says what is usual by that hour on that weekday, and today’s figure so far', () => {
    const text = alertMessage({ problem: problems[6]!, openedAt: opened, timeZone: TZ, sandbox: false }).text;
    expect(text).toContain('*Unusual spend*: *&lt;!channel&gt; Lookalike &amp; co*');
    expect(text).toContain('$132.00 so far today (by 10:00); usually $40.00–$55.00 by 10:00 on a Tuesday (past 4 Tuesdays; 14.2 σ above their mean)');
    const ctr = { ...problems[6]!, metric: 'ctr', value: 0.004, usualLow: 0.012, usualHigh: 0.015, sigma: -4 } as Problem;
    expect(alertMessage({ problem: ctr, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain(
      '*Unusual CTR*: *&lt;!channel&gt; Lookalike &amp; co* (ad group, :large_green_circle: Active) — 0.4% so far today (by 10:00); usually 1.2%–1.5% by 10:00 on a Tuesday (past 4 Tuesdays; 4 σ below their mean)',
    );
  });

  it('an anomaly of the trailing window names its hours: usual between them on that weekday, and today’s', () => {
    const window = { ...problems[6]!, value: 37, usualLow: 8, usualHigh: 11, from: 7 } as Problem;
    expect(alertMessage({ problem: window, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain(
      '— usually $8.00–$11.00 between 07:00 and 10:00 on a Tuesday; today $37.00 (past 4 Tuesdays; 14.2 σ above their mean)',
    );
  });

  it('a span reaching back over midnight, or a trend of many hours, is named by its length and the hour it ends', () => {
    const late = { ...problems[6]!, value: 37, usualLow: 8, usualHigh: 11, from: 20, hours: 6, at: { weekday: 1, hour: 2 } } as Problem;
    expect(alertMessage({ problem: late, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain(
      '— usually $8.00–$11.00 in the 6 hours up to 02:00 on a Monday; this time $37.00 (past 4 Mondays; 14.2 σ above their mean)',
    );
    const trend = { ...problems[6]!, value: 37, usualLow: 8, usualHigh: 11, from: 10, hours: 24 } as Problem;
    expect(alertMessage({ problem: trend, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain('usually $8.00–$11.00 in the 24 hours up to 10:00 on a Tuesday');
    // Within today, the same wording as before the spans could cross midnight.
    const window = { ...problems[6]!, from: 7, hours: 3 } as Problem;
    expect(alertMessage({ problem: window, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain('between 07:00 and 10:00 on a Tuesday; today');
  });

  it('a forecast names the projection, its range and the daily budget, in the account currency', () => {
    const text = alertMessage({ problem: problems[7]!, openedAt: opened, timeZone: TZ, sandbox: false }).text;
    expect(text).toContain('*On course to overspend*');
    expect(text).toContain('has spent €52.00 so far today (by 13:00) and is on course for €140.00 (range €120.00–€165.00) of its €100.00 daily budget (140%)');
    const under = { ...problems[7]!, direction: 'under', projected: 40, low: 40, high: 40 } as Problem;
    expect(alertMessage({ problem: under, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain('*On course to underspend*');
    expect(alertMessage({ problem: under, openedAt: opened, timeZone: TZ, sandbox: false }).text).toContain('on course for €40.00 (range €40.00) of its');
  });

  it('resolved: says when, keeps what it was about, and has no buttons', () => {
    const { blocks } = alertMessage({ problem: problems[1]!, openedAt: opened, timeZone: TZ, sandbox: false, resolvedAt: new Date('2026-11-25T19:05:00Z') });
    expect(json(blocks)).toContain(':white_check_mark: *Resolved* · 14:05');
    expect(json(blocks)).not.toContain('"button"');
  });

  it('snoozing adds one line and replaces an earlier one', () => {
    const { blocks } = alertMessage({ problem: problems[1]!, openedAt: opened, timeZone: TZ, sandbox: false });
    const once = withSnooze(blocks, { by: 'U1', until: new Date('2026-11-25T15:00:00Z') }, TZ);
    const twice = withSnooze(once, { by: 'U2', until: new Date('2026-11-26T14:00:00Z') }, TZ);
    expect(json(twice)).toContain(':zzz: Snoozed by <@U2> until Nov 26, 09:00 EST');
    expect(json(twice)).not.toContain('<@U1>');
    expect(blockKitProblems(twice, 'message')).toEqual([]);
  });

  it('snoozed until it recovers: says so, and its resolution says it recovered and who waited for it', () => {
    const snooze = { by: 'U1', until: null };
    const { blocks } = alertMessage({ problem: problems[3]!, openedAt: opened, timeZone: TZ, sandbox: false });
    expect(json(blocks)).toContain('"action_id":"alert.snooze.recovered","value":"cpr:x"');
    expect(json(withSnooze(blocks, snooze, TZ))).toContain(':zzz: Snoozed by <@U1> until it recovers');
    const resolved = alertMessage({ problem: problems[3]!, openedAt: opened, timeZone: TZ, sandbox: false, snooze, resolvedAt: new Date('2026-11-25T19:05:00Z') });
    expect(json(resolved.blocks)).toContain(':white_check_mark: *Resolved* · 14:05 · recovered, as <@U1> snoozed it to wait for');
  });

  it('Whop’s delivery states say what is wrong and what to do, with Whop’s own words escaped, three at most', () => {
    const failed = json(alertMessage({ problem: paymentFailed!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks);
    expect(failed).toContain('*Payment failed*: *Brand &lt;!channel&gt; &amp; co* (campaign');
    expect(failed).toContain('Meta could not charge the card on file. Update the payment method in Whop, then press Retry payment.');
    expect(failed).toContain('Whop says: Payment failed: &lt;@U1&gt; card declined &amp; more');
    expect(failed.match(/Whop says:/g)).toHaveLength(3);
    expect(failed).toContain('… and 3 more');
    expect(json(alertMessage({ problem: learningLimited!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('*Learning limited*');
    expect(json(alertMessage({ problem: allRejected!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('Whop says: Ad rejected: &lt;b&gt;');
    expect(json(alertMessage({ problem: groupsOff!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('every ad group in it is paused or off');
    expect(json(alertMessage({ problem: fatigue!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain(
      'over the last 3 days the people *G* (ad group, :large_green_circle: Active) reaches saw its ads more often (frequency 1.5 → 2.25) and clicked less (CTR 2% → 1.2%)',
    );
  });

  it('only a payment_failed alert has Retry payment, carrying the campaign id, behind a confirmation', () => {
    const failed = json(alertMessage({ problem: paymentFailed!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks);
    expect(failed).toContain(`"action_id":"${RETRY_PAYMENT_ACTION}","value":"adcamp_1"`);
    expect(failed).toContain('Retry the payment?');
    for (const other of problems.filter((p) => p !== paymentFailed)) {
      expect(json(alertMessage({ problem: other, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).not.toContain(RETRY_PAYMENT_ACTION);
    }
  });

  it('a retried payment says who and how it went; paid, the button goes, declined, it stays and a later retry replaces the line', () => {
    const { blocks } = alertMessage({ problem: paymentFailed!, openedAt: opened, timeZone: TZ, sandbox: false });
    const declined = withPaymentRetry(blocks, {
      by: 'U1',
      at: new Date('2026-11-25T15:00:00Z'),
      timeZone: TZ,
      paid: false,
      campaignId: 'adcamp_1',
      key: 'delivery:payment_failed:adcamp_1',
    });
    expect(json(declined)).toContain(':credit_card: <@U1> retried the payment at 10:00: the card was declined again.');
    expect(json(declined)).toContain(RETRY_PAYMENT_ACTION);
    const paid = withPaymentRetry(declined, {
      by: 'U2',
      at: new Date('2026-11-25T15:05:00Z'),
      timeZone: TZ,
      paid: true,
      campaignId: 'adcamp_1',
      key: 'delivery:payment_failed:adcamp_1',
    });
    expect(json(paid)).toContain(':credit_card: <@U2> retried the payment at 10:05: Whop charged the card');
    expect(json(paid)).not.toContain('<@U1>');
    expect(json(paid)).not.toContain(RETRY_PAYMENT_ACTION);
    expect(json(paid)).toContain('alert.snooze.1h');
    expect(blockKitProblems(paid, 'message')).toEqual([]);
  });

  it('in a grouped message, a paid retry changes only its own campaign’s line: the other failed payment keeps its button', () => {
    const other = { ...paymentFailed!, key: 'delivery:payment_failed:adcamp_2', entities: [{ kind: 'ad_campaign' as const, id: 'adcamp_2', title: 'Other', status: 'active' }] };
    const lines = [paymentFailed!, other, problems[3]!, problems[0]!].map((problem) => ({ problem, openedAt: opened, timeZone: TZ, sandbox: false }));
    const { blocks } = groupedAlert({ lines, total: 4, part: 0, timeZone: TZ, sandbox: false });
    const paid = withPaymentRetry(blocks, { by: 'U1', at: opened, timeZone: TZ, paid: true, campaignId: 'adcamp_1', key: 'delivery:payment_failed:adcamp_1' });
    const retryValues = paid
      .flatMap((b) => (b.type === 'actions' ? b.elements : []))
      .flatMap((e) => ('action_id' in e && e.action_id === RETRY_PAYMENT_ACTION && 'value' in e ? [e.value] : []));
    expect(retryValues).toEqual(['adcamp_2']);
    const saying = paid.filter((b) => json([b]).includes(':credit_card: <@U1> retried'));
    expect(saying.map((b) => b.block_id)).toEqual([expect.stringMatching(/^line\|delivery:payment_failed:adcamp_1\|/)]);
    expect(blockKitProblems(paid, 'message')).toEqual([]);
  });

  it('a paid retry drops an actions block the Retry payment button was alone in', () => {
    const alone = [
      {
        type: 'actions' as const,
        elements: [{ type: 'button' as const, text: { type: 'plain_text' as const, text: 'Retry payment' }, action_id: RETRY_PAYMENT_ACTION, value: 'adcamp_1' }],
      },
      { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: 'Open since today' }] },
    ];
    const paid = withPaymentRetry(alone, { by: 'U1', at: opened, timeZone: TZ, paid: true, campaignId: 'adcamp_1', key: 'delivery:payment_failed:adcamp_1' });
    expect(paid.map((b) => b.type)).toEqual(['context']);
    expect(blockKitProblems(paid, 'message')).toEqual([]);
  });

  it('the Whop notice names since when and why, and its resolution', () => {
    expect(json(whopUnreachable(opened, 3, 'Whop is not answering <now>', TZ).blocks)).toContain(
      'since Nov 25, 09:00 EST*: 3 checks in a row failed (Whop is not answering &lt;now&gt;)',
    );
    expect(whopUnreachable(opened, 3, '', TZ, new Date('2026-11-25T15:00:00Z')).text).toBe('Whop answers again');
  });
});

describe('grouped alerts', () => {
  const many = (n: number): Problem[] =>
    Array.from({ length: n }, (_, i) => ({
      ...problems[3]!,
      key: `cpr:adgrp_${i}`,
      entities: [{ kind: 'ad_group' as const, id: `adgrp_${i}`, title: `G${i}`, status: 'active' }],
    }));
  const views = (list: Problem[]) => list.map((problem) => ({ problem, openedAt: opened, timeZone: TZ, sandbox: false }));

  it('lists what fits within 50 blocks and the message budget, each with its buttons; the header says how many more are in the thread', () => {
    const issues = many(40);
    const first = groupedAlert({ lines: views(issues), total: 40, part: 0, timeZone: TZ, sandbox: true, mention: '<!subteam^S1>' });
    expect(first.shown).toBeGreaterThan(3);
    expect(first.shown).toBeLessThan(40);
    expect(first.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(blocksChars(first.blocks)).toBeLessThanOrEqual(LIMITS.messageBlocksChars);
    expect(blockKitProblems(first.blocks, 'message')).toEqual([]);
    expect(json(first.blocks)).toContain(`${40 - first.shown} more in the thread`);
    expect(json(first.blocks)).toContain(':test_tube:');
    expect(first.text.match(/<!subteam\^S1>/g)).toHaveLength(1);
    for (const problem of issues.slice(0, first.shown)) expect(json(first.blocks)).toContain(`"action_id":"ad_group.pause","value":"${problem.entities[0]!.id}"`);
    expect(json(first.blocks)).not.toContain(`"value":"${issues[first.shown]!.key}"`);
    const next = groupedAlert({ lines: views(issues.slice(first.shown)), total: 40, part: 1, timeZone: TZ, sandbox: false, mention: '<!subteam^S1>' });
    expect(json(next)).not.toContain('<!subteam^S1>');
    expect(json(next.blocks)).toContain(`"value":"${issues[first.shown]!.key}"`);
  });

  it('issues naming 40 ads each take more room: fewer fit, still within the limits', () => {
    const big = Array.from({ length: 10 }, (_, i) => ({ ...problems[0]!, key: `issue:${i}` }));
    const grouped = groupedAlert({ lines: views(big), total: 10, part: 0, timeZone: TZ, sandbox: false });
    expect(grouped.shown).toBeGreaterThan(0);
    expect(grouped.shown).toBeLessThan(groupedAlert({ lines: views(many(10)), total: 10, part: 0, timeZone: TZ, sandbox: false }).shown);
    expect(blockKitProblems(grouped.blocks, 'message')).toEqual([]);
  });

  it('one line is redrawn or snoozed in place; the other lines are untouched', () => {
    const [a, b, c] = many(3);
    const { blocks } = groupedAlert({ lines: views([a!, b!, c!]), total: 3, part: 0, timeZone: TZ, sandbox: false });
    const resolved = replaceLine(blocks, b!.key, problemLine({ problem: b!, openedAt: opened, timeZone: TZ, sandbox: false, resolvedAt: opened }));
    const lineText = (all: unknown[], key: string) => json(all.filter((x) => (x as { block_id?: string }).block_id?.startsWith(`line|${key}|`)));
    expect(lineText(resolved, b!.key)).toContain('*Resolved*');
    expect(lineText(resolved, b!.key)).not.toContain('"button"');
    expect(lineText(resolved, a!.key)).toBe(lineText(blocks, a!.key));
    expect(lineText(resolved, c!.key)).toBe(lineText(blocks, c!.key));
    expect(json(resolved).indexOf(a!.key)).toBeLessThan(json(resolved).indexOf(b!.key));
    expect(json(resolved).indexOf(b!.key)).toBeLessThan(json(resolved).indexOf(c!.key));

    const snoozed = withSnooze(blocks, { by: 'U2', until: null }, TZ, c!.key);
    expect(lineText(snoozed, c!.key)).toContain(':zzz: Snoozed by <@U2> until it recovers');
    expect(lineText(snoozed, a!.key)).not.toContain(':zzz:');
    expect(json(snoozed.at(-1))).not.toContain(':zzz:');
    expect(replaceLine(blocks, 'cpr:unknown', [])).toEqual(blocks);
  });
});

describe('pacing threshold', () => {
  it('spend exactly at the percentage of the daily budget fires', async () => {
    const { findProblems } = await import('../../src/alerts/problems');
    const group = { id: 'adgrp_1', title: 'G', status: 'active', budget_type: 'daily', budget_amount: 100, spend: 55, spend_currency: 'usd' };
    const seen = {
      now: new Date('2026-11-25T15:00:00Z'),
      timeZone: TZ,
      issues: [],
      entities: new Map(),
      campaigns: [],
      today: [group],
      lastThreeDays: [],
      recent: [],
      rejectedAds: [],
      rejectedAdGroups: [],
      days: [],
    };
    const rules = { new_issues: false, rejected: false, delivery_status: [], pacing: { pct_of_daily_budget: 55, before: '15:00' } };
    expect(findProblems(seen as never, rules, new Set()).problems).toHaveLength(1);
  });
});

describe('an alert naming recent changes', () => {
  const group = { kind: 'ad_group' as const, id: 'adgrp_1', title: 'Spring <!channel> & co', status: 'active' };
  const problem: Problem = { key: 'cpr:adgrp_1', rule: 'cost_per_result', entities: [group], costPerResult: 31.5, limit: 25, currency: currencyOf('usd') };
  const change = (i: number, over: Partial<RecentChange> = {}): RecentChange => ({
    at: new Date(opened.getTime() - i * 60_000),
    by: `U0P${i}`,
    entity: { kind: 'ad_group', id: 'adgrp_1', title: `${'<'.repeat(200)} ${i}` },
    change: { kind: 'budget', from: 100, to: 130, currency: currencyOf('usd') },
    undo: { kind: 'budget', pendingId: `pc_${'A'.repeat(21)}${i % 10}` },
    ...over,
  });

  it('names who raised the budget, by how much and when, escaped, with Undo', () => {
    const list = [change(0, { entity: { kind: 'ad_group', id: 'adgrp_1', title: group.title } })];
    const { blocks } = alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list } });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const shown = json(blocks);
    expect(shown).toContain('*Changed in the last 48 h*');
    expect(shown).toContain('<@U0P0> raised the budget of ad group *Spring &lt;!channel&gt; &amp; co* $100.00 → $130.00 (+30%) at Nov 25, 09:00 EST');
    expect(shown).toContain('"action_id":"alert.undo.budget:0","value":"pc_AAAAAAAAAAAAAAAAAAAAA0"');
  });

  it('with 50 changes: the newest five, how many more, one Undo each at most, within Slack limits', () => {
    const list = Array.from({ length: 50 }, (_, i) => change(i));
    // Also beside the longest alert there is: forty items with long titles, each with a button.
    for (const other of problems)
      expect(blockKitProblems(alertMessage({ problem: other, openedAt: opened, timeZone: TZ, sandbox: true, changes: { hours: 48, list } }).blocks, 'message')).toEqual([]);
    const { blocks } = alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list } });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    const shown = json(blocks);
    expect(shown.match(/raised the budget/g)).toHaveLength(5);
    expect(shown).toContain('and 45 more');
    expect(shown.match(/alert\.undo\.budget:/g)).toHaveLength(5);
  });

  it('a pause is undone by the opposite toggle, behind the same confirmation as any Pause; none when it cannot be undone', () => {
    const list = [
      change(0, { change: { kind: 'unpause' }, undo: { kind: 'toggle', verb: 'pause' } }),
      change(1, { entity: { kind: 'ad', id: 'ad_9', title: 'Hero' }, change: { kind: 'pause' }, undo: { kind: 'toggle', verb: 'unpause' } }),
      change(2, { undo: null }),
    ];
    const { blocks } = alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list } });
    const shown = json(blocks);
    expect(shown).toContain('<@U0P1> paused ad *Hero*');
    expect(shown).toContain('"action_id":"ad_group.pause:undo0","value":"adgrp_1","style":"danger","confirm"');
    expect(shown).toContain('"action_id":"ad.unpause:undo1","value":"ad_9"');
    expect(shown).not.toContain(':undo2');
  });

  it('says how the alert’s metric moved since the newest change, both figures and the hours each covers', () => {
    const list = [change(0), change(1, { change: { kind: 'pause' } })];
    const move = { metric: 'cost_per_result' as const, hours: 5, before: 30.5, since: 42.1, currency: currencyOf('usd') };
    const { blocks } = alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list, move } });
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(json(blocks)).toContain(
      ':chart_with_upwards_trend: *Cost per result +38%* since <@U0P0> raised the budget 30% at Nov 25, 09:00 EST ($42.10 in the 5 h since vs $30.50 in the 5 h before)',
    );
    // Only the newest change has a figure; without one the section is as before.
    expect(json(blocks).match(/ since vs /g)).toHaveLength(1);
    expect(json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list } }).blocks)).not.toContain(' since vs ');
  });

  it('writes each metric its own way, in the account’s currency; a pause names what was paused', () => {
    const eur = currencyOf('eur');
    const paused = [change(0, { change: { kind: 'pause' }, entity: { kind: 'ad', id: 'ad_9', title: 'Hero <b>' } })];
    const lowered = [change(0, { change: { kind: 'budget', from: 200, to: 150, currency: eur } })];
    const show = (list: RecentChange[], move: NonNullable<Parameters<typeof alertMessage>[0]['changes']>['move']) =>
      json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list, move } }).blocks);
    expect(show(lowered, { metric: 'cpm', hours: 3.2, before: 8, since: 6, currency: eur })).toContain(
      ':chart_with_downwards_trend: *CPM −25%* since <@U0P0> lowered the budget 25% at Nov 25, 09:00 EST (€6.00 in the 3 h since vs €8.00 in the 3 h before)',
    );
    expect(show(paused, { metric: 'ctr', hours: 2, before: 0.01, since: 0.0125, currency: eur })).toContain(
      '*CTR +25%* since <@U0P0> paused ad *Hero &lt;b&gt;* at Nov 25, 09:00 EST (1.25% in the 2 h since vs 1% in the 2 h before)',
    );
    expect(show(lowered, { metric: 'roas', hours: 4, before: 2, since: 2, currency: eur })).toContain(
      '*ROAS ±0%* since <@U0P0> lowered the budget 25% at Nov 25, 09:00 EST (2× in the 4 h since vs 2× in the 4 h before)',
    );
  });

  it('a change a rule made by itself is the rule’s, never a mention of a user called rule:…', () => {
    const list = [change(0, { by: 'rule:cost_per_result_above' }), change(1, { by: 'rule:<!channel>' })];
    const move = { metric: 'spend' as const, hours: 2, before: 50, since: 80, currency: currencyOf('usd') };
    const shown = json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list, move } }).blocks);
    expect(shown).toContain('*Spend +60%* since the `cost_per_result_above` rule raised the budget 30%');
    expect(shown).toContain('• the `cost_per_result_above` rule raised the budget of ad group');
    expect(shown).toContain('• the `&lt;!channel&gt;` rule raised');
    expect(shown).not.toContain('<@rule:');
  });

  it('the figure fits beside fifty changes with long titles, within Slack limits', () => {
    const list = Array.from({ length: 50 }, (_, i) => change(i, { by: `rule:${'k'.repeat(300)}` }));
    const move = { metric: 'cost_per_result' as const, hours: 719, before: 1e9, since: 3e9, currency: currencyOf('usd') };
    for (const other of [problem, ...problems]) {
      const { blocks } = alertMessage({ problem: other, openedAt: opened, timeZone: TZ, sandbox: true, changes: { hours: 720, list, move } });
      expect(blockKitProblems(blocks, 'message')).toEqual([]);
    }
  });

  it('no change, no section; a resolved alert names none', () => {
    const list = [change(0)];
    expect(json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list: [] } }).blocks)).not.toContain('Changed in the last');
    expect(json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, resolvedAt: opened, changes: { hours: 48, list } }).blocks)).not.toContain(
      'Changed in the last',
    );
  });
});
