// The Edit budget form over signed requests: Slack waits 3 s for the answer to a submission, so nothing that
// needs the network (who is in a user group, Whop) may come before it.
import { afterEach, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import { demoAccount, type SandboxAccount } from '../../src/sandbox';
import { Harness } from './harness';

const NOW = new Date('2026-11-25T15:42:00Z');
const OPERATORS = 'timezone: America/New_York\nbudget:\n  max_amount: 5000\n  confirm_change_pct: 50\naccess:\n  operators: [S0OPS]\n';
const SLACK_WAITS_MS = 3_000;
// Longer than Slack waits for the form's answer, and than one try of the bot's own client (3 s): its retry answers.
const GROUP_LOOKUP_MS = 4_000;

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const text = (x: unknown) => JSON.stringify(x);
const dailyGroup = (account: SandboxAccount) => account.adGroups.find((g) => g.budget_amount !== null && g.budget_type === 'daily' && g.status === 'active')!;

/** Opens the Edit budget form from the ad group's card, as the person would, and returns the open view's id. */
async function openForm(h: Harness, id: string, user: string): Promise<string> {
  const sent = await h.command('/adgroup', id, user);
  const [card] = await h.responsesTo(sent.responseUrl);
  await h.clickIn(card!.blocks!, 'ad_group.budget.edit', user);
  await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes(AMOUNT_INPUT));
  return h.slack.views().at(-1)!.id;
}

const viewText = (h: Harness, id: string) => text(h.slack.views().find((v) => v.id === id)?.view);

async function start(currency: 'usd' | 'eur') {
  const account = demoAccount({ currency, now: () => NOW });
  // The bot's own Slack client settings (3 s a try, two quick retries), as in production.
  harness = await Harness.start({ account, now: NOW, yaml: OPERATORS, userGroups: { S0OPS: ['U0MARIA'] }, clientOptions: {} });
  return { h: harness, group: dailyGroup(account) };
}

describe('Edit budget form, submitted while Slack is slow to list a user group', () => {
  it('an operator’s change is acknowledged within Slack’s 3 s, then applied and shown in the form', async () => {
    const { h, group } = await start('usd');
    const from = group.budget_amount!;
    const to = Math.round(from * 1.1 * 100) / 100;
    const viewId = await openForm(h, group.id, 'U0MARIA');
    h.slack.slowNext('usergroups.users.list', 1, GROUP_LOOKUP_MS);

    const saved = await h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: `${to} usd` } });
    expect(saved.status).toBe(200);
    expect(saved.ms).toBeLessThan(SLACK_WAITS_MS);
    expect(JSON.parse(saved.body)).toMatchObject({ response_action: 'update' });
    expect(viewText(h, viewId)).toContain('One moment');

    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes(':moneybag:'), 10_000);
    expect(group.budget_amount).toBe(to);
    expect(viewText(h, viewId)).toContain(`$${from.toFixed(2)} → *$${to.toFixed(2)}* daily`);
    const told = await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.ok);
    expect(text(told.args.blocks)).toContain('ad_group.budget.undo');
    expect(await h.auditFor(group.id)).toMatchObject([{ action: 'ad_group.budget', outcome: 'done', userId: 'U0MARIA', after: String(to) }]);
  });

  it('someone outside the operators’ group is acknowledged within 3 s, then refused in the form, nothing changed', async () => {
    const { h, group } = await start('usd');
    const from = group.budget_amount!;
    const viewId = await openForm(h, group.id, 'U0OTHER');
    h.slack.slowNext('usergroups.users.list', 1, GROUP_LOOKUP_MS);

    const saved = await h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: `${from + 1}` } }, 'U0OTHER');
    expect(saved.ms).toBeLessThan(SLACK_WAITS_MS);
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes('not allowed to change budgets'), 10_000);
    expect(group.budget_amount).toBe(from);
    expect(h.sandbox.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(await h.auditFor(group.id)).toMatchObject([{ action: 'ad_group.budget', outcome: 'refused', userId: 'U0OTHER' }]);
  });

  it('a large change on a eur account gets its confirming step in the form after the check, and Confirm applies it', async () => {
    const { h, group } = await start('eur');
    const from = group.budget_amount!;
    const viewId = await openForm(h, group.id, 'U0MARIA');
    expect(viewText(h, viewId)).toContain(`€${from.toFixed(2)}`);
    h.slack.slowNext('usergroups.users.list', 1, GROUP_LOOKUP_MS);

    const saved = await h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: `€${(from * 3).toFixed(2)}` } });
    expect(saved.ms).toBeLessThan(SLACK_WAITS_MS);
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes('need a confirmation'), 10_000);
    expect(group.budget_amount).toBe(from);

    const confirmed = await h.submitView(viewId, {});
    expect(confirmed.ms).toBeLessThan(SLACK_WAITS_MS);
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes(':moneybag:'), 10_000);
    expect(group.budget_amount).toBe(from * 3);
    expect(viewText(h, viewId)).toContain(`→ *€${(from * 3).toFixed(2)}*`);
  });

  it('closed right after Save, the person still hears the result in the channel', async () => {
    const { h, group } = await start('usd');
    const to = group.budget_amount! + 1;
    const viewId = await openForm(h, group.id, 'U0MARIA');
    h.slack.slowNext('usergroups.users.list', 1, 500);
    const saved = await h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: `${to}` } });
    h.slack.answerViewSubmission(viewId, '');
    expect(saved.status).toBe(200);
    const told = await h.slack.waitFor((c) => c.method === 'chat.postEphemeral' && c.ok && text(c.args.blocks).includes(':moneybag:'), 10_000);
    expect(told.args.user).toBe('U0MARIA');
    expect(group.budget_amount).toBe(to);
  });
});
