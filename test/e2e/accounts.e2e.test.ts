import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import { RULE_APPROVE_ACTION } from '../../src/automation/rule-action';
import { demoAccount, type SandboxAccount } from '../../src/sandbox';
import { accountKey, awaitingFiring, HARNESS_NOW, Harness, namedAccounts, twoAccountsYaml } from './harness';

// Two Whop companies in one deployment, as an agency runs them: Acme in dollars, Globex in euros, each with its own
// key, channel and operator, and one person (U0BOSS) who may act on both.
const ACME_KEY = accountKey('acme');
const GLOBEX_KEY = accountKey('globex');
const YAML = twoAccountsYaml('0 9 * * *');

const company = (account: SandboxAccount, id: string): SandboxAccount => ({ ...account, id });

let h: Harness;
let acme: SandboxAccount;
let globex: SandboxAccount;
beforeAll(async () => {
  const now = () => HARNESS_NOW;
  acme = company(demoAccount({ now }), 'biz_acme1');
  globex = company(demoAccount({ now, currency: 'eur', seed: 2 }), 'biz_globex1');
  h = await Harness.start({ yaml: YAML, ...namedAccounts({ acme, globex }) });
});
afterAll(async () => {
  await h?.stop();
});

const text = (x: unknown) => JSON.stringify(x);
const writes = () => h.sandbox.requests.filter((r) => r.method !== 'GET');
const activeGroup = (account: SandboxAccount) => account.adGroups.find((g) => g.status === 'active' && g.budget_amount !== null)!;
const ackText = (sent: { body: string }) => (JSON.parse(sent.body) as { text?: string }).text ?? '';

/** Posts `/ads digest` in a channel as one of its operators, and answers the digest message as the fake Slack keeps it. */
async function digestIn(channel: string, user: string) {
  const before = h.slack.messages(channel).length;
  await h.command('/ads', 'digest', user, channel);
  await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === channel && !c.args.thread_ts && h.slack.messages(channel).length > before);
  return h.slack
    .messages(channel)
    .filter((m) => !m.thread_ts)
    .at(-1)!;
}

describe('two Whop accounts in one deployment', () => {
  it("each account's digest shows only its own ad groups, in its own currency", async () => {
    const acmeDigest = text((await digestIn('C0ACME', 'U0ACME')).blocks);
    const globexDigest = text((await digestIn('C0GLOBEX', 'U0GLOBEX')).blocks);
    expect(acmeDigest).toMatch(/Spend\*\\n\$[\d,.]+ /);
    expect(globexDigest).toMatch(/Spend\*\\n€[\d,.]+ /);
    expect(globexDigest).toMatch(/Cost per result\*\\n€/);
    expect(acmeDigest).not.toContain('€');
    const ids = (account: SandboxAccount) => account.adGroups.map((g) => g.id);
    expect(ids(acme).some((id) => acmeDigest.includes(id))).toBe(true);
    expect(ids(globex).some((id) => acmeDigest.includes(id))).toBe(false);
    expect(ids(globex).some((id) => globexDigest.includes(id))).toBe(true);
    expect(ids(acme).some((id) => globexDigest.includes(id))).toBe(false);
  });

  it('/adgroup in a bound channel reads its account; an id of the other account there is answered as an unknown id and changes nothing', async () => {
    const group = activeGroup(acme);
    const own = await h.command('/adgroup', group.id, 'U0ACME', 'C0ACME');
    const [card] = await h.responsesTo(own.responseUrl);
    expect(card!.blocks![0]).toMatchObject({ type: 'header', text: { text: group.title } });

    const before = writes().length;
    const theirs = activeGroup(globex);
    const foreign = await h.command('/adgroup', theirs.id, 'U0BOSS', 'C0ACME');
    const unknown = await h.command('/adgroup', 'adgrp_NoSuchGroup1', 'U0BOSS', 'C0ACME');
    const [foreignAnswer] = await h.responsesTo(foreign.responseUrl);
    const [unknownAnswer] = await h.responsesTo(unknown.responseUrl);
    expect(foreignAnswer!.text?.replace(theirs.id, 'ID')).toBe(unknownAnswer!.text?.replace('adgrp_NoSuchGroup1', 'ID'));
    expect(text(foreignAnswer)).not.toContain(theirs.title);
    const budget = await h.command('/adgroup', `budget ${theirs.id} 5`, 'U0BOSS', 'C0ACME');
    expect((await h.responsesTo(budget.responseUrl))[0]!.text).toContain(`There is no ad group \`${theirs.id}\``);
    expect(writes().length).toBe(before);
    expect(theirs.status).toBe('active');
  });

  it("an operator of acme clicking Pause on globex's ad group in globex's channel is refused and nothing reaches Whop; globex's operator may", async () => {
    const digest = await digestIn('C0GLOBEX', 'U0GLOBEX');
    const { ts } = digest;
    const group = globex.adGroups.find((g) => text(digest.blocks).includes(`"value":"${g.id}"`) && g.status === 'active')!;
    const before = writes().length;
    const refused = await h.click({ user: 'U0ACME', channel: 'C0GLOBEX', ts, value: group.id, actionId: 'ad_group.pause' });
    const [answer] = await h.responsesTo(refused.payload.response_url as string);
    expect(answer!.text).toContain('You are not allowed to pause');
    expect(writes().length).toBe(before);
    expect(group.status).toBe('active');

    const allowed = await h.click({ user: 'U0GLOBEX', channel: 'C0GLOBEX', ts, value: group.id, actionId: 'ad_group.pause' });
    expect(allowed.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok && c.args.channel === 'C0GLOBEX');
    expect(group.status).toBe('paused');
    expect((await h.auditFor(group.id, 'globex')).map((r) => [r.userId, r.outcome])).toEqual([
      ['U0ACME', 'refused'],
      ['U0GLOBEX', 'done'],
    ]);
    expect((await h.auditFor(group.id, 'acme')).filter((r) => r.action === 'ad_group.pause')).toEqual([]);
  });

  it('outside the bound channels a command names its account, or is answered with the choices; in a bound channel another account is refused', async () => {
    const missing = await h.command('/adgroup', 'black friday', 'U0BOSS', 'C0ELSEWHERE');
    expect(ackText(missing)).toContain('Which account? Add `account:acme` or `account:globex`');
    const unknown = await h.command('/ads', 'digest account:initech', 'U0BOSS', 'C0ELSEWHERE');
    expect(ackText(unknown)).toContain('There is no account initech. Which account?');
    const other = await h.command('/adgroup', `account:globex ${activeGroup(globex).id}`, 'U0BOSS', 'C0ACME');
    expect(ackText(other)).toContain('This channel belongs to acme');

    const named = await h.command('/adgroup', `${activeGroup(globex).id} account:globex`, 'U0BOSS', 'C0ELSEWHERE');
    const [card] = await h.responsesTo(named.responseUrl);
    expect(card!.blocks![0]).toMatchObject({ type: 'header', text: { text: activeGroup(globex).title } });
    expect(text(card)).toContain('€');
  });

  it('answers `/ads help` and `/adgroup help` with the usage anywhere, no account named', async () => {
    const ads = ackText(await h.command('/ads', 'help', 'U0BOSS', 'D0BOSS'));
    expect(ads).toContain('/ads digest');
    expect(ads).toContain('add `account:<name>` anywhere: `account:acme`, `account:globex`');
    const adgroup = ackText(await h.command('/adgroup', '', 'U0BOSS', 'C0ELSEWHERE'));
    expect(adgroup).toContain('/adgroup budget');
    expect(adgroup).toContain('`account:acme`, `account:globex`');
    expect(ackText(await h.command('/adgroup', 'help account:globex', 'U0BOSS', 'C0ACME'))).toContain('/adgroup budget');
  });

  it('with several accounts, a button in a channel no account is bound to is refused: the account comes from the channel, never the button', async () => {
    const group = activeGroup(globex);
    const card = await h.command('/adgroup', `account:globex ${group.id}`, 'U0BOSS', 'C0ELSEWHERE');
    const [shown] = await h.responsesTo(card.responseUrl);
    const before = writes().length;
    const click = await h.clickIn(shown!.blocks!, 'ad_group.pause', 'U0BOSS', 'C0ELSEWHERE');
    const [answer] = await h.responsesTo(click.responseUrl);
    expect(answer!.text).toContain('This channel is not bound to one of the Whop accounts');
    expect(writes().length).toBe(before);
    expect(group.status).toBe('active');
  });

  it("the Edit budget form opened in globex's channel is saved on globex, by globex's operator", async () => {
    const group = globex.adGroups.find((g) => g.status === 'active' && g.budget_type === 'daily' && g.budget_amount !== null)!;
    const to = Math.round(group.budget_amount! * 1.1 * 100) / 100;
    const card = await h.command('/adgroup', group.id, 'U0GLOBEX', 'C0GLOBEX');
    const [shown] = await h.responsesTo(card.responseUrl);
    await h.clickIn(shown!.blocks!, 'ad_group.budget.edit', 'U0GLOBEX', 'C0GLOBEX');
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes(AMOUNT_INPUT));
    const viewId = h.slack.views().at(-1)!.id;
    expect((await h.submitView(viewId, { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: `${to} eur` } }, 'U0GLOBEX')).status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'views.update' && c.ok && text(c.args.view).includes(':moneybag:'), 10_000);
    expect(group.budget_amount).toBe(to);
    expect((await h.auditFor(group.id, 'globex')).map((r) => [r.action, r.outcome, r.userId])).toEqual([['ad_group.budget', 'done', 'U0GLOBEX']]);
  });

  it("runs each account's scheduled digest as a job of its own, named with the account (its lease key)", () => {
    const started = h.logs.find((line) => line.includes('"msg":"schedules started"')) ?? '';
    expect(started).toContain('acme:digest-1-C0ACME (0 9 * * *)');
    expect(started).toContain('globex:digest-1-C0GLOBEX (0 9 * * *)');
  });

  it("Home shows one account at a time with a button for each; approvals act through the firing's own account", async () => {
    const entity = activeGroup(globex).id;
    const firing = awaitingFiring('C0GLOBEX', entity, 'cost per result €61.00 over the €40.00 limit');
    const firingId = firing.id;
    await h.plantFiring(firing, 'globex');
    // Home lists approvals from the alert channels' firings; this one has no alert check, so it shows on no Home.
    const first = await h.openHome('U0BOSS');
    expect(first.view.private_metadata).toBe('acme');
    expect(text(first.view.blocks)).toContain('*acme* · `biz_acme1`');
    expect(text(first.view.blocks)).toContain('"action_id":"home.account:globex"');

    const before = h.slack.callsTo('views.publish').length;
    await h.clickHome('U0BOSS', 'home.account:globex');
    const second = await h.publishedAfter('U0BOSS', before);
    expect(second.view.private_metadata).toBe('globex');
    expect(text(second.view.blocks)).toContain('*globex* · `biz_globex1`');
    expect(text(second.view.blocks)).toContain('currency EUR');
    // Opened again, Home shows the account it showed last.
    expect((await h.openHome('U0BOSS')).view.private_metadata).toBe('globex');

    // An Approve forged onto the Home of acme's operator, with globex's firing id: globex's operators decide, and he is not one.
    await h.openHome('U0ACME');
    const published = h.slack.callsTo('views.publish').length;
    const writesBefore = writes().length;
    expect((await h.clickHome('U0ACME', RULE_APPROVE_ACTION, firingId)).status).toBe(200);
    // Answered by drawing his Home again, once the click is handled; the refusal is in globex's own log.
    await h.publishedAfter('U0ACME', published);
    expect((await h.auditFor(entity, 'globex')).filter((r) => r.userId === 'U0ACME').map((r) => [r.outcome, r.reason])).toEqual([['refused', 'not_operator']]);
    expect((await h.firing(firingId, 'globex'))?.state).toBe('awaiting');
    expect(writes().length).toBe(writesBefore);
  });

  it("never logs an account's API key (LOG_LEVEL debug, after every test above)", () => {
    expect(h.logs.length).toBeGreaterThan(100);
    expect(h.logs.filter((line) => line.includes(ACME_KEY) || line.includes(GLOBEX_KEY))).toEqual([]);
  });
});

describe('two accounts in the sandbox (WHOP_SANDBOX=1)', () => {
  it('serves one simulated account per configured account, each digest its own', async () => {
    const sandboxed = await Harness.start({ yaml: YAML, env: { WHOP_SANDBOX: '1' } });
    try {
      const posted = async (channel: string, user: string) => {
        await sandboxed.command('/ads', 'digest', user, channel);
        const call = await sandboxed.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === channel && !c.args.thread_ts);
        return JSON.stringify(call.args.blocks);
      };
      const ids = (digest: string) => [...digest.matchAll(/"value":"(adgrp_\w+)"/g)].map((m) => m[1]);
      const [acmeIds, globexIds] = [ids(await posted('C0ACME', 'U0ACME')), ids(await posted('C0GLOBEX', 'U0GLOBEX'))];
      expect(acmeIds.length).toBeGreaterThan(0);
      expect(globexIds.length).toBeGreaterThan(0);
      expect(acmeIds.filter((id) => globexIds.includes(id))).toEqual([]);
    } finally {
      await sandboxed.stop();
    }
  });
});
