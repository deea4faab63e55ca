// An operator of one Whop account (not a global operator) trying to act on another's ads, by every path a signed
// request can take: the other account's channel, its buttons copied elsewhere, Home with forged metadata or values,
// forms naming the other's pending changes, and commands naming the other account.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT, CANCEL_ACTION, CONFIRM_ACTION, MODAL_CALLBACK, UNDO_ACTION } from '../../blocks/budget';
import { POST_DIGEST_CALLBACK, POST_DIGEST_CHANNEL_BLOCK, POST_DIGEST_CHANNEL_INPUT, POST_DIGEST_WINDOW_BLOCK, POST_DIGEST_WINDOW_INPUT } from '../../blocks/home';
import { RULE_APPROVE_ACTION, RULE_SKIP_ACTION } from '../../src/automation/rule-action';
import { demoAccount, moveToAccount, SANDBOX_ACCOUNT_ID, type SandboxAccount } from '../../src/sandbox';
import { awaitingFiring, HARNESS_NOW, Harness, namedAccounts, twoAccountsYaml } from '../e2e/harness';
import { blockActionPayload, blockActionsBody, viewActionPayload, viewSubmissionPayload } from '../support/slack-request';
import { sleep, waitFor } from './support';

const YAML = twoAccountsYaml('0 0 1 1 *');

let h: Harness;
let acme: SandboxAccount;
let globex: SandboxAccount;
beforeAll(async () => {
  const now = () => HARNESS_NOW;
  acme = { ...demoAccount({ now }), id: 'biz_acme1' };
  globex = { ...demoAccount({ now, currency: 'eur', seed: 2 }), id: 'biz_globex1' };
  h = await Harness.start({ yaml: YAML, ...namedAccounts({ acme, globex }) });
});
afterAll(async () => {
  await h?.stop();
});
beforeEach(() => {
  h.sandbox.requests.length = 0;
});

const text = (x: unknown) => JSON.stringify(x);
const writes = () => h.sandbox.requests.filter((r) => r.method !== 'GET');
const dailyGroup = (account: SandboxAccount, skip = 0) => account.adGroups.filter((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount !== null)[skip]!;
const ackText = (sent: { body: string }) => (JSON.parse(sent.body) as { text?: string }).text ?? '';
const send = (payload: object) => h.send(blockActionsBody(payload));

/** A click on a button with this action id and value, in a message of `channel` (the button copied or forged there). */
async function clickIn(channel: string, user: string, actionId: string, value: string) {
  const payload = blockActionPayload({
    user,
    channel,
    message: {
      ts: '1764000000.000100',
      blocks: [{ type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: 'x' } }] }],
    },
    action: { action_id: actionId },
    response_url: h.slack.responseUrl(),
  });
  const sent = await send(payload);
  return { ...sent, responseUrl: payload.response_url as string };
}

/** A click on a Home tab whose metadata (the account it shows) and button are the attacker's choice. */
const forgedHomeClick = (user: string, metadata: string, actionId: string, value: string) =>
  send(viewActionPayload({ user, view: { id: 'V0FORGED', hash: '1', type: 'home', blocks: [], private_metadata: metadata }, action: { action_id: actionId, value } }));

/** `/adgroup budget` by the account's own operator in its channel: a change over 50 % answers with Confirm / Cancel. */
async function askConfirmation(account: SandboxAccount, channel: string, user: string) {
  const group = dailyGroup(account);
  const asked = await h.command('/adgroup', `budget ${group.id} ${Math.round(group.budget_amount! * 3)}`, user, channel);
  const [prompt] = await h.responsesTo(asked.responseUrl);
  const confirm =
    JSON.stringify(prompt!.blocks).match(/"action_id":"ad_group\.budget\.confirm","value":"([^"]+)"/) ??
    JSON.stringify(prompt!.blocks).match(/"value":"([^"]+)","action_id":"ad_group\.budget\.confirm"/);
  expect(confirm, JSON.stringify(prompt)).not.toBeNull();
  return { group, prompt: prompt!, pendingId: confirm![1]! };
}

/** The answers sent to a response_url once the bot is done with a click (or none, after a short wait). */
async function answersOf(url: string) {
  await waitFor(() => h.slack.responses.some((r) => r.url === url), 5_000, 'an answer').catch(() => undefined);
  await sleep(100);
  return h.slack.responses.filter((r) => r.url === url).map((r) => text(r.body));
}

describe("an operator of acme against globex's ads", () => {
  it("a Pause copied from globex's digest into acme's channel is answered as an unknown id; nothing reaches Whop", async () => {
    const group = dailyGroup(globex);
    const click = await clickIn('C0ACME', 'U0ACME', 'ad_group.pause', group.id);
    expect(click.status).toBe(200);
    const [answer] = await answersOf(click.responseUrl);
    expect(answer).toContain(group.id);
    expect(answer).not.toContain(group.title);
    expect(writes()).toEqual([]);
    expect(group.status).toBe('active');
  });

  it("Home with forged metadata naming globex, or acme's Home with globex's ad group, pauses nothing", async () => {
    const group = dailyGroup(globex);
    await forgedHomeClick('U0ACME', 'globex', 'ad_group.pause', group.id);
    await forgedHomeClick('U0ACME', 'acme', 'ad_group.pause', group.id);
    await forgedHomeClick('U0ACME', 'acme', 'home.account:globex', 'globex');
    await sleep(400);
    expect(writes()).toEqual([]);
    expect(group.status).toBe('active');
    expect((await h.auditFor(group.id, 'globex')).map((r) => [r.userId, r.outcome])).toEqual([['U0ACME', 'refused']]);
  });

  it("Confirm and Cancel of globex's pending change: refused in globex's channel, unknown when copied to acme's, from Home or the form", async () => {
    const { group, pendingId } = await askConfirmation(globex, 'C0GLOBEX', 'U0GLOBEX');
    const before = group.budget_amount;
    const there = await clickIn('C0GLOBEX', 'U0ACME', CONFIRM_ACTION, pendingId);
    expect((await answersOf(there.responseUrl)).join()).toContain('not allowed');
    const copied = await clickIn('C0ACME', 'U0ACME', CONFIRM_ACTION, pendingId);
    expect((await answersOf(copied.responseUrl)).join()).not.toContain(String(before));
    await clickIn('C0ACME', 'U0ACME', CANCEL_ACTION, pendingId);
    await forgedHomeClick('U0ACME', 'acme', CONFIRM_ACTION, pendingId);
    await forgedHomeClick('U0ACME', 'globex', CONFIRM_ACTION, pendingId);
    // The form's submission naming the pending change: routed to globex by the store, refused by globex's operators.
    const form = viewSubmissionPayload({
      user: 'U0ACME',
      view: { id: 'V0FORM', callback_id: MODAL_CALLBACK, private_metadata: pendingId },
      values: { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: { type: 'plain_text_input', value: '1' } } },
    });
    await send(form);
    await sleep(400);
    expect(writes()).toEqual([]);
    expect(group.budget_amount).toBe(before);
    // Still usable by the one who asked: nothing above used it up.
    const own = await clickIn('C0GLOBEX', 'U0GLOBEX', CONFIRM_ACTION, pendingId);
    await h.responsesTo(own.responseUrl);
    await waitFor(() => group.budget_amount !== before, 5_000, 'the budget changed');
  });

  it("Undo of globex's budget change: refused in globex's channel and unknown when copied to acme's", async () => {
    const group = dailyGroup(globex, 1);
    const to = Math.round(group.budget_amount! * 1.1 * 100) / 100;
    const changed = await h.command('/adgroup', `budget ${group.id} ${to}`, 'U0GLOBEX', 'C0GLOBEX');
    const [done] = await h.responsesTo(changed.responseUrl);
    const undoId =
      JSON.stringify(done!.blocks).match(/"action_id":"ad_group\.budget\.undo","value":"([^"]+)"/)?.[1] ??
      JSON.stringify(done!.blocks).match(/"value":"([^"]+)","action_id":"ad_group\.budget\.undo"/)?.[1];
    expect(undoId, JSON.stringify(done)).toBeTruthy();
    expect(group.budget_amount).toBe(to);
    h.sandbox.requests.length = 0;
    const there = await clickIn('C0GLOBEX', 'U0ACME', UNDO_ACTION, undoId!);
    expect((await answersOf(there.responseUrl)).join()).toContain('not allowed');
    const copied = await clickIn('C0ACME', 'U0ACME', UNDO_ACTION, undoId!);
    await answersOf(copied.responseUrl);
    await forgedHomeClick('U0ACME', 'globex', UNDO_ACTION, undoId!);
    await sleep(300);
    expect(writes()).toEqual([]);
    expect(group.budget_amount).toBe(to);
  });

  it("Post a digest now naming globex's channel, or one no account is bound to, posts nothing", async () => {
    const posted = () => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && ['C0GLOBEX', 'C0ELSEWHERE'].includes(String(c.args.channel))).length;
    const before = posted();
    for (const channel of ['C0GLOBEX', 'C0ELSEWHERE']) {
      const submission = viewSubmissionPayload({
        user: 'U0ACME',
        view: { id: `V0POST${channel}`, callback_id: POST_DIGEST_CALLBACK, private_metadata: 'acme' },
        values: {
          [POST_DIGEST_CHANNEL_BLOCK]: { [POST_DIGEST_CHANNEL_INPUT]: { type: 'static_select', selected_option: { value: channel } } },
          [POST_DIGEST_WINDOW_BLOCK]: { [POST_DIGEST_WINDOW_INPUT]: { type: 'static_select', selected_option: { value: 'yesterday' } } },
        },
      });
      const answer = await send(submission);
      expect(answer.body).toContain('errors');
    }
    await sleep(300);
    expect(posted()).toBe(before);
  });

  it('`/adgroup budget` of a globex id with account:globex: refused in acme’s channel and, for acme’s operator, elsewhere', async () => {
    const group = dailyGroup(globex, 2);
    const before = group.budget_amount;
    const inAcme = await h.command('/adgroup', `budget ${group.id} 100 account:globex`, 'U0ACME', 'C0ACME');
    expect(ackText(inAcme)).toContain('This channel belongs to acme');
    const elsewhere = await h.command('/adgroup', `budget ${group.id} 100 account:globex`, 'U0ACME', 'C0ELSEWHERE');
    expect((await h.responsesTo(elsewhere.responseUrl))[0]!.text).toContain('not allowed');
    const inAcmeUnnamed = await h.command('/adgroup', `budget ${group.id} 100`, 'U0ACME', 'C0ACME');
    expect((await h.responsesTo(inAcmeUnnamed.responseUrl))[0]!.text).toContain(`There is no ad group \`${group.id}\``);
    expect(writes()).toEqual([]);
    expect(group.budget_amount).toBe(before);
  });

  it("`/ads digest` and `/ads rules simulate` naming globex in acme's channel are refused there", async () => {
    const digest = await h.command('/ads', 'digest account:globex', 'U0ACME', 'C0ACME');
    expect(ackText(digest)).toContain('This channel belongs to acme');
    const simulate = await h.command('/ads', 'rules simulate account:globex', 'U0ACME', 'C0ACME');
    expect(ackText(simulate)).toContain('This channel belongs to acme');
    const status = await h.command('/ads', 'status account:globex', 'U0ACME', 'C0ACME');
    expect(ackText(status)).toContain('This channel belongs to acme');
  });

  it("`/ads digest account:globex` in a channel no account is bound to: refused for acme's operator, posted for globex's", async () => {
    const posts = () => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === 'C0ELSEWHERE' && !c.args.thread_ts).length;
    const refused = await h.command('/ads', 'digest account:globex', 'U0ACME', 'C0ELSEWHERE');
    expect((await h.responsesTo(refused.responseUrl))[0]!.text).toContain("You are not allowed to post this account's digest outside its own channels");
    expect(posts()).toBe(0);
    await h.command('/ads', 'digest account:globex', 'U0GLOBEX', 'C0ELSEWHERE');
    await expect.poll(posts, { timeout: 10_000 }).toBe(1);
  });
});

describe("an operator of acme against globex's rule firings", () => {
  it("Approve and Skip of globex's firing: refused in globex's channel, unknown when copied to acme's or forged on Home", async () => {
    const group = dailyGroup(globex, 4);
    const planted = awaitingFiring('C0GLOBEX', group.id, 'cost per result over the limit');
    await h.plantFiring(planted, 'globex');
    const firing = planted.id;
    for (const action of [RULE_APPROVE_ACTION, RULE_SKIP_ACTION]) {
      await answersOf((await clickIn('C0GLOBEX', 'U0ACME', action, firing)).responseUrl);
      await answersOf((await clickIn('C0ACME', 'U0ACME', action, firing)).responseUrl);
      await forgedHomeClick('U0ACME', 'acme', action, firing);
      await forgedHomeClick('U0ACME', 'globex', action, firing);
    }
    await sleep(300);
    expect(writes()).toEqual([]);
    expect(group.status).toBe('active');
    expect((await h.firing(firing, 'globex'))?.state).toBe('awaiting');
  });
});

describe("globex's own operator, outside globex's channels", () => {
  it('confirms, then undoes, a large `/adgroup budget … account:globex` asked in a channel no account is bound to', async () => {
    const group = dailyGroup(globex, 3);
    const before = group.budget_amount!;
    const asked = await h.command('/adgroup', `budget ${group.id} ${Math.round(before * 3)} account:globex`, 'U0GLOBEX', 'C0ELSEWHERE');
    const [prompt] = await h.responsesTo(asked.responseUrl);
    expect(text(prompt)).toContain(CONFIRM_ACTION);
    // Acme's operator clicking it there is refused by globex's operators, the change's own account.
    const foreign = await h.clickIn(prompt!.blocks!, CONFIRM_ACTION, 'U0ACME', 'C0ELSEWHERE');
    expect((await answersOf(foreign.responseUrl)).join()).toContain('not allowed');
    expect(group.budget_amount).toBe(before);
    const click = await h.clickIn(prompt!.blocks!, CONFIRM_ACTION, 'U0GLOBEX', 'C0ELSEWHERE');
    const [done] = await h.responsesTo(click.responseUrl);
    expect(text(done)).not.toContain('not bound');
    await waitFor(() => group.budget_amount === Math.round(before * 3), 5_000, 'the budget confirmed');
    const undo = await h.clickIn(done!.blocks!, UNDO_ACTION, 'U0GLOBEX', 'C0ELSEWHERE');
    await h.responsesTo(undo.responseUrl);
    await waitFor(() => group.budget_amount === before, 5_000, 'the budget undone');
  });
});

describe('two accounts on one agency key: only the company id keeps them apart', () => {
  it("acme's operator in acme's channel cannot reach an ad group of globex's company, by command or by button", async () => {
    const yaml = YAML.replace('biz_acme1, api_key_env: ACME_WHOP_API_KEY', `${SANDBOX_ACCOUNT_ID}, api_key_env: WHOP_API_KEY`).replace(
      'biz_globex1, api_key_env: GLOBEX_WHOP_API_KEY',
      'biz_globex1, api_key_env: WHOP_API_KEY',
    );
    const agency = await Harness.start({ yaml });
    try {
      const theirs = agency.sandbox.account.adGroups.find((g) => g.status === 'active' && g.budget_amount !== null)!;
      moveToAccount(agency.sandbox.account, theirs.ad_campaign_id, 'biz_globex1');
      agency.sandbox.requests.length = 0;
      const budget = await agency.command('/adgroup', `budget ${theirs.id} 5`, 'U0ACME', 'C0ACME');
      expect((await agency.responsesTo(budget.responseUrl))[0]!.text).toContain(`There is no ad group \`${theirs.id}\``);
      const payload = blockActionPayload({
        user: 'U0ACME',
        channel: 'C0ACME',
        message: {
          ts: '1764000000.000200',
          blocks: [{ type: 'actions', block_id: 'b', elements: [{ type: 'button', action_id: 'ad_group.pause', value: theirs.id, text: { type: 'plain_text', text: 'Pause' } }] }],
        },
        action: { action_id: 'ad_group.pause' },
        response_url: agency.slack.responseUrl(),
      });
      await agency.send(blockActionsBody(payload));
      await agency.responsesTo(payload.response_url as string);
      expect(agency.sandbox.requests.filter((r) => r.method !== 'GET')).toEqual([]);
      expect(theirs.status).toBe('active');
      // Globex's own operator, in globex's channel, reaches it.
      const own = await agency.command('/adgroup', theirs.id, 'U0GLOBEX', 'C0GLOBEX');
      expect((await agency.responsesTo(own.responseUrl))[0]!.blocks![0]).toMatchObject({ type: 'header', text: { text: theirs.title } });
    } finally {
      await agency.stop();
    }
  });
});
