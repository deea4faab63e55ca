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
  { key: 'roas:x', rule: 'roas', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], roas: 0.8, limit: 1.5, spend: 300, currency: currencyOf('usd') },
  { key: 'nodelivery:x', rule: 'no_delivery', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], hours: 6 },
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

  it('states the numbers of metric rules in the account currency', () => {
    expect(json(alertMessage({ problem: problems[3]!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('€31.50 per result today (limit €25.00)');
    expect(json(alertMessage({ problem: problems[2]!, openedAt: opened, timeZone: TZ, sandbox: false }).blocks)).toContain('$90.00 of its $100.00 daily budget (90%) before 15:00');
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
    expect(findProblems(seen as never, rules, new Set())).toHaveLength(1);
  });
});
