// WHOP_COMPANY_ID holds for actions by id too: the real SDK against the sandbox, with a second account the key reaches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AdGroupRecord, demoAccount, moveToAccount, SANDBOX_ACCOUNT_ID, type SandboxServer, startSandbox } from '../../src/sandbox';
import { type AdsGateway, createAdsGateway, createWhopClient } from '../../src/whop/gateway';

const API_KEY = 'sandbox_scope_key';
const NOW = new Date('2026-11-24T15:42:00Z');
const OTHER = 'biz_OtherAccount';

let sandbox: SandboxServer;
let theirs: AdGroupRecord;
let ours: AdGroupRecord;
/** The gateway's cache clock, moved by hand. */
let clock = 0;
const gateway = (accountId?: string): AdsGateway =>
  createAdsGateway(createWhopClient({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 2_000 }), {
    ...(accountId ? { accountId } : {}),
    clock: () => clock,
  });

beforeEach(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now: () => NOW }) });
  const account = sandbox.account;
  const withBudget = (g: AdGroupRecord) => g.status === 'active' && g.budget_amount !== null;
  theirs = account.adGroups.find(withBudget)!;
  moveToAccount(account, theirs.ad_campaign_id, OTHER);
  ours = account.adGroups.find((g) => withBudget(g) && g.ad_campaign_id !== theirs.ad_campaign_id)!;
  sandbox.requests.length = 0;
  clock = 1_000_000;
});
afterEach(() => sandbox.close());

const writes = () => sandbox.requests.filter((r) => r.method !== 'GET');

describe('with WHOP_COMPANY_ID, another account’s items are answered like ids Whop does not know', () => {
  it('reads by id: another account’s ad group, ad and campaign fail exactly as an unknown id does', async () => {
    const scoped = gateway(SANDBOX_ACCOUNT_ID);
    const unknown = await scoped.adGroup('adgrp_DoesNotExist1');
    expect(unknown.ok).toBe(false);
    const theirAd = sandbox.account.ads.find((a) => a.ad_group_id === theirs.id)!;
    for (const answer of [await scoped.adGroup(theirs.id), await scoped.ad(theirAd.id), await scoped.campaign(theirs.ad_campaign_id)]) {
      expect(answer.ok).toBe(false);
      if (answer.ok || unknown.ok) return;
      expect({ ...answer.error, detail: undefined }).toEqual({ ...unknown.error, detail: undefined });
      expect(answer.error).toMatchObject({ kind: 'not_found', status: 404 });
    }
    expect((await scoped.adGroup(ours.id)).ok).toBe(true);
  });

  it('writes by id, even without a read first: another account’s pause, unpause and budget are never sent', async () => {
    const scoped = gateway(SANDBOX_ACCOUNT_ID);
    const paused = await scoped.setDelivery('ad_group', theirs.id, 'pause', 'key-1');
    const budget = await scoped.setBudget(theirs.id, 1);
    for (const answer of [paused, budget]) {
      expect(answer).toMatchObject({ ok: false, error: { kind: 'not_found', unsure: false } });
    }
    expect(writes()).toEqual([]);
    expect(theirs.status).toBe('active');

    expect(await scoped.setDelivery('ad_group', ours.id, 'pause', 'key-2')).toMatchObject({ ok: true, value: { status: 'paused' } });
    expect(writes().map((r) => `${r.method} ${r.path}`)).toEqual([`POST /ad_groups/${ours.id}/pause`]);
  });

  // A list is its first page: the SDK then asks for the empty page after the last one.
  const campaignLists = () => sandbox.requests.filter((r) => r.method === 'GET' && r.path === '/ad_campaigns' && r.query.after === undefined);

  it('lists the account’s campaigns once for many actions, and again after a minute', async () => {
    const scoped = gateway(SANDBOX_ACCOUNT_ID);
    for (let i = 0; i < 3; i++) await scoped.adGroup(ours.id);
    await scoped.setBudget(ours.id, (ours.budget_amount ?? 10) + 1);
    expect(campaignLists()).toHaveLength(1);
    expect(campaignLists()[0]!.query).toMatchObject({ account_id: SANDBOX_ACCOUNT_ID });

    clock += 59_000;
    await scoped.adGroup(ours.id);
    expect(campaignLists()).toHaveLength(1);
    clock += 2_000;
    await scoped.adGroup(ours.id);
    expect(campaignLists()).toHaveLength(2);
  });

  it('an id not among the account’s campaigns is looked for in a fresh list, at most every 5 seconds', async () => {
    const scoped = gateway(SANDBOX_ACCOUNT_ID);
    expect((await scoped.adGroup(theirs.id)).ok).toBe(false);
    sandbox.account.campaigns.find((c) => c.id === theirs.ad_campaign_id)!.account_id = SANDBOX_ACCOUNT_ID;
    // Right after a list, a miss is answered from it: unknown ids cannot make the bot list in a loop.
    clock += 4_000;
    expect((await scoped.adGroup(theirs.id)).ok).toBe(false);
    expect(campaignLists()).toHaveLength(1);
    clock += 2_000;
    expect((await scoped.adGroup(theirs.id)).ok).toBe(true);
    expect(campaignLists()).toHaveLength(2);
  });

  it('without WHOP_COMPANY_ID the gateway asks Whop nothing more and acts on what the key reaches', async () => {
    const unscoped = gateway();
    expect((await unscoped.adGroup(theirs.id)).ok).toBe(true);
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /ad_groups/${theirs.id}`]);
  });
});
