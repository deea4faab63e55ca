// The bot reads its alert checks' hourly history in a worker thread: the real SDK in the worker against the sandbox.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryReader } from '../../src/alerts/history-reader';
import { createHistoryWorker, type HistoryWorker } from '../../src/alerts/history-worker';
import { observe } from '../../src/alerts/observe';
import { findProblems } from '../../src/alerts/problems';
import type { AlertRules } from '../../src/config';
import { demoAccount, type SandboxServer, startSandbox } from '../../src/sandbox';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { anomalyRule, forecastRule, hoursSeen } from '../support/report-rows';

const API_KEY = 'sandbox_history_key';
const ZONE = 'America/New_York';
// 16:30 on a Tuesday in New York.
const NOW = new Date('2026-11-24T21:30:00Z');
const rules = { new_issues: false, rejected: false, delivery_status: [], anomaly: anomalyRule(), pacing: { forecast: forecastRule() } } as AlertRules;

let sandbox: SandboxServer;
const OTHER_KEY = 'sandbox_history_other_key';
let worker: HistoryWorker;
let reader: HistoryReader;
const whopOf = (apiKey: string) => ({ apiKey, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 5_000 });
beforeEach(async () => {
  sandbox = await startSandbox({
    keys: [
      { apiKey: API_KEY, account: demoAccount({ now: () => NOW }) },
      { apiKey: OTHER_KEY, account: demoAccount({ now: () => NOW, seed: 2 }) },
    ],
  });
  worker = createHistoryWorker();
  reader = worker.forAccount({ name: 'acme', whop: whopOf(API_KEY) });
});
afterEach(async () => {
  await worker.close();
  await sandbox.close();
});

const gateway = (apiKey = API_KEY) => createAdsGateway(createWhopClient(whopOf(apiKey)));
const reports = () => sandbox.requests.filter((r) => r.path === '/ad_reports').length;

describe('the history worker', () => {
  it('reads the same hours, with the same report requests, and the rules find the same problems as a check reading in the process', async () => {
    const here = await observe(gateway(), rules, NOW, ZONE);
    const inProcess = reports();
    sandbox.requests.length = 0;
    const there = await observe(gateway(), rules, NOW, ZONE, reader);
    expect(reports()).toBe(inProcess);
    expect(hoursSeen(there)).toEqual(hoursSeen(here));
    expect(hoursSeen(there)?.spans[0]?.some((group) => group !== undefined)).toBe(true);
    if (!here.ok || !there.ok) throw new Error('Whop failed');
    expect(findProblems(there.value, rules, new Set())).toEqual(findProblems(here.value, rules, new Set()));
  });

  it('answers a Whop failure as the gateway does, and reads again once Whop is back', async () => {
    sandbox.faults.failNext(1, 401, { path: /^\/ad_reports/ });
    const failed = await reader.read({ now: NOW, timeZone: ZONE, weeks: 1, daysBefore: 0 });
    expect(failed).toMatchObject({ ok: false, error: { kind: 'bad_key' } });
    const again = await reader.read({ now: NOW, timeZone: ZONE, weeks: 1, daysBefore: 0 });
    expect(again.ok).toBe(true);
  });

  it("reads each account's history with that account's key, in the one thread", async () => {
    const other = worker.forAccount({ name: 'globex', whop: whopOf(OTHER_KEY) });
    const [acme, globex] = await Promise.all([observe(gateway(), rules, NOW, ZONE, reader), observe(gateway(OTHER_KEY), rules, NOW, ZONE, other)]);
    const [acmeHere, globexHere] = await Promise.all([observe(gateway(), rules, NOW, ZONE), observe(gateway(OTHER_KEY), rules, NOW, ZONE)]);
    expect(hoursSeen(acme)).toEqual(hoursSeen(acmeHere));
    expect(hoursSeen(globex)).toEqual(hoursSeen(globexHere));
    expect(hoursSeen(globex)).not.toEqual(hoursSeen(acme));
  });
});
