// An alert says what people changed through the bot lately on what it is about and on its parents, who and
// when, with an Undo that goes through the one guarded path like any other click.
import { afterEach, describe, expect, it } from 'vitest';
import { statsWindow } from '../../src/digest/window';
import { addIssue, demoAccount, type SandboxAccount } from '../../src/sandbox';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { HARNESS_NOW, Harness, WHOP_KEY } from './harness';

const CHANNEL = 'C0ALERTS';
const HOUR = 3_600_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const yaml = (rules: string) =>
  ['timezone: America/New_York', 'alerts:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', '    rules:', ...rules.split('\n').map((r) => `      ${r}`)].join('\n');

const text = (x: unknown) => JSON.stringify(x);
const alertOn = (h: Harness, id: string) => h.slack.messages(CHANNEL).find((m) => !m.thread_ts && text(m.blocks).includes(id));
const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const raised = (n: number) => Math.round(n * 1.1 * 100) / 100;

/** A budget change made with `/adgroup budget` by `user` at `at` on the bot's clock. */
async function changeBudget(h: Harness, id: string, to: number, user: string, at: Date) {
  h.now = at;
  const sent = await h.command('/adgroup', `budget ${id} ${to}`, user);
  const [answer] = await h.responsesTo(sent.responseUrl);
  expect(text(answer)).toContain(':moneybag:');
}

/** An active ad group with its own daily budget and a cost per result today, as Whop reports it at `now`. */
async function costlyGroup(h: Harness, account: SandboxAccount, now: Date) {
  const gateway = createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: h.sandbox.url, maxRetries: 0 }));
  const today = await gateway.adGroups({ ...statsWindow('today', now, 'America/New_York'), timeZone: 'America/New_York' });
  if (!today.ok) throw new Error(today.error.message);
  const found = today.value
    .filter((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount && g.results && g.cost_per_result !== null)
    .sort((a, b) => b.cost_per_result! - a.cost_per_result!)[0]!;
  return { record: account.adGroups.find((g) => g.id === found.id)!, costPerResult: found.cost_per_result! };
}

describe('an alert names what changed', () => {
  it('a budget raised with /adgroup hours before an alert on its ad group is named with who and when, and its Undo restores it once', async () => {
    const now = HARNESS_NOW;
    const account = demoAccount({ now: () => now });
    const probe = (harness = await Harness.start({ account }));
    const { record: group, costPerResult } = await costlyGroup(probe, account, now);
    await probe.stop();
    const h = (harness = await Harness.start({ account, yaml: yaml(`cost_per_result_above: { limit: ${costPerResult - 0.01}, min_spend: 0, min_impressions: 0 }`) }));
    const b0 = group.budget_amount!;
    const b1 = raised(b0);
    const b2 = raised(b1);
    // Beyond the default 48 hours: not named.
    await changeBudget(h, group.id, b1, 'U0ANA', new Date(now.getTime() - 60 * HOUR));
    await changeBudget(h, group.id, b2, 'U0MARIA', new Date(now.getTime() - 3 * HOUR));
    h.now = now;

    await h.checkAlerts(now);
    const alert = alertOn(h, group.id)!;
    expect(text(alert.blocks)).toContain('Cost per result too high');
    const shown = text(alert.blocks);
    expect(shown).toContain('Changed in the last 48 h');
    expect(shown).toContain(`<@U0MARIA> raised the budget of ad group *${group.title}* ${money(b1)} → ${money(b2)} (+10%) at Nov 24, 07:42 EST`);
    expect(shown).not.toContain('U0ANA');
    expect(shown).not.toContain(money(b0));

    const elements = (alert.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>).flatMap((b) => b.elements ?? []);
    const undo = elements.find((e) => e.action_id?.startsWith('alert.undo.budget'))!;
    expect(undo.value).toMatch(/^pc_/);
    const click = await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: alert.ts, value: undo.value!, actionId: undo.action_id });
    const [answer] = await h.responsesTo(click.payload.response_url as string);
    expect(answer).toMatchObject({ replace_original: false });
    expect(text(answer)).toContain(`${money(b2)} → *${money(b1)}*`);
    expect(group.budget_amount).toBe(b1);
    expect(text(alertOn(h, group.id)!.blocks)).toContain('Cost per result too high');
    // The thread may also hold the rest of a grouped first check; the Undo's line is the one naming who clicked.
    const logged = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts === alert.ts && String(c.args.text).includes('U0BOSS'));
    expect(String(logged.args.text)).toContain(`by <@U0BOSS>`);

    // The same Undo again changes nothing: it was used.
    const again = await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: alert.ts, value: undo.value!, actionId: undo.action_id });
    await h.responsesTo(again.payload.response_url as string);
    expect(group.budget_amount).toBe(b1);
    const patches = h.sandbox.requests.filter((r) => r.method === 'PATCH');
    expect(patches).toHaveLength(3);
    const undone = (await h.auditFor(group.id)).filter((r) => r.action === 'ad_group.budget.undo');
    expect(undone.map((r) => [r.outcome, r.userId, r.before, r.after])).toEqual([
      ['done', 'U0BOSS', String(b2), String(b1)],
      ['refused', 'U0BOSS', null, null],
    ]);
  });

  it('an Undo on a line of a grouped alert’s thread reply logs its line in that thread, where people see it', async () => {
    const now = HARNESS_NOW;
    const account = demoAccount({ now: () => now });
    const h = (harness = await Harness.start({ account, yaml: yaml('new_issues: true') }));
    await h.checkAlerts(now);
    const group = account.adGroups.find((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount)!;
    const b0 = group.budget_amount!;
    await changeBudget(h, group.id, raised(b0), 'U0MARIA', new Date(now.getTime() - HOUR));
    h.now = now;
    // So many problems, each naming the change with its Undo, that the rest of the message goes into its thread.
    for (let i = 0; i < 20; i++) addIssue(account, group.id, `Issue number ${i}: ${'audience too narrow for the bid set on it; '.repeat(10)}`);
    await h.checkAlerts(now);

    const root = h.slack.messages(CHANNEL).find((m) => !m.thread_ts && text(m.blocks).includes('Issue number'))!;
    const reply = h.slack.thread(CHANNEL, root.ts).find((m) => text(m.blocks).includes('alert.undo.budget'))!;
    const elements = (reply.blocks as Array<{ elements?: Array<{ action_id?: string; value?: string }> }>).flatMap((b) => b.elements ?? []);
    const undo = elements.find((e) => e.action_id?.startsWith('alert.undo.budget'))!;
    const click = await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: reply.ts, value: undo.value!, actionId: undo.action_id });
    await h.responsesTo(click.payload.response_url as string);
    expect(group.budget_amount).toBe(b0);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && String(c.args.text).includes('U0BOSS'));
    expect(h.slack.thread(CHANNEL, root.ts).filter((m) => String(m.text).includes('<@U0BOSS>'))).toHaveLength(1);
  });

  it('a change on the ad group of an ad is named on the ad’s alert, its title escaped', async () => {
    const now = HARNESS_NOW;
    const account = demoAccount({ now: () => now });
    const h = (harness = await Harness.start({ account, yaml: yaml('new_issues: true') }));
    const group = account.adGroups.find((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount && account.ads.some((a) => a.ad_group_id === g.id))!;
    group.title = 'Spring <!channel> & co';
    const ad = account.ads.find((a) => a.ad_group_id === group.id)!;
    const from = group.budget_amount!;
    await changeBudget(h, group.id, raised(from), 'U0MARIA', new Date(now.getTime() - 2 * HOUR));
    h.now = now;

    addIssue(account, ad.id, 'Landing page returns 404');
    await h.checkAlerts(now);
    const alert = h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes('Landing page returns 404'))!;
    const shown = text(alert.blocks);
    expect(shown).toContain(`<@U0MARIA> raised the budget of ad group *Spring &lt;!channel&gt; &amp; co* ${money(from)} → ${money(raised(from))}`);
    // Slack reads mentions only in mrkdwn; the Undo button's plain-text label may show the title as it is.
    const mrkdwn = (alert.blocks as Array<{ text?: { type: string; text: string } }>).flatMap((b) => (b.text?.type === 'mrkdwn' ? [b.text.text] : []));
    expect(mrkdwn.join('\n')).not.toContain('<!channel>');
  });

  it('a pause made from the alert is named when the alert is redrawn, and its Undo unpauses through the same path', async () => {
    const now = HARNESS_NOW;
    const account = demoAccount({ now: () => now });
    const h = (harness = await Harness.start({ account, yaml: yaml('new_issues: true') }));
    const [first, second] = account.ads.filter((a) => a.status === 'active');
    addIssue(account, first!.id, 'Frequency too high on these ads');
    await h.checkAlerts(now);
    const alert = h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes('Frequency too high'))!;
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts: alert.ts, value: first!.id, actionId: 'ad.pause' });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(first!.status).toBe('paused');

    // A second ad with the same issue: the alert is redrawn, naming the pause with its Undo.
    h.now = new Date(now.getTime() + HOUR);
    addIssue(account, second!.id, 'Frequency too high on these ads');
    h.slack.calls.length = 0;
    await h.checkAlerts(h.now);
    const redrawn = text(h.slack.messages(CHANNEL).find((m) => m.ts === alert.ts)!.blocks);
    expect(redrawn).toContain(`<@U0MARIA> paused ad *${first!.title}* at Nov 24, 10:42 EST`);
    expect(redrawn).toContain('"action_id":"ad.unpause:undo0"');

    h.slack.calls.length = 0;
    await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: alert.ts, value: first!.id, actionId: 'ad.unpause:undo0' });
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts === alert.ts);
    expect(first!.status).toBe('active');
    expect((await h.auditFor(first!.id)).map((r) => [r.action, r.outcome, r.userId])).toEqual([
      ['ad.pause', 'done', 'U0MARIA'],
      ['ad.unpause', 'done', 'U0BOSS'],
    ]);
  });
});
