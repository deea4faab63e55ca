// Past days' hourly reports are asked of Whop once per process: the real SDK against the sandbox, requests counted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { observe } from '../../src/alerts/observe';
import type { AlertRules } from '../../src/config';
import { demoAccount, SANDBOX_ACCOUNT_ID, type SandboxServer, startSandbox } from '../../src/sandbox';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { ReportCache } from '../../src/whop/report-cache';
import type { ReportRow } from '../../src/whop/types';
import { anomalyRule, hoursSeen } from '../support/report-rows';

const API_KEY = 'sandbox_cache_key';
const ZONE = 'America/New_York';
const HOUR = 3_600_000;
// 16:30 on a Tuesday in New York.
const NOW = new Date('2026-11-24T21:30:00Z');

let sandbox: SandboxServer;
let clock = NOW.getTime();
beforeEach(async () => {
  clock = NOW.getTime();
  sandbox = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now: () => new Date(clock) }) });
});
afterEach(() => sandbox.close());

const gateway = (accountId?: string) =>
  createAdsGateway(createWhopClient({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 5_000 }), accountId ? { accountId } : {});
const reports = () => sandbox.requests.filter((r) => r.path === '/ad_reports');
const lastMonday = { from: new Date('2026-11-23T05:00:00Z'), to: new Date('2026-11-24T05:00:00Z') };

describe('the gateway’s cache of past days’ reports', () => {
  it('a final range is asked for once and answered the same after; a range not final is asked for every time', async () => {
    const whop = gateway(SANDBOX_ACCOUNT_ID);
    const first = await whop.hourlyReport([{ ...lastMonday, final: true }]);
    const again = await whop.hourlyReport([{ ...lastMonday, final: true }]);
    expect(reports()).toHaveLength(1);
    expect(again).toEqual(first);
    expect(first.ok && first.value[0]!.length).toBeGreaterThan(0);

    await whop.hourlyReport([lastMonday]);
    await whop.hourlyReport([lastMonday]);
    expect(reports()).toHaveLength(3);
  });

  it('keeps each scope apart: the same day for another company is another request', async () => {
    const cache = new ReportCache();
    const client = createWhopClient({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 5_000 });
    await createAdsGateway(client, { accountId: SANDBOX_ACCOUNT_ID, reportCache: cache }).hourlyReport([{ ...lastMonday, final: true }]);
    await createAdsGateway(client, { reportCache: cache }).hourlyReport([{ ...lastMonday, final: true }]);
    expect(reports()).toHaveLength(2);
    expect(cache.size).toBe(2);
  });

  it('holds at most its limit, the least recently read day going first', () => {
    const cache = new ReportCache(2);
    const rows = (id: string) => [{ id } as ReportRow];
    cache.set('mon', rows('a'));
    cache.set('tue', rows('b'));
    expect(cache.get('mon')).toEqual(rows('a'));
    cache.set('wed', rows('c'));
    expect(cache.size).toBe(2);
    expect(cache.get('tue')).toBeUndefined();
    expect(cache.get('mon')).toEqual(rows('a'));
  });
});

describe('the alert check’s history through the cache', () => {
  const rules = { new_issues: false, rejected: false, delivery_status: [], anomaly: anomalyRule() } as AlertRules;

  it('the first check reads today and the two days before, and those days of four past weeks; the next hour’s only today and yesterday', async () => {
    const whop = gateway(SANDBOX_ACCOUNT_ID);
    const first = await observe(whop, rules, new Date(clock), ZONE);
    expect(first.ok).toBe(true);
    // The defaults: a 24-hour trend up to 3 hours ago reaches into the day before yesterday just after midnight.
    expect(reports()).toHaveLength(15);

    sandbox.requests.length = 0;
    clock += HOUR;
    const next = await observe(whop, rules, new Date(clock), ZONE);
    expect(reports()).toHaveLength(2);
    // The same history as a gateway that keeps nothing reads.
    const fresh = await observe(gateway(SANDBOX_ACCOUNT_ID), rules, new Date(clock), ZONE);
    expect(hoursSeen(next)).toEqual(hoursSeen(fresh));
  });
});
