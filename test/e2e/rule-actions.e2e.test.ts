// Rules that act, end to end: the real app and alert check against crafted sandbox ad groups, on a fixed clock.
import { afterEach, describe, expect, it } from 'vitest';
import { addCostlyGroup, emptyAccount } from '../support/acting-accounts';
import { blockActionPayload, blockActionsBody, type ClickedMessage } from '../support/slack-request';
import { HARNESS_NOW, Harness } from './harness';

const CHANNEL = 'C0RULES';
const HOUR = 3_600_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const text = (x: unknown) => JSON.stringify(x);
/** $432 a day, 50,000 impressions, no purchase: today's cost per result is all it spent, far over $40. */
const EXPENSIVE = { spend: 43_200, impressions: 50_000 };
const FROM = new Date(HARNESS_NOW.getTime() - 10 * 86_400_000);

const yaml = (rule: string, extra = '') =>
  [
    'timezone: America/New_York',
    'access:',
    '  operators: [U0BOSS, U0BO]',
    'alerts:',
    `  - channel: ${CHANNEL}`,
    '    schedule: "0 0 1 1 *"',
    extra,
    '    rules:',
    `      cost_per_result_above: { limit: 40, ${rule} }`,
  ].join('\n');

async function start(rule: string, groups: Array<{ id: string; title: string; budget?: number }>, extra = '') {
  let clock = HARNESS_NOW;
  const account = emptyAccount(() => clock);
  for (const g of groups) addCostlyGroup(account, { ...g, day: EXPENSIVE, from: FROM });
  const h = (harness = await Harness.start({ account, yaml: yaml(rule, extra) }));
  const at = (t: Date) => {
    clock = t;
    h.now = t;
  };
  return { h, account, at };
}

const alertOn = (h: Harness, id: string) => h.slack.messages(CHANNEL).find((m) => !m.thread_ts && text(m.blocks).includes(`"value":"${id}"`))!;
const messageAt = (h: Harness, ts: string) => h.slack.messages(CHANNEL).find((m) => m.ts === ts)!;
const group = (h: Harness, id: string) => h.sandbox.account.adGroups.find((g) => g.id === id)!;
const pauses = (h: Harness, id: string) => h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/ad_groups/${id}/pause`);

/** The firing id a rule button of the message carries. */
function ruleButton(h: Harness, ts: string, actionId: string): string {
  const message = h.slack.messages(CHANNEL).find((m) => m.ts === ts)!;
  const found = text(message.blocks).match(new RegExp(`"action_id":"${actionId.replace('.', '\\.')}","value":"([^"]+)"`));
  if (!found) throw new Error(`no ${actionId} in ${text(message.blocks)}`);
  return found[1]!;
}

async function clickRule(h: Harness, user: string, ts: string, actionId: string) {
  const value = ruleButton(h, ts, actionId);
  const click = await h.click({ user, channel: CHANNEL, ts, value, actionId });
  const [answer] = await h.responsesTo(click.payload.response_url as string);
  return answer!.text ?? '';
}

/** Approve clicked on an older copy of an alert (a screen Slack had not redrawn yet): the text answered to the clicker. */
async function approveOnCopy(h: Harness, user: string, message: ClickedMessage, value: string): Promise<string> {
  const url = h.slack.responseUrl();
  await h.send(
    blockActionsBody(
      blockActionPayload({ user, channel: CHANNEL, message, action: { action_id: 'rule_action.approve', value }, response_url: url, trigger_id: h.slack.triggerId() }),
    ),
  );
  return (await h.responsesTo(url))[0]?.text ?? '';
}

describe('rules that act, end to end', () => {
  it('auto pauses once and says what it did and why, with an Undo that works for operators and refuses once someone else changed it, naming them', async () => {
    const { h } = await start('action: pause, mode: auto', [
      { id: 'adgrp_Broad', title: 'Broad – US <b>' },
      { id: 'adgrp_Narrow', title: 'Narrow' },
    ]);
    await h.checkAlerts();
    expect(group(h, 'adgrp_Broad').status).toBe('paused');
    expect(pauses(h, 'adgrp_Broad')).toHaveLength(1);
    const broad = alertOn(h, 'adgrp_Broad');
    expect(text(broad.blocks)).toMatch(/Paused ad group \*Broad – US &lt;b&gt;\* at 10:42: cost per result \$\d+\.\d\d over the \$40\.00 limit on \$\d+\.\d\d spent/);
    expect(text(broad.blocks)).toContain('"action_id":"rule_action.undo"');
    // The alert offers to unpause what the rule paused.
    expect(text(broad.blocks)).toContain('"action_id":"ad_group.unpause"');

    // Someone who is not an operator: refused, nothing sent to Whop.
    const writes = h.sandbox.requests.filter((r) => r.method === 'POST').length;
    expect(await clickRule(h, 'U0STRANGER', broad.ts, 'rule_action.undo')).toContain('not allowed to undo what rules did');
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(writes);

    expect(await clickRule(h, 'U0BOSS', broad.ts, 'rule_action.undo')).toContain('Undone');
    expect(group(h, 'adgrp_Broad').status).toBe('active');
    expect(text(messageAt(h, broad.ts).blocks)).toMatch(/Undone by <@U0BOSS> at \d\d:\d\d: paused ad group/);
    expect(text(messageAt(h, broad.ts).blocks)).not.toContain('rule_action.undo');
    expect(text(messageAt(h, broad.ts).blocks)).toContain('"action_id":"ad_group.pause"');

    // Bo unpauses the other one from its alert; an Undo of the rule's pause then changes nothing and names him.
    const narrow = alertOn(h, 'adgrp_Narrow');
    const toggle = await h.click({ user: 'U0BO', channel: CHANNEL, ts: narrow.ts, value: 'adgrp_Narrow', actionId: 'ad_group.unpause' });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.args.ts === narrow.ts);
    expect(toggle.status).toBe(200);
    expect(group(h, 'adgrp_Narrow').status).toBe('active');
    expect(await clickRule(h, 'U0BOSS', narrow.ts, 'rule_action.undo')).toMatch(/^Not undone: <@U0BO> unpaused it at \d\d:\d\d/);
    expect(group(h, 'adgrp_Narrow').status).toBe('active');
    const audit = await h.auditFor('adgrp_Narrow');
    expect(audit.map((a) => [a.userId, a.action, a.outcome])).toEqual([
      ['rule:cost_per_result_above', 'ad_group.pause', 'done'],
      ['U0BO', 'ad_group.unpause', 'done'],
      ['U0BOSS', 'ad_group.unpause', 'refused'],
    ]);

    // Later checks, and a restart, act no more: both problems are still there, their firing is done.
    await h.checkAlerts();
    await h.restart();
    await h.checkAlerts(new Date(HARNESS_NOW.getTime() + HOUR));
    expect(pauses(h, 'adgrp_Broad')).toHaveLength(1);
    expect(pauses(h, 'adgrp_Narrow')).toHaveLength(1);
    expect(h.slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(2);
  });

  it('a problem back within cooldown_hours reopens its alert with a request of its own; the request of its first opening is over', async () => {
    const { h } = await start('action: pause, mode: approve', [{ id: 'adgrp_Back', title: 'Back' }], '    resolve_after_checks: 1');
    await h.checkAlerts();
    const alert = alertOn(h, 'adgrp_Back');
    const first = ruleButton(h, alert.ts, 'rule_action.approve');
    const before = messageAt(h, alert.ts);

    // Someone pauses it by hand: the rule no longer judges it, and the alert resolves.
    group(h, 'adgrp_Back').status = 'paused';
    await h.checkAlerts(new Date(HARNESS_NOW.getTime() + HOUR));
    expect(text(messageAt(h, alert.ts).blocks)).toContain('Resolved');
    // Back on: the same message opens again, asking afresh for this opening.
    group(h, 'adgrp_Back').status = 'active';
    await h.checkAlerts(new Date(HARNESS_NOW.getTime() + 2 * HOUR));
    const second = ruleButton(h, alert.ts, 'rule_action.approve');
    expect(second).not.toBe(first);
    expect(h.slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(1);

    // The first opening's request no longer stands: approving it changes nothing.
    // Clicked on a copy of the message from before it resolved.
    expect(await approveOnCopy(h, 'U0BOSS', before, first)).toContain('expired');
    expect(pauses(h, 'adgrp_Back')).toHaveLength(0);
    expect(await clickRule(h, 'U0BOSS', alert.ts, 'rule_action.approve')).toBe('Done: paused ad group *Back*.');
    expect(pauses(h, 'adgrp_Back')).toHaveLength(1);
  });

  it('a request whose alert resolved cannot be approved before the next check, even with the problem back: nothing changes', async () => {
    const { h } = await start('action: pause, mode: approve', [{ id: 'adgrp_Gone', title: 'Gone' }], '    resolve_after_checks: 1');
    await h.checkAlerts();
    const alert = alertOn(h, 'adgrp_Gone');
    const before = messageAt(h, alert.ts);
    group(h, 'adgrp_Gone').status = 'paused';
    await h.checkAlerts(new Date(HARNESS_NOW.getTime() + HOUR));
    expect(text(messageAt(h, alert.ts).blocks)).toContain('Resolved');
    // Unpaused by hand, and Approve clicked on a copy from before it resolved, before any check sees it back.
    group(h, 'adgrp_Gone').status = 'active';
    expect(await approveOnCopy(h, 'U0BOSS', before, ruleButton(h, before.ts, 'rule_action.approve'))).toContain('no longer stands');
    expect(pauses(h, 'adgrp_Gone')).toHaveLength(0);
    expect(group(h, 'adgrp_Gone').status).toBe('active');
  });

  it('approve does nothing until an operator approves (re-checked first); a stranger’s Approve changes nothing and calls Whop for nothing; Skip and expiry say so in place, and an expired request cannot be approved', async () => {
    const { h, at } = await start('action: pause, mode: approve, approve_within_hours: 4', [
      { id: 'adgrp_One', title: 'One' },
      { id: 'adgrp_Two', title: 'Two' },
      { id: 'adgrp_Three', title: 'Three' },
    ]);
    await h.checkAlerts();
    const one = alertOn(h, 'adgrp_One');
    expect(text(one.blocks)).toContain('proposes to pause ad group *One*');
    expect(text(one.blocks)).toContain('(operators only)');
    expect(text(one.blocks)).toContain('"action_id":"rule_action.approve"');
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(0);

    const before = h.sandbox.requests.length;
    expect(await clickRule(h, 'U0STRANGER', one.ts, 'rule_action.approve')).toContain('not allowed to approve');
    expect(h.sandbox.requests).toHaveLength(before);
    expect(group(h, 'adgrp_One').status).toBe('active');
    expect(text(messageAt(h, one.ts).blocks)).toContain('rule_action.approve');

    at(new Date(HARNESS_NOW.getTime() + 8 * 60_000));
    const before8 = structuredClone({ ts: one.ts, text: one.text, blocks: one.blocks });
    expect(await clickRule(h, 'U0BOSS', one.ts, 'rule_action.approve')).toContain('Done: paused ad group *One*');
    // A second Approve, clicked on the copy from before the first (a double click): says what was done, in sentences.
    expect(await approveOnCopy(h, 'U0BO', before8, ruleButton(h, one.ts, 'rule_action.undo'))).toMatch(
      /^Approved by <@U0BOSS> at 10:50: paused ad group \*One\*: .* rule\. Nothing more was changed\.$/,
    );
    expect(group(h, 'adgrp_One').status).toBe('paused');
    expect(pauses(h, 'adgrp_One')).toHaveLength(1);
    // The re-check read the rule's figures again before acting.
    expect(h.sandbox.requests.slice(before).some((r) => r.method === 'GET' && r.path === '/ad_groups')).toBe(true);
    expect(text(messageAt(h, one.ts).blocks)).toMatch(/Approved by <@U0BOSS> at 10:50: paused ad group \*One\*/);
    expect(text(messageAt(h, one.ts).blocks)).toContain('rule_action.undo');

    const two = alertOn(h, 'adgrp_Two');
    const twoFiring = ruleButton(h, two.ts, 'rule_action.skip');
    expect(await clickRule(h, 'U0BO', two.ts, 'rule_action.skip')).toContain('Skipped');
    expect(text(messageAt(h, two.ts).blocks)).toMatch(/Skipped by <@U0BO> at 10:50/);
    expect(text(messageAt(h, two.ts).blocks)).not.toContain('rule_action.approve');

    const three = alertOn(h, 'adgrp_Three');
    const stale = ruleButton(h, three.ts, 'rule_action.approve');
    const shown = structuredClone({ ts: three.ts, text: three.text, blocks: three.blocks });
    at(new Date(HARNESS_NOW.getTime() + 5 * HOUR));
    await h.checkAlerts();
    expect(text(messageAt(h, three.ts).blocks)).toContain('Expired at 14:42: nobody approved within 4 h');
    // Approve clicked on a copy of the message from before it expired (Slack had not redrawn it on that screen yet).
    const reads = h.sandbox.requests.length;
    expect(await approveOnCopy(h, 'U0BOSS', shown, stale)).toContain('This request expired at 14:42');
    expect(group(h, 'adgrp_Three').status).toBe('active');
    expect(pauses(h, 'adgrp_Three')).toHaveLength(0);
    expect(h.sandbox.requests.slice(reads).filter((r) => r.path.includes('adgrp_Three'))).toHaveLength(0);

    // One audit row per attempt: the refused and the approved click, the skip, the expiry, the click after it.
    const rows = async (id: string) => (await h.auditFor(id)).map((a) => [a.userId, a.action, a.outcome, a.reason]);
    expect(await rows('adgrp_One')).toEqual([
      ['U0STRANGER', 'ad_group.pause', 'refused', 'not_operator'],
      ['U0BOSS', 'ad_group.pause', 'done', null],
      ['U0BO', 'ad_group.pause', 'refused', 'change_used'],
    ]);
    expect(await rows(twoFiring)).toEqual([['U0BO', 'rule_action.skip', 'done', null]]);
    expect(await rows(stale)).toEqual([['rule:cost_per_result_above', 'rule_action.expire', 'done', null]]);
    expect(await rows('adgrp_Three')).toEqual([['U0BOSS', 'ad_group.pause', 'refused', 'change_expired']]);
  });

  it('over a day of hourly checks, max_actions_per_day holds the third action back and action_cooldown_hours a second one on the same ad group; the next day acts again', async () => {
    const extra = '    cooldown_hours: 0\n    resolve_after_checks: 1';
    const { h, account, at } = await start(
      'action: pause, mode: auto, max_actions_per_day: 2, action_cooldown_hours: 20',
      [
        { id: 'adgrp_A', title: 'A' },
        { id: 'adgrp_B', title: 'B' },
      ],
      extra,
    );
    for (let hour = 0; hour <= 24; hour++) {
      const now = new Date(HARNESS_NOW.getTime() + hour * HOUR);
      at(now);
      if (hour === 1) addCostlyGroup(account, { id: 'adgrp_C', title: 'C', day: EXPENSIVE, from: FROM });
      // 05:42 the next day: someone unpaused A in Whop, 19 hours after the rule paused it.
      if (hour === 19) group(h, 'adgrp_A').status = 'active';
      await h.checkAlerts(now);
    }
    const alerts = (title: string) => h.slack.messages(CHANNEL).filter((m) => !m.thread_ts && text(m.blocks).includes(`*${title}* (ad group`));
    expect(['adgrp_A', 'adgrp_B', 'adgrp_C'].map((id) => pauses(h, id).length)).toEqual([1, 1, 1]);
    // C: held on the first day; overnight it has no spend to judge, and back in the morning a new day's cap lets the rule act.
    const [firstC, secondC, ...moreC] = alerts('C');
    expect(moreC).toEqual([]);
    expect(text(firstC!.blocks)).toContain('Not acted: max_actions_per_day 2 reached for cost_per_result_above');
    expect(text(secondC!.blocks)).toMatch(/Paused ad group \*C\* at 0\d:42/);
    const [, againA, ...moreA] = alerts('A');
    expect(moreA).toEqual([]);
    expect(text(againA!.blocks)).toContain('Not acted: cost_per_result_above acted on it less than action_cooldown_hours (20 h) ago');
  });

  it('a time-boxed budget raise goes back after revert_after_hours, said in the alert’s thread; one changed meanwhile in Whop stays as it was changed', async () => {
    const { h, at } = await start('action: { scale_budget: { by_pct: 20 } }, mode: auto, revert_after_hours: 6', [
      { id: 'adgrp_E', title: 'E', budget: 100 },
      { id: 'adgrp_F', title: 'F', budget: 100 },
    ]);
    await h.checkAlerts();
    expect([group(h, 'adgrp_E').budget_amount, group(h, 'adgrp_F').budget_amount]).toEqual([120, 120]);
    const e = alertOn(h, 'adgrp_E');
    expect(text(e.blocks)).toContain('Raised the budget of ad group *E* $100.00 → $120.00 (+20%) at 10:42');
    expect(text(e.blocks)).toContain('back to $100.00 at 16:42');
    group(h, 'adgrp_F').budget_amount = 150;

    at(new Date(HARNESS_NOW.getTime() + 3 * HOUR));
    await h.checkAlerts();
    expect(group(h, 'adgrp_E').budget_amount).toBe(120);
    at(new Date(HARNESS_NOW.getTime() + 6 * HOUR));
    await h.checkAlerts();
    await h.checkAlerts();
    expect([group(h, 'adgrp_E').budget_amount, group(h, 'adgrp_F').budget_amount]).toEqual([100, 150]);
    const replies = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts);
    expect(replies.map((r) => r.args.thread_ts)).toEqual([e.ts, alertOn(h, 'adgrp_F').ts]);
    expect(String(replies[0]!.args.text)).toContain('Budget of ad group *E* back to $100.00 after 6 h');
    expect(String(replies[1]!.args.text)).toContain('Not put back: ad group *F* was changed outside this bot (now 150)');
    expect(text(messageAt(h, e.ts).blocks)).toContain('Put back at 16:42');
    expect((await h.auditFor('adgrp_E')).map((a) => [a.userId, a.before, a.after, a.outcome])).toEqual([
      ['rule:cost_per_result_above', '100', '120', 'done'],
      ['rule:cost_per_result_above', '120', '100', 'done'],
    ]);
  });
});
