// The real bot on its built-in sandbox (WHOP_SANDBOX=1), driven over signed requests through everything a person
// can do: every message the fake Slack receives (posts, updates, ephemeral answers, command replies) and every form
// says it is sandbox data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import { SANDBOX_MARK } from '../../blocks/sandbox-mark';
import { FAILURES_BEFORE_NOTICE } from '../../src/alerts/check';
import { type AdGroupRecord, addIssue, demoAccount } from '../../src/sandbox';
import { waitFor } from '../security/support';
import { blockActionPayload, blockActionsBody } from '../support/slack-request';
import { HARNESS_NOW, Harness } from './harness';

const DIGESTS = 'C0DIGEST';
const ALERTS = 'C0ALERTS';
const CHECKED = 'C0CHECKED';
const USER = 'U0MARIA';

// The first alert is checked when the test says (Harness.checkAlerts, as the scheduler would); the second every
// second by the bot's own scheduler, on its own sandbox. Digests only when asked.
const YAML = [
  'timezone: America/New_York',
  'budget:',
  '  max_amount: 100000',
  '  confirm_change_pct: 50',
  'alerts:',
  `  - channel: ${CHECKED}`,
  '    schedule: "0 0 1 1 *"',
  '    rules:',
  '      new_issues: true',
  `  - channel: ${ALERTS}`,
  '    schedule: "* * * * * *"',
  '    rules:',
  '      new_issues: true',
].join('\n');

/** What reached the fake Slack that people see: Web API calls that show something, and respond() answers. */
const SHOWN = /^(chat\.(postMessage|postEphemeral|update|scheduleMessage)|views\.(open|update|push))$/;

let h: Harness;
/** The bot's sandbox is seeded as the demo account is: the same ids, at the same clock. */
const account = demoAccount({ now: () => HARNESS_NOW });
/** Command replies and form answers, which travel back in the HTTP answer rather than through the Web API. */
const answers: { what: string; body: unknown }[] = [];

beforeAll(async () => {
  h = await Harness.start({ yaml: YAML, env: { WHOP_SANDBOX: '1' } });
}, 30_000);
afterAll(async () => {
  await h?.stop();
});

const json = (x: unknown) => JSON.stringify(x) ?? '';
const daily = (): AdGroupRecord => account.adGroups.find((g) => g.budget_amount !== null && g.budget_type === 'daily' && g.status === 'active')!;

async function command(command: '/adgroup' | '/ads', text: string) {
  const sent = await h.command(command, text, USER, DIGESTS);
  expect(sent.status).toBe(200);
  if (sent.body) answers.push({ what: `${command} ${text}`, body: JSON.parse(sent.body) });
  return sent;
}

/** The respond() answers to a command or click, once there are `count`. */
const repliesTo = (responseUrl: string, count = 1) => h.responsesTo(responseUrl, count, 10_000);

async function clickIn(blocks: unknown[], actionId: string) {
  const click = await h.clickIn(blocks, actionId, USER, DIGESTS);
  expect(click.status).toBe(200);
  return click;
}

async function submit(viewId: string, amount: string) {
  const answer = await h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: amount } }, USER);
  expect(answer.status).toBe(200);
  if (answer.body) answers.push({ what: `form: ${amount}`, body: JSON.parse(answer.body) });
}

const waitForCall = (what: (c: { method: string; ok: boolean; args: Record<string, unknown> }) => boolean) => h.slack.waitFor(what, 10_000);

describe('on the sandbox', () => {
  it('every message and form the bot shows carries the sandbox mark', async () => {
    const group = daily();

    // Asking for help and for what the bot does not know: the replies in the command's answer.
    await command('/adgroup', '');
    await command('/ads', 'nonsense');
    await command('/adgroup', `budget ${group.id} lots`);

    // The digest, posted where it was asked for, and a row paused from it: the row update and the thread's audit line.
    await command('/ads', 'digest');
    const digest = await waitForCall((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === DIGESTS && !c.args.thread_ts);
    const ts = h.slack.messages(DIGESTS).find((m) => json(m.blocks).includes('Ads digest'))!.ts;
    const paused = account.adGroups.find((g) => g.status === 'active' && json(digest.args.blocks).includes(`"value":"${g.id}"`))!;
    await h.click({ user: USER, channel: DIGESTS, ts, value: paused.id, actionId: 'ad_group.pause' });
    await waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts);
    // Unpaused while Slack refuses the update: the failure notice.
    h.slack.failNext('chat.update', 1, 'message_not_found');
    const unpause = await h.click({ user: USER, channel: DIGESTS, ts, value: paused.id, actionId: 'ad_group.unpause' });
    expect(unpause.status).toBe(200);
    await waitForCall((c) => c.method === 'chat.update' && !c.ok);
    await waitFor(() => h.slack.responses.some((r) => json(r.body).includes('did not let me update')), 10_000, 'the failure notice');

    // A search, a card opened from it, shared in the channel, and a button the bot does not know.
    const search = await command('/adgroup', 'gift guide');
    const [results] = await repliesTo(search.responseUrl);
    const open = await clickIn(results!.blocks!, 'ad_group.open');
    const [card] = await repliesTo(open.responseUrl);
    await clickIn(card!.blocks!, 'ad_group.share');
    await waitForCall((c) => c.method === 'chat.postMessage' && c.ok && json(c.args.blocks).includes('Shared by'));
    const forged = blockActionPayload({
      user: USER,
      channel: DIGESTS,
      message: { ts, blocks: [] },
      action: { action_id: 'ad.retire', block_id: 'forged', value: paused.id },
      response_url: h.slack.responseUrl(),
    });
    await h.send(blockActionsBody(forged));
    await repliesTo(forged.response_url as string);

    // Budgets by command: a small change with its Undo, a large one cancelled, a large one confirmed.
    const from = group.budget_amount!;
    const small = await command('/adgroup', `budget ${group.id} ${(from * 1.1).toFixed(2)}`);
    const [changed] = await repliesTo(small.responseUrl);
    expect(json(changed)).toContain('ad_group.budget.undo');
    const undo = await clickIn(changed!.blocks!, 'ad_group.budget.undo');
    await repliesTo(undo.responseUrl);
    let budget = from;
    for (const button of ['ad_group.budget.cancel', 'ad_group.budget.confirm']) {
      const large = await command('/adgroup', `budget ${group.id} ${(budget * 3).toFixed(2)}`);
      const [prompt] = await repliesTo(large.responseUrl);
      expect(json(prompt)).toContain(button);
      const decided = await clickIn(prompt!.blocks!, button);
      await repliesTo(decided.responseUrl);
      if (button === 'ad_group.budget.confirm') budget = Number((budget * 3).toFixed(2));
    }

    // The Edit budget form: loading, the form, a refused amount, a small change saved, a large one confirmed.
    const lookup = await command('/adgroup', group.id);
    const [own] = await repliesTo(lookup.responseUrl);
    const toldUndo = () => h.slack.callsTo('chat.postEphemeral').filter((c) => c.ok && json(c.args.blocks).includes('ad_group.budget.undo')).length;
    for (const amount of ['small', 'large'] as const) {
      const [views, told] = [h.slack.callsTo('views.update').length, toldUndo()];
      await clickIn(own!.blocks!, 'ad_group.budget.edit');
      await waitFor(() => h.slack.callsTo('views.update').length > views, 10_000, 'the form');
      const viewId = h.slack.views().at(-1)!.id;
      await submit(viewId, 'lots');
      budget = Number((amount === 'small' ? budget * 1.1 : budget * 3).toFixed(2));
      await submit(viewId, budget.toFixed(2));
      if (amount === 'large') {
        await waitForCall((c) => c.method === 'views.update' && json(c.args.view).includes('ad_group.budget.modal_confirm'));
        const confirm = h.slack.views().find((v) => v.id === viewId)!;
        const answer = await h.submitView(confirm.id, {}, USER);
        answers.push({ what: 'form: confirm', body: JSON.parse(answer.body) });
      }
      await waitFor(() => toldUndo() > told, 10_000, `the ${amount} change's message`);
    }

    // An alert the bot's scheduler posted for one of the sandbox's open issues, snoozed.
    const alert = await waitForCall((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === ALERTS);
    const alertTs = h.slack.messages(ALERTS).find((m) => m.text === alert.args.text)!.ts;
    const snooze = h.clickBody({
      user: USER,
      channel: ALERTS,
      ts: alertTs,
      value: String(json(alert.args.blocks).match(/"alert\.snooze\.1h","value":"([^"]+)"/)![1]),
      actionId: 'alert.snooze.1h',
    });
    await h.send(snooze.body);
    await waitFor(() => h.slack.responses.some((r) => json(r.body).includes('Snoozed until')), 10_000, 'the snooze answer');

    // An issue on two active ads: Pause all, its row updates and thread line. Then Whop down for a few checks: the
    // channel's notice, and its update once Whop answers again.
    const ads = account.ads.filter((a) => a.status === 'active').slice(0, 2);
    for (const ad of ads) addIssue(h.sandbox.account, ad.id, 'Policy: misleading claims in the headline');
    await h.checkAlerts();
    const wide = h.slack.messages(CHECKED).find((m) => json(m.blocks).includes('misleading claims'))!;
    const key = String(json(wide.blocks).match(/"alert\.pause_all","value":"([^"]+)"/)![1]);
    await h.send(h.clickBody({ user: USER, channel: CHECKED, ts: wide.ts, value: key, actionId: 'alert.pause_all' }).body);
    await waitForCall((c) => c.method === 'chat.postMessage' && c.args.thread_ts === wide.ts);
    h.sandbox.faults.failNext(1_000, 503);
    for (let i = 0; i < FAILURES_BEFORE_NOTICE; i++) await h.checkAlerts();
    h.sandbox.faults.reset();
    await h.checkAlerts();
    expect(json(h.slack.messages(CHECKED))).toContain('Whop answers again');

    const shown = [
      ...h.slack.calls.filter((c) => SHOWN.test(c.method)).map((c) => ({ what: c.method, body: c.args })),
      ...h.slack.responses.map((r) => ({ what: `respond ${r.url}`, body: r.body })),
      ...answers.filter((a) => a.body !== null && typeof a.body === 'object' && ('text' in a.body || 'view' in a.body)),
    ];
    // Everything a person can be shown went by: posts, updates, ephemeral answers, forms, command replies.
    const kinds = new Set(shown.map((s) => s.what.split(' ')[0]));
    expect([...kinds].sort()).toEqual(['/adgroup', '/ads', 'chat.postEphemeral', 'chat.postMessage', 'chat.update', 'form:', 'respond', 'views.open', 'views.update']);
    expect(shown.filter((s) => !json(s.body).includes(SANDBOX_MARK))).toEqual([]);
  }, 60_000);
});
