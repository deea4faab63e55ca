import { afterEach, describe, expect, it } from 'vitest';
import { digestMessages } from '../../blocks/digest';
import { buildDigest } from '../../src/digest/build';
import { statsWindow } from '../../src/digest/window';
import { accountTotals, demoAccount, type SandboxServer, scaledAccount, startSandbox } from '../../src/sandbox';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { blockKitProblems } from '../support/block-kit-rules';

const KEY = 'digest-key';
const NOW = new Date('2026-11-25T14:00:00Z');
let sandbox: SandboxServer | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

async function gatewayFor(account: ReturnType<typeof demoAccount>, apiKey = KEY) {
  sandbox = await startSandbox({ apiKey: KEY, account });
  return createAdsGateway(createWhopClient({ apiKey, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 1_000 }));
}

const request = (over: Partial<Parameters<typeof buildDigest>[1]['digest']> = {}) => ({
  digest: { window: 'yesterday' as const, campaigns: [], top: 5, ...over },
  timeZone: 'America/New_York',
  now: NOW,
  sandbox: true,
});

describe('building a digest from Whop', () => {
  it('totals equal the sum of every ad over the window and the previous window, in the account currency', async () => {
    const account = demoAccount({ currency: 'eur', now: () => NOW });
    const gateway = await gatewayFor(account);
    const view = await buildDigest(gateway, request());
    if (!view.ok) throw new Error(view.error.message);
    const window = statsWindow('yesterday', NOW, 'America/New_York');
    const now = accountTotals(account, window.from, window.to);
    const before = accountTotals(account, window.previous.from, window.previous.to);
    expect(view.value.currency).toBe('EUR');
    expect(view.value.totals).toMatchObject({ spend: now.spend, impressions: now.impressions, clicks: now.clicks, purchases: now.purchases });
    expect(view.value.previous).toMatchObject({ spend: before.spend, impressions: before.impressions });
    expect(view.value.topAdGroups.map((g) => g.spend)).toEqual([...view.value.topAdGroups.map((g) => g.spend)].sort((a, b) => b - a));
  });

  it('covers only the chosen campaigns when the digest names some', async () => {
    const account = demoAccount({ now: () => NOW });
    const gateway = await gatewayFor(account);
    const chosen = account.campaigns[1]!.id;
    const view = await buildDigest(gateway, request({ campaigns: [chosen] }));
    if (!view.ok) throw new Error(view.error.message);
    const groupsInCampaign = new Set(account.adGroups.filter((g) => g.ad_campaign_id === chosen).map((g) => g.id));
    expect(view.value.topAdGroups.every((g) => groupsInCampaign.has(g.id))).toBe(true);
    const names = JSON.stringify(view.value.issues);
    for (const other of account.campaigns.filter((c) => c.id !== chosen)) expect(names).not.toContain(other.id);
  });

  it('a huge account (1,000 ad groups, 500 issues) names every issue once, gives a valid first message and the rest in the thread', async () => {
    const gateway = await gatewayFor(scaledAccount({ adGroups: 1_000, ads: 5_000, issues: 500, now: () => NOW }));
    const view = await buildDigest(gateway, request());
    if (!view.ok) throw new Error(view.error.message);
    const { main, replies } = digestMessages(view.value, NOW);
    for (const message of [main, ...replies]) expect(blockKitProblems(message.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(main.blocks)).toMatch(/…and [\d,]+ more issues/);
    const named = [main, ...replies].map((m) => JSON.stringify(m.blocks)).join('');
    const issueCount = view.value.issues.reduce((n, g) => n + g.entities.length, 0);
    const distinct = new Set(sandbox!.account.issues.map((i) => `${i.message}|${i.resource_id}`));
    expect(issueCount).toBe(distinct.size);
    expect(named.match(/:warning:/g)).toHaveLength(view.value.issues.length);
  });

  it.each([
    [401, 'bad_key', 'WHOP_API_KEY'],
    [403, 'forbidden', 'ads permissions'],
    [429, 'rate_limited', 'rate-limiting'],
    [500, 'unavailable', 'not answering'],
  ])('Whop answering %i becomes a %s failure in plain words, and nothing is built', async (status, kind, words) => {
    const gateway = await gatewayFor(demoAccount({ now: () => NOW }));
    sandbox!.faults.failNext(10, status, { retryAfterSeconds: 0 });
    const view = await buildDigest(gateway, request());
    expect(view).toMatchObject({ ok: false, error: { kind, status } });
    if (!view.ok) expect(view.error.message).toContain(words);
  });

  it('a wrong key, a timeout and an unknown id are told apart', async () => {
    const wrongKey = await gatewayFor(demoAccount({ now: () => NOW }), 'not-the-key');
    expect(await wrongKey.campaigns({ from: NOW, to: NOW, timeZone: 'UTC' })).toMatchObject({ ok: false, error: { kind: 'bad_key' } });
    await sandbox!.close();
    const gateway = await gatewayFor(demoAccount({ now: () => NOW }));
    expect(await gateway.ad('ad_doesnotexist')).toMatchObject({ ok: false, error: { kind: 'not_found', status: 404 } });
    sandbox!.faults.hangNext(1, 3_000);
    expect(await gateway.adGroup(sandbox!.account.adGroups[0]!.id)).toMatchObject({ ok: false, error: { kind: 'unavailable' } });
  });
});
