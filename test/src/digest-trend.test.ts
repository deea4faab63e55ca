// The digest's 14-day trend read from Whop: one daily report when the account reports on the team's clock, one hourly
// report summed into the team's days when it does not, a campaigns list per day for ROAS; each day as the sandbox
// totals it, within Whop's rounding, and the 14 days to the cent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trendDays } from '../../src/digest/trend';
import { accountTotals, demoAccount, type SandboxServer, startSandbox } from '../../src/sandbox';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { addDays, localDate, startOfLocalDay } from '../../src/zoned-time';

const KEY = 'trend-key';
// The demo account reports on New York's clock; 14 days back crosses the end of DST (2 November).
const NOW = new Date('2025-11-12T19:30:00Z');
const account = demoAccount({ now: () => NOW });
let sandbox: SandboxServer;
beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, account });
});
afterAll(() => sandbox.close());

const gateway = () => createAdsGateway(createWhopClient({ apiKey: KEY, baseURL: sandbox.url, maxRetries: 0 }));
const cents = (n: number) => Math.round(n * 100);

async function read(timeZone: string, metric: 'spend_results' | 'roas') {
  const mark = sandbox.requests.length;
  const days = await trendDays(gateway(), { window: 'yesterday', campaigns: [], metric, timeZone, now: NOW });
  if (!days.ok) throw new Error(days.error.message);
  return { days: days.value, paths: sandbox.requests.slice(mark).map((r) => r.path) };
}

describe('the digest trend', () => {
  for (const timeZone of ['America/New_York', 'Europe/Berlin']) {
    it(`${timeZone}: every day of the team's clock as the sandbox totals it, in one or two reports`, async () => {
      const { days, paths } = await read(timeZone, 'spend_results');
      const reports = paths.filter((p) => p.endsWith('/ad_reports'));
      expect(reports).toHaveLength(timeZone === 'America/New_York' ? 1 : 2);
      expect(paths.filter((p) => !p.endsWith('/ad_reports') && !p.endsWith('/ad_campaigns'))).toEqual([]);
      const yesterday = addDays(localDate(NOW, timeZone), -1);
      expect(days.map((d) => d.start)).toEqual(Array.from({ length: 14 }, (_, i) => startOfLocalDay(addDays(yesterday, i - 13), timeZone)));
      for (const d of days) {
        const next = startOfLocalDay(addDays(localDate(d.start, timeZone), 1), timeZone);
        expect(Math.abs(cents(d.spend) - cents(accountTotals(account, d.start, next).spend))).toBeLessThanOrEqual(account.ads.length);
        expect(d.results).toBeGreaterThan(0);
      }
      const whole = accountTotals(account, days[0]!.start, startOfLocalDay(localDate(NOW, timeZone), timeZone));
      expect(days.reduce((s, d) => s + cents(d.spend), 0)).toBe(cents(whole.spend));
    });
  }

  it('ROAS comes from a campaigns list per day: report buckets carry no purchase value', async () => {
    const { days, paths } = await read('America/New_York', 'roas');
    expect(paths.filter((p) => p.endsWith('/ad_reports'))).toEqual([]);
    for (const d of days) {
      const next = startOfLocalDay(addDays(localDate(d.start, 'America/New_York'), 1), 'America/New_York');
      expect(d.spend).toBe(accountTotals(account, d.start, next).spend);
      expect(d.roas).toBeGreaterThan(0);
    }
  });
});
