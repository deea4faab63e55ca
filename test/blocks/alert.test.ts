import { describe, expect, it } from 'vitest';
import { alertMessage, whopUnreachable, withSnooze } from '../../blocks/alert';
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
];

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
      today: [group],
      lastThreeDays: [],
      recent: [],
      rejectedAds: [],
      rejectedAdGroups: [],
    };
    const rules = { new_issues: false, rejected: false, pacing: { pct_of_daily_budget: 55, before: '15:00' } };
    expect(findProblems(seen as never, rules, new Set()).problems).toHaveLength(1);
  });
});
