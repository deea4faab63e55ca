import { describe, expect, it } from 'vitest';
import { alertMessage, RETRY_PAYMENT_ACTION, whopUnreachable, withPaymentRetry, withSnooze } from '../../blocks/alert';
import { currencyOf } from '../../src/currency';
import type { Problem } from '../../src/model';
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
  { key: 'roas:x', rule: 'roas', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], roas: 0.8, limit: 1.5, spend: 300, currency: currencyOf('usd') },
  { key: 'nodelivery:x', rule: 'no_delivery', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], hours: 6 },
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

  it('states the numbers of metric rules in the account currency', () => {
    expect(json(alertMessage({ problem: problems[3]!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('€31.50 per result today (limit €25.00)');
    expect(json(alertMessage({ problem: problems[2]!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('$90.00 of its $100.00 daily budget (90%) before 15:00');
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
    const declined = withPaymentRetry(blocks, { by: 'U1', at: new Date('2026-11-25T15:00:00Z'), timeZone: TZ, paid: false });
    expect(json(declined)).toContain(':credit_card: <@U1> retried the payment at 10:00: the card was declined again.');
    expect(json(declined)).toContain(RETRY_PAYMENT_ACTION);
    const paid = withPaymentRetry(declined, { by: 'U2', at: new Date('2026-11-25T15:05:00Z'), timeZone: TZ, paid: true });
    expect(json(paid)).toContain(':credit_card: <@U2> retried the payment at 10:05: Whop charged the card');
    expect(json(paid)).not.toContain('<@U1>');
    expect(json(paid)).not.toContain(RETRY_PAYMENT_ACTION);
    expect(json(paid)).toContain('alert.snooze.1h');
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
    const paid = withPaymentRetry(alone, { by: 'U1', at: opened, timeZone: TZ, paid: true });
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
    expect(findProblems(seen as never, rules, new Set())).toHaveLength(1);
  });
});
