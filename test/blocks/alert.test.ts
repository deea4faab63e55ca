import { describe, expect, it } from 'vitest';
import { alertMessage, whopUnreachable, withSnooze } from '../../blocks/alert';
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
  { key: 'roas:x', rule: 'roas', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], roas: 0.8, limit: 1.5, spend: 300, currency: currencyOf('usd') },
  { key: 'nodelivery:x', rule: 'no_delivery', entities: [{ kind: 'ad_group', id: 'adgrp_1', title: 'G', status: 'active' }], hours: 6 },
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

  it('no change, no section; a resolved alert names none', () => {
    const list = [change(0)];
    expect(json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, changes: { hours: 48, list: [] } }).blocks)).not.toContain('Changed in the last');
    expect(json(alertMessage({ problem, openedAt: opened, timeZone: TZ, sandbox: false, resolvedAt: opened, changes: { hours: 48, list } }).blocks)).not.toContain(
      'Changed in the last',
    );
  });
});
