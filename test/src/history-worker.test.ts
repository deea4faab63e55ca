// The bot reads its alert checks' hourly history in a worker thread: the real SDK in the worker against the sandbox.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
let worker: HistoryWorker;
beforeEach(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, account: demoAccount({ now: () => NOW }) });
  worker = createHistoryWorker({ whop: { apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 5_000 } });
});
afterEach(async () => {
  await worker.close();
  await sandbox.close();
});

const gateway = () => createAdsGateway(createWhopClient({ apiKey: API_KEY, baseURL: sandbox.url, maxRetries: 0, timeoutMs: 5_000 }));
const reports = () => sandbox.requests.filter((r) => r.path === '/ad_reports').length;

describe('the history worker', () => {
  it('reads the same hours, with the same report requests, and the rules find the same problems as a check reading in the process', async () => {
    const here = await observe(gateway(), rules, NOW, ZONE);
    const inProcess = reports();
    sandbox.requests.length = 0;
    const there = await observe(gateway(), rules, NOW, ZONE, worker);
    expect(reports()).toBe(inProcess);
    expect(hoursSeen(there)).toEqual(hoursSeen(here));
    expect(hoursSeen(there)?.spans[0]?.some((group) => group !== undefined)).toBe(true);
    if (!here.ok || !there.ok) throw new Error('Whop failed');
    expect(findProblems(there.value, rules, new Set())).toEqual(findProblems(here.value, rules, new Set()));
  });

  it('answers a Whop failure as the gateway does, and reads again once Whop is back', async () => {
    sandbox.faults.failNext(1, 401, { path: /^\/ad_reports/ });
    const failed = await worker.read({ now: NOW, timeZone: ZONE, weeks: 1, daysBefore: 0 });
    expect(failed).toMatchObject({ ok: false, error: { kind: 'bad_key' } });
    const again = await worker.read({ now: NOW, timeZone: ZONE, weeks: 1, daysBefore: 0 });
    expect(again.ok).toBe(true);
  });
});
