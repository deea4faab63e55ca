// The sandbox against Whop's contract as the SDK types it and Whop's pages describe it: every status the SDK
// lists, results where goals differ or are not attributable, Idempotency-Key on POST only, page_info, and the
// pinned Api-Version-Date.
import Whop, { BadRequestError } from '@whop/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addIssue, demoAccount, PAYMENT_FAILED, type SandboxServer, setStatus, startSandbox } from '../../src/sandbox';
import { WHOP_API_VERSION } from '../../src/whop/api-version';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { AD_DELIVERY_STATUSES, AD_GROUP_DELIVERY_STATUSES, AD_GROUP_STATUSES, AD_STATUSES, CAMPAIGN_DELIVERY_STATUSES, CAMPAIGN_STATUSES } from '../../src/whop/unions';

const API_KEY = 'sandbox_contract_key';
const NOW = new Date('2025-11-28T15:30:00Z');
const DAY = 86_400_000;
const WINDOW = { stats_from: '2025-11-20T00:00:00Z', stats_to: '2025-11-28T00:00:00Z' };

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

let clock = NOW;
let sandbox: SandboxServer;
let client: Whop;

beforeEach(async () => {
  clock = NOW;
  sandbox = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now: () => clock }) });
  client = new Whop({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, version: WHOP_API_VERSION });
});

afterEach(() => sandbox.close());

const campaignTitled = (title: string) => sandbox.account.campaigns.find((c) => c.title === title)!;
const groupTitled = (title: string) => sandbox.account.adGroups.find((g) => g.title === title)!;
const adTitled = (title: string) => sandbox.account.ads.find((a) => a.title === title)!;

/** A request as it leaves any HTTP client, with whatever headers the test gives it. */
function raw(path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}) {
  const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...init.headers };
  return fetch(`${sandbox.url}${path}`, { method: init.method ?? 'GET', body: init.body, headers });
}
const versioned = { 'api-version-date': WHOP_API_VERSION };

describe('the demo account has every status and delivery_status the SDK lists', () => {
  it('campaigns, ad groups and ads, as the SDK reads them', async () => {
    const [campaigns, groups, ads] = await Promise.all([
      all(client.adCampaigns.list({ first: 100 })),
      all(client.adGroups.list({ first: 100 })),
      all(client.ads.list({ first: 100 })),
    ]);

    expect(sorted(campaigns.map((c) => c.status))).toEqual(sorted(CAMPAIGN_STATUSES));
    expect(sorted(campaigns.map((c) => c.delivery_status))).toEqual(sorted(CAMPAIGN_DELIVERY_STATUSES));
    expect(sorted(groups.map((g) => g.status))).toEqual(sorted(AD_GROUP_STATUSES));
    expect(sorted(groups.map((g) => g.delivery_status))).toEqual(sorted(AD_GROUP_DELIVERY_STATUSES));
    expect(sorted(ads.map((a) => a.status))).toEqual(sorted(AD_STATUSES));
    expect(sorted(ads.map((a) => a.delivery_status))).toEqual(sorted(AD_DELIVERY_STATUSES));
  });

  it('a failed payment shows in the campaign’s delivery_status; its status stays active, as Whop’s Ads overview says', async () => {
    const brand = await client.adCampaigns.retrieve(campaignTitled('Brand awareness').id);

    expect(brand).toMatchObject({ status: 'active', delivery_status: 'payment_failed' });
    expect(brand.issues.map((i) => i.message)).toEqual([expect.stringContaining('Payment failed')]);
  });

  it('a schedule is read from the dates: scheduled before the start, delivering after it', async () => {
    const cyberMonday = campaignTitled('Cyber Monday – Early access');
    const lastMinute = groupTitled('Gift guide – Last-minute shoppers');
    expect((await client.adCampaigns.retrieve(cyberMonday.id)).delivery_status).toBe('scheduled');
    expect((await client.adGroups.retrieve(lastMinute.id)).delivery_status).toBe('scheduled');

    clock = new Date(NOW.getTime() + 11 * DAY);

    expect((await client.adCampaigns.retrieve(cyberMonday.id)).delivery_status).toBe('active');
    expect((await client.adGroups.retrieve(lastMinute.id)).delivery_status).toBe('active');
  });

  it('a paused campaign shows in its ad groups and ads; an issue outranks a learning phase only Whop knows', async () => {
    const learning = groupTitled('Gift guide – Broad 18-65');
    expect((await client.adGroups.retrieve(learning.id)).delivery_status).toBe('learning');

    addIssue(sandbox.account, learning.id, 'Audience overlaps with another ad group.');
    expect((await client.adGroups.retrieve(learning.id)).delivery_status).toBe('issues');

    await client.adCampaigns.pause(learning.ad_campaign_id);
    expect((await client.adGroups.retrieve(learning.id)).delivery_status).toBe('campaign_paused');
    expect((await client.ads.retrieve(adTitled('Gift guide – Carousel').id)).delivery_status).toBe('campaign_paused');
  });

  it('only what runs can be paused: a draft campaign is refused with 422 and stays a draft', async () => {
    const draft = campaignTitled('Spring collection');

    await expect(client.adCampaigns.pause(draft.id)).rejects.toMatchObject({ status: 422 });
    expect(draft.status).toBe('draft');
  });

  it('the campaign list filters by the statuses its params allow, and refuses the others', async () => {
    const drafts = await all(client.adCampaigns.list({ status: 'draft' }));
    expect(drafts.map((c) => c.title)).toEqual(['Spring collection']);

    const flagged = await raw('/ad_campaigns?status=flagged', { headers: versioned });
    expect(flagged.status).toBe(400);
  });
});

describe('retry_payment as the SDK calls it', () => {
  it('charges again for a failed payment: the same AdCampaign, now delivering, from POST /ad_campaigns/{id}/retry_payment', async () => {
    const brand = campaignTitled('Brand awareness');

    const retried = await client.adCampaigns.retryPayment(brand.id);

    expect(retried).toMatchObject({ id: brand.id, status: 'active', delivery_status: 'active', issues: [] });
    expect(sandbox.requests.map((r) => [r.method, r.path, r.status])).toEqual([['POST', `/ad_campaigns/${brand.id}/retry_payment`, 200]]);
    expect((await client.adCampaigns.retrieve(brand.id)).delivery_status).toBe('active');
  });

  it('a campaign of the older kind, whose status itself is payment_failed, becomes active', async () => {
    const legacy = campaignTitled('Retargeting – 2024 (legacy)');

    expect(await client.adCampaigns.retryPayment(legacy.id)).toMatchObject({ status: 'active' });
  });

  it('a card declined again leaves the payment failed, and the campaign is answered as it is', async () => {
    const brand = campaignTitled('Brand awareness');
    brand.card_declined = true;

    expect(await client.adCampaigns.retryPayment(brand.id)).toMatchObject({
      status: 'active',
      delivery_status: 'payment_failed',
      issues: [expect.objectContaining({ message: PAYMENT_FAILED })],
    });
  });

  it('the same Idempotency-Key charges once: the repeat gets the first answer back, where a new request would be refused', async () => {
    const brand = campaignTitled('Brand awareness');
    const key = { 'Idempotency-Key': 'retry-brand' };

    const first = await client.adCampaigns.retryPayment(brand.id, key);
    const again = await client.adCampaigns.retryPayment(brand.id, key);

    expect(again).toEqual(first);
    expect(sandbox.requests.map((r) => r.replayed)).toEqual([false, true]);
    await expect(client.adCampaigns.retryPayment(brand.id, { 'Idempotency-Key': 'retry-brand-2' })).rejects.toMatchObject({ status: 422 });
  });

  it('nothing to retry is 422 in Whop’s error shape, an unknown campaign 404; neither changes anything', async () => {
    const active = campaignTitled('Black Friday – Prospecting');
    const refused = await raw(`/ad_campaigns/${active.id}/retry_payment`, { method: 'POST', headers: versioned });

    expect(refused.status).toBe(422);
    expect(await refused.json()).toEqual({ error: { type: 'unprocessable_entity', message: `Ad campaign ${active.id} has no failed payment to retry` } });
    await expect(client.adCampaigns.retryPayment('adcamp_Nope')).rejects.toMatchObject({ status: 404 });
    expect(active).toMatchObject({ status: 'active', payment_failed: false });
    // Ad groups and ads have no payments of their own.
    expect((await raw(`/ad_groups/${groupTitled('Broad – US 25-54').id}/retry_payment`, { method: 'POST', headers: versioned })).status).toBe(404);
  });
});

describe('creative fatigue in the demo account', () => {
  const dayOf = (daysAgo: number) => {
    const start = Math.floor(NOW.getTime() / DAY) * DAY - daysAgo * DAY;
    return { stats_from: new Date(start).toISOString(), stats_to: new Date(start + DAY).toISOString() };
  };

  it('one ad group’s frequency rises and CTR falls every complete day of the last week, with the same spend; another’s do not', async () => {
    const days = [6, 5, 4, 3, 2, 1];
    const read = (id: string) => Promise.all(days.map((d) => client.adGroups.retrieve(id, dayOf(d))));
    const tired = await read(groupTitled('Cart abandoners – 7 days').id);
    const frequency = tired.map((g) => g.frequency!);
    const ctr = tired.map((g) => g.click_through_rate);

    expect(frequency.every((f, i) => i === 0 || f > frequency[i - 1]!)).toBe(true);
    expect(ctr.every((c, i) => i === 0 || c < ctr[i - 1]!)).toBe(true);
    expect(new Set(tired.map((g) => g.spend)).size).toBe(1);

    const fresh = (await read(groupTitled('Broad – US 25-54').id)).map((g) => g.frequency!);
    expect(fresh.every((f, i) => i === 0 || f > fresh[i - 1]!)).toBe(false);
  });
});

describe('results where ad groups optimise different events, or nothing Whop can attribute', () => {
  it.each(['Holiday gift guide', 'Black Friday – Prospecting'])('%s (purchase and lead ad groups): no single result_event, results summed over its ad groups', async (title) => {
    const id = campaignTitled(title).id;
    const campaign = await client.adCampaigns.retrieve(id, WINDOW);
    const groups = await all(client.adGroups.list({ ...WINDOW, ad_campaign_id: id }));

    expect(sorted(groups.flatMap((g) => (g.result_event ? [g.result_event] : [])))).toEqual(['lead', 'purchase']);
    expect(campaign.result_event).toBeNull();
    expect(campaign.results).toBe(groups.reduce((sum, g) => sum + (g.results ?? 0), 0));
    expect(campaign.results).toBeGreaterThan(0);
    expect(campaign.cost_per_result).toBeCloseTo(campaign.spend / campaign.results!, 10);
  });

  it('a reach ad group, its awareness campaign and its ads have null results, result_event and cost_per_result', async () => {
    const reach = groupTitled('Reach – US & CA');
    const nulls = { results: null, result_event: null, cost_per_result: null };

    const group = await client.adGroups.retrieve(reach.id, WINDOW);
    const campaign = await client.adCampaigns.retrieve(reach.ad_campaign_id, WINDOW);
    const ads = await all(client.ads.list({ ...WINDOW, ad_group_id: reach.id }));

    for (const item of [group, campaign, ...ads]) {
      expect(item).toMatchObject(nulls);
      expect(item.spend).toBeGreaterThan(0);
    }
    expect(ads).toHaveLength(3);
  });
});

describe('Idempotency-Key as Whop’s idempotency page describes it', () => {
  it('on a PATCH it is ignored: PATCH is idempotent by itself, so the same key with a new budget applies it', async () => {
    const group = groupTitled('Broad – US 25-54');
    const key = { headers: { 'Idempotency-Key': 'budget-broad' } };

    await client.adGroups.update(group.id, { budget_amount: 210 }, key);
    const second = await client.adGroups.update(group.id, { budget_amount: 220 }, key);

    expect(second.budget_amount).toBe(220);
    expect(group.budget_amount).toBe(220);
    expect(sandbox.requests.map((r) => [r.status, r.replayed])).toEqual([
      [200, false],
      [200, false],
    ]);
  });

  it('on a GET it is ignored: a repeated read sees what changed in between', async () => {
    const group = groupTitled('Broad – US 25-54');
    const key = { headers: { 'Idempotency-Key': 'read-broad' } };

    expect((await client.adGroups.retrieve(group.id, {}, key)).status).toBe('active');
    setStatus(sandbox.account, group.id, 'paused');

    expect((await client.adGroups.retrieve(group.id, {}, key)).status).toBe('paused');
    expect(sandbox.requests.every((r) => !r.replayed)).toBe(true);
  });

  it('a key reused on a POST to another path is refused with 422, and that second pause is not applied', async () => {
    const [first, other] = [groupTitled('Broad – US 25-54'), groupTitled('Cart abandoners – 7 days')];

    await client.adGroups.pause(first.id, { 'Idempotency-Key': 'pause-once' });
    await expect(client.adGroups.pause(other.id, { 'Idempotency-Key': 'pause-once' })).rejects.toMatchObject({ status: 422 });

    expect([first.status, other.status]).toEqual(['paused', 'active']);
  });

  it('a key reused on a POST with another body is refused with 422', async () => {
    const ad = adTitled('Static – Countdown timer');
    const post = (body: string) => raw(`/ads/${ad.id}/pause`, { method: 'POST', body, headers: { ...versioned, 'idempotency-key': 'pause-countdown' } });

    expect((await post('{"note":"first"}')).status).toBe(200);
    const reused = await post('{"note":"second"}');

    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({ error: { type: 'unprocessable_entity', message: expect.stringContaining('pause-countdown') } });
  });
});

describe('page_info as the SDK types it', () => {
  type PageInfo = { start_cursor: string | null; end_cursor: string | null; has_next_page: boolean; has_previous_page: boolean };
  const page = async (query: string) => (await (await raw(`/ad_groups?${query}`, { headers: versioned })).json()) as { data: { id: string }[]; page_info: PageInfo };

  it('has exactly the four fields; the last page names its last item and says there is no next page', async () => {
    const total = sandbox.account.adGroups.length;
    const first = await page('first=10');
    expect(Object.keys(first.page_info).sort()).toEqual(['end_cursor', 'has_next_page', 'has_previous_page', 'start_cursor']);
    expect(first.page_info).toMatchObject({ has_next_page: true, has_previous_page: false, start_cursor: expect.any(String), end_cursor: expect.any(String) });

    const last = await page(`first=${total - 10}&after=${first.page_info.end_cursor}`);
    expect(last.data).toHaveLength(total - 10);
    expect(last.page_info).toMatchObject({ has_next_page: false, has_previous_page: true, end_cursor: expect.any(String) });

    const beyond = await page(`first=10&after=${last.page_info.end_cursor}`);
    expect(beyond).toEqual({ data: [], page_info: { start_cursor: null, end_cursor: null, has_next_page: false, has_previous_page: true } });
  });

  it('the bot tells a search that fits one page from one that has more by has_next_page, not by end_cursor', async () => {
    const gateway = createAdsGateway(createWhopClient({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0 }));

    const fits = await gateway.searchAdGroups('gift guide', 10);
    const more = await gateway.searchAdGroups('gift guide', 3);

    expect(fits).toMatchObject({ ok: true, value: { more: false } });
    expect(fits.ok && fits.value.groups).toHaveLength(6);
    expect(more).toMatchObject({ ok: true, value: { more: true } });
  });
});

describe('Api-Version-Date, pinned', () => {
  it('the pinned version is the SDK’s own default today, so an SDK upgrade that moves it is noticed here', () => {
    const saved = process.env.WHOP_API_VERSION;
    delete process.env.WHOP_API_VERSION;
    try {
      expect(new Whop({ apiKey: API_KEY }).version).toBe(WHOP_API_VERSION);
    } finally {
      if (saved !== undefined) process.env.WHOP_API_VERSION = saved;
    }
  });

  it('the bot’s client sends the pinned version even when WHOP_API_VERSION says otherwise', async () => {
    const saved = process.env.WHOP_API_VERSION;
    process.env.WHOP_API_VERSION = '2099-01-01';
    try {
      const gateway = createAdsGateway(createWhopClient({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0 }));
      expect((await gateway.ad(adTitled('Static – Countdown timer').id)).ok).toBe(true);
    } finally {
      if (saved === undefined) delete process.env.WHOP_API_VERSION;
      else process.env.WHOP_API_VERSION = saved;
    }
    expect(sandbox.requests.map((r) => r.apiVersion)).toEqual([WHOP_API_VERSION]);
  });

  it.each([
    ['without the header', {}, 'the request had none'],
    ['with another version', { 'api-version-date': '2025-01-01' }, 'got 2025-01-01'],
  ])('a request %s is refused with 400 naming the header and the version expected', async (_name, headers, why) => {
    const res = await raw('/ad_campaigns', { headers });

    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { type: 'bad_request', message: `Api-Version-Date must be ${WHOP_API_VERSION}, the API version this sandbox serves; ${why}` },
    });
  });

  it('a pause sent with another version changes nothing and does not use up its Idempotency-Key', async () => {
    const group = groupTitled('Broad – US 25-54');
    const stale = new Whop({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, version: '2026-06-20' });

    await expect(stale.adGroups.pause(group.id, { 'Idempotency-Key': 'pause-versioned' })).rejects.toBeInstanceOf(BadRequestError);
    expect(group.status).toBe('active');

    await client.adGroups.pause(group.id, { 'Idempotency-Key': 'pause-versioned' });
    expect(group.status).toBe('paused');
    expect(sandbox.requests.map((r) => [r.apiVersion, r.status, r.replayed])).toEqual([
      ['2026-06-20', 400, false],
      [WHOP_API_VERSION, 200, false],
    ]);
  });
});
