import Whop, { APIConnectionError, APIConnectionTimeoutError, AuthenticationError, BadRequestError, NotFoundError, UnprocessableEntityError } from '@whop/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountTotals,
  addIssue,
  demoAccount,
  moveToAccount,
  PERSONAL_ATTRIBUTES_REJECTION,
  removeIssue,
  SANDBOX_ACCOUNT_ID,
  type SandboxServer,
  scaledAccount,
  setStatus,
  startSandbox,
} from '../../src/sandbox';
import { WHOP_API_VERSION } from '../../src/whop/api-version';

const API_KEY = 'sandbox_test_key';
const NOW = new Date('2025-11-28T15:30:00Z');
const now = () => NOW;
const WINDOW = { stats_from: '2025-11-20T06:00:00Z', stats_to: '2025-11-27T18:00:00Z' };

const cents = (amount: number) => Math.round(amount * 100);

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The SDK as the bot configures it: the pinned API version, whatever WHOP_API_VERSION says. */
const sdk = (baseURL: string, opts: Partial<ConstructorParameters<typeof Whop>[0]> = {}) =>
  new Whop({ apiKey: API_KEY, baseURL, maxRetries: 0, version: WHOP_API_VERSION, ...opts });
const rawHeaders = { authorization: `Bearer ${API_KEY}`, 'api-version-date': WHOP_API_VERSION };

let sandbox: SandboxServer;
let client: Whop;

beforeEach(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now }) });
  client = sdk(sandbox.url);
});

afterEach(() => sandbox.close());

const groupTitled = (title: string) => sandbox.account.adGroups.find((g) => g.title === title)!;
const adTitled = (title: string) => sandbox.account.ads.find((a) => a.title === title)!;

describe('listing', () => {
  it('auto-pagination returns every ad group exactly once and stops at the empty page after the last', async () => {
    const groups = await all(client.adGroups.list({ first: 3 }));

    expect(groups.map((g) => g.id).sort()).toEqual(sandbox.account.adGroups.map((g) => g.id).sort());
    // Whop sets end_cursor on the last page too, so the SDK asks once more and gets an empty page.
    const pages = Math.ceil(sandbox.account.adGroups.length / 3) + 1;
    expect(sandbox.requests.map((r) => r.path)).toEqual(Array.from({ length: pages }, () => '/ad_groups'));
  });

  it('order=spend ranks ad groups by spend over the window, highest first, across pages', async () => {
    const groups = await all(client.adGroups.list({ ...WINDOW, order: 'spend', first: 3 }));

    const spends = groups.map((g) => g.spend);
    expect(spends).toEqual([...spends].sort((a, b) => b - a));
    expect(spends[0]).toBeGreaterThan(0);
  });

  it('filters ads by ad group, status and a case-insensitive title query', async () => {
    const broad = groupTitled('Broad – US 25-54');

    const inGroup = await all(client.ads.list({ ad_group_id: broad.id }));
    const rejected = await all(client.ads.list({ status: 'rejected' }));
    const found = await all(client.ads.list({ query: 'BRAND FILM' }));

    expect(inGroup).toHaveLength(3);
    expect(inGroup.every((a) => a.ad_group.id === broad.id)).toBe(true);
    expect(rejected.map((a) => a.title).sort()).toEqual([
      'Pay in 4 – Debt-free holidays',
      'Quiz – Flat feet?',
      'Static – Skin confidence',
      'Straight A’s bundle',
      'Top of the class – Video',
    ]);
    expect(found.map((a) => a.title).sort()).toEqual(['Brand film – 15s', 'Brand film – 6s bumper']);
  });

  it('answers a malformed parameter with 400 and an error body', async () => {
    await expect(client.adGroups.list({ first: 'ten' as unknown as number })).rejects.toBeInstanceOf(BadRequestError);

    const res = await fetch(`${sandbox.url}/ads?stats_from=yesterday`, { headers: rawHeaders });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ error: { type: 'bad_request', message: expect.stringContaining('stats_from') } });
  });
});

describe('more than one account behind one key', () => {
  it('lists show the key’s own account, or the one account_id names; a retrieve by id reaches either', async () => {
    const [ours, theirs] = sandbox.account.campaigns;
    moveToAccount(sandbox.account, theirs!.id, 'biz_OtherAccount');
    const theirGroups = sandbox.account.adGroups.filter((g) => g.ad_campaign_id === theirs!.id);
    const theirAds = sandbox.account.ads.filter((a) => a.ad_campaign_id === theirs!.id);
    expect(theirGroups.length).toBeGreaterThan(0);
    expect(theirAds.length).toBeGreaterThan(0);

    const ids = async <T extends { id: string }>(items: AsyncIterable<T>) => (await all(items)).map((item) => item.id).sort();
    const own = await ids(client.adCampaigns.list({ first: 100 }));
    expect(own).toContain(ours!.id);
    expect(own).not.toContain(theirs!.id);
    expect(await ids(client.adCampaigns.list({ account_id: SANDBOX_ACCOUNT_ID, first: 100 }))).toEqual(own);
    expect(await ids(client.adCampaigns.list({ account_id: 'biz_OtherAccount', first: 100 }))).toEqual([theirs!.id]);
    expect(await ids(client.adGroups.list({ account_id: 'biz_OtherAccount', first: 100 }))).toEqual(theirGroups.map((g) => g.id).sort());
    expect(await ids(client.ads.list({ account_id: 'biz_OtherAccount', first: 100 }))).toEqual(theirAds.map((a) => a.id).sort());
    expect(await ids(client.adGroups.list({ first: 100 }))).not.toContain(theirGroups[0]!.id);
    expect(await ids(client.ads.list({ account_id: 'biz_Unknown', first: 100 }))).toEqual([]);

    expect((await client.adGroups.retrieve(theirGroups[0]!.id)).ad_campaign.id).toBe(theirs!.id);
  });
});

describe('stats', () => {
  it('campaign stats equal the sum of their ad groups, which equal the sum of their ads', async () => {
    const campaigns = await all(client.adCampaigns.list(WINDOW));
    expect(campaigns).toHaveLength(sandbox.account.campaigns.length);
    expect(campaigns.filter((c) => c.spend > 0).length).toBeGreaterThan(3);

    for (const campaign of campaigns) {
      const groups = await all(client.adGroups.list({ ...WINDOW, ad_campaign_id: campaign.id }));
      const ads = await all(client.ads.list({ ...WINDOW, ad_campaign_id: campaign.id }));
      const sum = (rows: { spend: number }[]) => rows.reduce((total, row) => total + cents(row.spend), 0);
      const impressions = (rows: { impressions: number }[]) => rows.reduce((total, row) => total + row.impressions, 0);

      expect(cents(campaign.spend)).toBe(sum(groups));
      expect(sum(groups)).toBe(sum(ads));
      expect(campaign.impressions).toBe(impressions(groups));
      expect(impressions(groups)).toBe(impressions(ads));
    }
  });

  it('accountTotals agrees with what the campaigns report for the same window', async () => {
    const campaigns = await all(client.adCampaigns.list(WINDOW));

    const totals = accountTotals(sandbox.account, new Date(WINDOW.stats_from), new Date(WINDOW.stats_to));

    expect(cents(totals.spend)).toBe(campaigns.reduce((sum, c) => sum + cents(c.spend), 0));
    expect(totals.purchases).toBe(campaigns.reduce((sum, c) => sum + c.purchases, 0));
    expect(totals.results).toBe(campaigns.reduce((sum, c) => sum + (c.results ?? 0), 0));
  });

  it('reports spend in the account currency, in lower case as Whop writes it: usd by default, eur for a euro account', async () => {
    const usd = (await client.adGroups.list()).data;
    expect(new Set(usd.map((g) => g.spend_currency))).toEqual(new Set(['usd']));
    const eur = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now, currency: 'eur' }) });
    try {
      const eurClient = sdk(eur.url);
      const [campaign] = (await eurClient.adCampaigns.list()).data;
      expect(campaign?.spend_currency).toBe('eur');
    } finally {
      await eur.close();
    }
  });
});

describe('issues', () => {
  it('a campaign carries the open issues of itself, its ad groups and their ads', async () => {
    const prospecting = sandbox.account.campaigns.find((c) => c.title === 'Black Friday – Prospecting')!;

    const campaign = await client.adCampaigns.retrieve(prospecting.id);

    expect(campaign.issues.map((i) => i.resource_type).sort()).toEqual(['ad', 'ad', 'ad_group']);
    expect(campaign.issues.filter((i) => i.message === PERSONAL_ATTRIBUTES_REJECTION)).toHaveLength(2);
    expect(campaign.delivery_status).toBe('issues');
  });

  it('an issue added or resolved between requests shows up in the next response', async () => {
    const ad = adTitled('Carousel – Best sellers');

    const issue = addIssue(sandbox.account, ad.id, 'Creative too dark: raise the brightness.');
    expect((await client.ads.retrieve(ad.id)).issues).toEqual([{ id: issue.id, message: 'Creative too dark: raise the brightness.', resource_id: ad.id, resource_type: 'ad' }]);
    expect((await client.adGroups.retrieve(ad.ad_group_id)).issues.map((i) => i.id)).toContain(issue.id);

    removeIssue(sandbox.account, issue.id);
    expect((await client.ads.retrieve(ad.id)).issues).toEqual([]);
  });
});

describe('writes', () => {
  it('pause and unpause change the status, and the next GET sees it', async () => {
    const group = groupTitled('Lookalike 1% – Purchasers');

    const paused = await client.adGroups.pause(group.id);
    expect(paused.status).toBe('paused');
    expect((await client.adGroups.retrieve(group.id)).status).toBe('paused');
    expect((await client.ads.list({ ad_group_id: group.id })).data.map((a) => a.delivery_status)).toEqual(['ad_group_paused', 'ad_group_paused', 'ad_group_paused']);

    await client.adGroups.unpause(group.id);
    expect((await client.adGroups.retrieve(group.id)).status).toBe('active');
  });

  it('a change made directly on the account is visible to the next request', async () => {
    const ad = adTitled('Static – Countdown timer');

    setStatus(sandbox.account, ad.id, 'rejected');

    expect((await client.ads.retrieve(ad.id)).status).toBe('rejected');
  });

  it('pausing a rejected ad is refused with 422', async () => {
    const rejected = adTitled('Static – Skin confidence');

    await expect(client.ads.pause(rejected.id)).rejects.toBeInstanceOf(UnprocessableEntityError);
    expect(rejected.status).toBe('rejected');
  });

  it('PATCH updates an ad group budget, but refuses one whose budget the campaign sets', async () => {
    const own = groupTitled('Broad – US 25-54');
    const campaignBudget = groupTitled('Reach – US & CA');

    const updated = await client.adGroups.update(own.id, { budget_amount: 250.5 });
    expect(updated.budget_amount).toBe(250.5);

    await expect(client.adGroups.update(campaignBudget.id, { budget_amount: 50 })).rejects.toBeInstanceOf(UnprocessableEntityError);
    await expect(client.adGroups.update(own.id, { budget_amount: -5 })).rejects.toBeInstanceOf(BadRequestError);
    expect(campaignBudget.budget_amount).toBeNull();
  });

  it('the same Idempotency-Key twice applies once; the second answer is replayed', async () => {
    const group = groupTitled('Broad – US 25-54');
    const first = await client.adGroups.pause(group.id, { 'Idempotency-Key': 'pause-broad-1' });
    await client.adGroups.unpause(group.id);

    const second = await client.adGroups.pause(group.id, { 'Idempotency-Key': 'pause-broad-1' });

    expect(second).toEqual(first);
    expect(group.status).toBe('active');
    expect(sandbox.requests.map((r) => [r.idempotencyKey, r.replayed])).toEqual([
      ['pause-broad-1', false],
      [null, false],
      ['pause-broad-1', true],
    ]);
  });

  it('concurrent requests with one Idempotency-Key apply once: the second waits for the first', async () => {
    const group = groupTitled('Broad – US 25-54');
    sandbox.faults.hangNext(1, 150);

    const [a, b] = await Promise.all([
      client.adGroups.pause(group.id, { 'Idempotency-Key': 'pause-broad-2' }),
      client.adGroups.pause(group.id, { 'Idempotency-Key': 'pause-broad-2' }),
    ]);

    expect(b).toEqual(a);
    expect(sandbox.requests.map((r) => r.replayed).sort()).toEqual([false, true]);
  });

  it('a dropped reply is retried with the same Idempotency-Key and replayed, not applied twice', async () => {
    const ad = adTitled('Video – Unboxing in 15s');
    const retrying = sdk(sandbox.url, { maxRetries: 1 });
    sandbox.faults.resetNext(1, { path: /\/pause$/ });

    const paused = await retrying.ads.pause(ad.id, { 'Idempotency-Key': 'pause-unboxing' });

    expect(paused.status).toBe('paused');
    expect(sandbox.requests.map((r) => [r.status, r.replayed])).toEqual([
      [0, false],
      [200, true],
    ]);
  });
});

describe('errors and faults', () => {
  it('a wrong API key is a 401 AuthenticationError', async () => {
    const stranger = sdk(sandbox.url, { apiKey: 'not_the_key' });

    await expect(stranger.adCampaigns.list()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('an unknown id is a NotFoundError; an unknown route is a 404 that is not recorded', async () => {
    await expect(client.ads.retrieve('ad_doesnotexist00')).rejects.toBeInstanceOf(NotFoundError);

    const res = await fetch(`${sandbox.url}/payouts`, { headers: rawHeaders });
    expect(res.status).toBe(404);
    expect(sandbox.requests.map((r) => r.status)).toEqual([404]);
  });

  it('a 429 with Retry-After is retried by the SDK and then succeeds', async () => {
    const retrying = sdk(sandbox.url, { maxRetries: 2 });
    sandbox.faults.failNext(1, 429, { retryAfterSeconds: 0 });

    const page = await retrying.adCampaigns.list({ first: 3 });

    expect(page.data).toHaveLength(3);
    expect(sandbox.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('applyThenFailNext applies the change and answers 5xx; a method filter leaves the reads of the same path alone', async () => {
    const group = groupTitled('Broad – US 25-54');
    sandbox.faults.applyThenFailNext(1, 500, { method: 'PATCH', path: new RegExp(`^/ad_groups/${group.id}$`) });

    expect((await client.adGroups.retrieve(group.id)).budget_amount).toBe(200);
    await expect(client.adGroups.update(group.id, { budget_amount: 260 })).rejects.toMatchObject({ status: 500 });

    expect(group.budget_amount).toBe(260);
    expect(sandbox.requests.map((r) => [r.method, r.status])).toEqual([
      ['GET', 200],
      ['PATCH', 500],
    ]);
  });

  it('a dropped connection without retries is an APIConnectionError', async () => {
    sandbox.faults.resetNext(1);

    await expect(client.adCampaigns.list()).rejects.toBeInstanceOf(APIConnectionError);
  });

  it('a request held past the client timeout is an APIConnectionTimeoutError', async () => {
    const impatient = sdk(sandbox.url, { timeout: 50 });
    sandbox.faults.hangNext(1, 500);

    await expect(impatient.adGroups.list()).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });
});

describe('scale', () => {
  it('builds 2,000 ad groups, 20,000 ads and 500 issues, and lists the top 5 ad groups by spend over 7 days', async () => {
    const account = scaledAccount({ adGroups: 2000, ads: 20_000, issues: 500, now });
    expect([account.adGroups.length, account.ads.length, account.issues.length]).toEqual([2000, 20_000, 500]);

    const big = await startSandbox({ apiKey: API_KEY, account });
    try {
      const bigClient = sdk(big.url);
      const week = { stats_from: '2025-11-21T00:00:00Z', stats_to: '2025-11-28T00:00:00Z', order: 'spend' as const, first: 5 };

      // How fast the sandbox answers at this size is the bench's to measure (npm run bench), not a test's.
      const top = (await bigClient.adGroups.list(week)).data;

      expect(top).toHaveLength(5);
      expect(top.map((g) => g.spend)).toEqual(top.map((g) => g.spend).sort((a, b) => b - a));
    } finally {
      await big.close();
    }
  });
});

describe('several keys', () => {
  it('each key reaches its own account only: its lists, its items by id, its writes; an id of the other is unknown to it', async () => {
    const acme = { ...demoAccount({ now }), id: 'biz_acme1' };
    const globex = { ...demoAccount({ now, currency: 'eur', seed: 2 }), id: 'biz_globex1' };
    const both = await startSandbox({
      keys: [
        { apiKey: 'acme_key', account: acme },
        { apiKey: 'globex_key', account: globex },
      ],
    });
    try {
      const asAcme = sdk(both.url, { apiKey: 'acme_key' });
      const asGlobex = sdk(both.url, { apiKey: 'globex_key' });
      const acmeGroups = await all(asAcme.adGroups.list({ first: 100 }));
      const globexGroups = await all(asGlobex.adGroups.list({ first: 100 }));
      expect(acmeGroups.map((g) => g.id).sort()).toEqual(acme.adGroups.map((g) => g.id).sort());
      expect(globexGroups.map((g) => g.id).sort()).toEqual(globex.adGroups.map((g) => g.id).sort());
      expect(acmeGroups.some((g) => globex.adGroups.some((o) => o.id === g.id))).toBe(false);

      const theirs = globex.adGroups.find((g) => g.status === 'active')!;
      await expect(asAcme.adGroups.retrieve(theirs.id)).rejects.toBeInstanceOf(NotFoundError);
      await expect(asAcme.adGroups.pause(theirs.id)).rejects.toBeInstanceOf(NotFoundError);
      expect(theirs.status).toBe('active');
      expect((await asGlobex.adGroups.pause(theirs.id)).status).toBe('paused');
      await expect(sdk(both.url, { apiKey: 'nobody' }).adGroups.list({ first: 1 })).rejects.toBeInstanceOf(AuthenticationError);
    } finally {
      await both.close();
    }
  });
});
