import { describe, expect, it } from 'vitest';
import { alertMessage, groupedAlert, problemLine } from '../../blocks/alert';
import { LIMITS } from '../../blocks/limits';
import { firingText, notRevertedReply, notUndone, revertedReply, ruleLineBlocks, whyWords, withRuleLine } from '../../blocks/rule-action';
import { currencyOf } from '../../src/currency';
import type { Problem } from '../../src/model';
import type { Firing, FiringState } from '../../src/store/types';
import { blockKitProblems } from '../support/block-kit-rules';

const TZ = 'America/New_York';
const AT = new Date('2026-11-24T15:42:00Z');
const json = (x: unknown) => JSON.stringify(x);
const problem: Problem = {
  key: 'cpr:adgrp_1',
  rule: 'cost_per_result',
  entities: [{ kind: 'ad_group', id: 'adgrp_1', title: '<!channel> & Broad', status: 'active' }],
  costPerResult: 61,
  limit: 40,
  currency: currencyOf('usd'),
  spend: 180,
};
const firing = (state: FiringState, over: Partial<Firing> = {}): Firing => ({
  id: `C0ALERTS:cpr:adgrp_1:${AT.toISOString()}`,
  channel: 'C0ALERTS',
  alertKey: 'cpr:adgrp_1',
  rule: 'cost_per_result_above',
  mode: 'auto',
  entityKind: 'ad_group',
  entityId: 'adgrp_1',
  entityTitle: '<!channel> & Broad',
  plan: { kind: 'toggle', verb: 'pause', until: null },
  why: whyWords(problem),
  state,
  firedAt: AT,
  expiresAt: new Date(AT.getTime() + 4 * 3_600_000),
  actedAt: AT,
  actedBy: 'rule',
  revertAt: null,
  messageTs: '1.2',
  detail: null,
  ...over,
});
const STATES: FiringState[] = ['awaiting', 'acting', 'done', 'failed', 'held', 'skipped', 'expired', 'undone', 'reverted'];

describe('a rule’s line on its alert', () => {
  it('says what the rule did and why, in the words of the issue, titles escaped', () => {
    expect(firingText(firing('done'), TZ)).toBe(
      ':robot_face: Paused ad group *&lt;!channel&gt; &amp; Broad* at 10:42: cost per result $61.00 over the $40.00 limit on $180.00 spent · the `cost_per_result_above` rule',
    );
    expect(firingText(firing('done', { mode: 'approve', actedBy: 'U0ANA', actedAt: new Date(AT.getTime() + 8 * 60_000) }), TZ)).toMatch(
      /^:robot_face: Approved by <@U0ANA> at 10:50: paused/,
    );
    expect(firingText(firing('expired', { mode: 'approve' }), TZ)).toBe(
      ':hourglass: Expired at 14:42: nobody approved within 4 h (pause ad group *&lt;!channel&gt; &amp; Broad*).',
    );
    expect(firingText(firing('failed', { detail: 'Whop says <no>' }), TZ)).toContain('could not pause ad group *&lt;!channel&gt; &amp; Broad*: Whop says &lt;no&gt;');
  });

  it('budget changes name both amounts and the percentage; a time-boxed one says when it goes back', () => {
    const raise = firing('done', { plan: { kind: 'budget', from: 100, to: 120, currency: currencyOf('usd') }, revertAt: new Date(AT.getTime() + 6 * 3_600_000) });
    expect(firingText(raise, TZ)).toContain('Raised the budget of ad group *&lt;!channel&gt; &amp; Broad* $100.00 → $120.00 (+20%) at 10:42');
    expect(firingText(raise, TZ)).toContain('back to $100.00 at 16:42');
    expect(revertedReply(raise, raise.revertAt!, TZ)).toContain('back to $100.00 after 6 h');
    expect(notRevertedReply(raise, { userId: 'U0BO', at: AT }, null, TZ)).toContain('Not put back: <@U0BO> changed ad group');
    expect(notUndone({ userId: 'U0BO', action: 'ad_group.unpause', at: AT }, null, TZ)).toBe('Not undone: <@U0BO> unpaused it at 10:42. Nothing was changed.');
    expect(notUndone({ userId: 'rule:roas_below', action: 'ad_group.budget', at: AT }, null, TZ)).toContain('the `roas_below` rule changed it');
  });

  it('offers Approve and Skip while waiting, Undo once done, nothing after; each button carries the firing id only, within Slack’s limits', () => {
    for (const state of STATES) {
      const blocks = ruleLineBlocks({ firing: firing(state) }, TZ);
      expect(blockKitProblems(blocks, 'message')).toEqual([]);
      const ids = json(blocks).match(/"action_id":"[^"]+"/g) ?? [];
      expect(ids).toEqual(
        state === 'awaiting' ? ['"action_id":"rule_action.approve"', '"action_id":"rule_action.skip"'] : state === 'done' ? ['"action_id":"rule_action.undo"'] : [],
      );
      for (const value of json(blocks).match(/"value":"[^"]+"/g) ?? []) expect(value).toBe(`"value":"${firing(state).id}"`);
    }
    const long = firing('awaiting', { entityTitle: '&'.repeat(5000), why: '<'.repeat(5000), id: `C:${'k'.repeat(3000)}` });
    const blocks = ruleLineBlocks({ firing: long }, TZ);
    expect(blockKitProblems(blocks, 'message')).toEqual([]);
    expect(json(blocks)).not.toContain('<<');
    for (const b of blocks) if (b.type === 'actions') for (const e of b.elements) expect((e as { value: string }).value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
  });

  it('is redrawn in place in a single alert and in its line of a grouped one, leaving the rest as it was', () => {
    const single = alertMessage({ problem, openedAt: AT, timeZone: TZ, sandbox: false, rule: { firing: firing('awaiting') } }).blocks;
    const after = withRuleLine(single, ruleLineBlocks({ firing: firing('skipped', { actedBy: 'U0ANA' }) }, TZ));
    expect(after).toHaveLength(single.length - 1);
    expect(json(after)).toContain('Skipped by <@U0ANA>');
    expect(json(after)).not.toContain('rule_action.approve');
    expect(json(after.filter((b) => b.block_id !== 'rule-action'))).toBe(json(single.filter((b) => !b.block_id?.startsWith('rule-action'))));

    const other: Problem = { ...problem, key: 'cpr:adgrp_2', entities: [{ kind: 'ad_group', id: 'adgrp_2', title: 'Two', status: 'active' }] };
    const view = (p: Problem) => ({ problem: p, openedAt: AT, timeZone: TZ, sandbox: false, rule: { firing: firing('done', { alertKey: p.key }) } });
    const grouped = groupedAlert({ lines: [view(problem), view(other)], total: 2, part: 0, timeZone: TZ, sandbox: false }).blocks;
    const redrawn = withRuleLine(grouped, ruleLineBlocks({ firing: firing('undone', { detail: json({ by: 'U0ANA', at: AT.toISOString() }) }) }, TZ), 'cpr:adgrp_2');
    expect(json(redrawn.filter((b) => b.block_id?.startsWith('line|cpr:adgrp_1|')))).toBe(json(problemLine(view(problem))));
    expect(json(redrawn.filter((b) => b.block_id?.startsWith('line|cpr:adgrp_2|')))).toContain('Undone by <@U0ANA> at 10:42');
    expect(blockKitProblems(redrawn, 'message')).toEqual([]);
  });

  it('a rule that did not act says why in one context line', () => {
    const blocks = alertMessage({ problem, openedAt: AT, timeZone: TZ, sandbox: false, rule: { notActed: 'max_actions_per_day 10 reached for cost_per_result_above' } }).blocks;
    expect(json(blocks)).toContain('Not acted: max_actions_per_day 10 reached for cost_per_result_above');
  });

  it('a change a rule made, named on an alert, is the rule’s, never a mention of `rule:…`', () => {
    const changes = {
      hours: 48,
      list: [{ at: AT, by: 'rule:cost_per_result_above', entity: { kind: 'ad_group' as const, id: 'adgrp_1', title: 'G' }, change: { kind: 'pause' as const }, undo: null }],
    };
    const blocks = alertMessage({ problem, openedAt: AT, timeZone: TZ, sandbox: false, changes }).blocks;
    expect(json(blocks)).toContain('• the `cost_per_result_above` rule paused ad group *G*');
    expect(json(blocks)).not.toContain('<@rule:');
  });
});
