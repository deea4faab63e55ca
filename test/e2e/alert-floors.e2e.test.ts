// Enough data before judging, and settled numbers: what a team sees in its alert channel when an ad group has
// spent or shown too little to judge, and when its latest hours are still moving.
import { afterEach, describe, expect, it } from 'vitest';
import { statsWindow } from '../../src/digest/window';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { demoAccount } from '../../src/sandbox';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { craftAdGroup } from '../support/crafted-ad-group';
import { Harness, WHOP_KEY } from './harness';

const CHANNEL = 'C0ALERTS';
const HOUR = 3_600_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const yaml = (rules: string) =>
  ['timezone: America/New_York', 'alerts:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', '    rules:', ...rules.split('\n').map((r) => `      ${r}`)].join('\n');

/** The alert messages that name one ad group, as the channel shows them now. */
const alertsOn = (h: Harness, id: string) => h.slack.messages(CHANNEL).filter((m) => JSON.stringify(m.blocks).includes(id));
const text = (x: unknown) => JSON.stringify(x);

async function storedSkips(h: Harness) {
  const store = openSqliteStore(h.dbPath);
  try {
    return await store.forAccount(DEFAULT_ACCOUNT).alerts.skips(CHANNEL);
  } finally {
    await store.close();
  }
}

describe('alert floors and settled numbers, end to end', () => {
  it('cost per result written as a bare number keeps the default floors: a $4 limit does not judge $5 spent without a result, and counts it; $11.67 later that day is an alert', async () => {
    // 06:00 in New York: today so far is six hours of a $20-a-day ad group that has never had a result.
    let clock = new Date('2026-11-24T11:00:00Z');
    const account = demoAccount({ now: () => clock, flatDays: true });
    craftAdGroup(account, clock, 'adgrp_QuietLaunch', 'Quiet launch', () => ({ spend: 2_000, impressions: 4_800 }));
    const h = (harness = await Harness.start({ account, now: clock, yaml: yaml('cost_per_result_above: 4') }));

    await h.checkAlerts(clock);
    expect(alertsOn(h, 'adgrp_QuietLaunch')).toEqual([]);
    // What the store keeps for App Home is the count of active ad groups with attributed results that spent under
    // $10 so far today by Whop's own figures, the quiet launch among them.
    const gateway = createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: h.sandbox.url, maxRetries: 0 }));
    const today = await gateway.adGroups({ ...statsWindow('today', clock, 'America/New_York'), timeZone: 'America/New_York' });
    if (!today.ok) throw new Error(today.error.message);
    const underSpend = today.value.filter((g) => g.status === 'active' && g.results !== null && g.spend < 10);
    expect(underSpend.map((g) => [g.id, g.spend]).filter(([id]) => id === 'adgrp_QuietLaunch')).toEqual([['adgrp_QuietLaunch', 5]]);
    expect((await storedSkips(h))?.skipped.cost_per_result?.min_spend).toBe(underSpend.length);
    expect((await storedSkips(h))?.checkedAt).toEqual(clock);

    // 14:00 in New York: fourteen hours, $11.67 and 2,800 impressions, still no result.
    clock = new Date('2026-11-24T19:00:00Z');
    h.now = clock;
    await h.checkAlerts(clock);
    const [alert, ...more] = alertsOn(h, 'adgrp_QuietLaunch');
    expect(more).toEqual([]);
    expect(text(alert!.blocks)).toContain('*Cost per result too high*: *Quiet launch*');
    expect(text(alert!.blocks)).toContain('pays $11.67 per result so far today (limit $4.00)');
  });

  it('the running app’s check says in its log what it left unjudged, by rule and reason, as the store keeps it', async () => {
    const clock = new Date('2026-11-24T11:00:00Z');
    const account = demoAccount({ now: () => clock, flatDays: true });
    craftAdGroup(account, clock, 'adgrp_QuietLaunch', 'Quiet launch', () => ({ spend: 2_000, impressions: 4_800 }));
    const h = (harness = await Harness.start({ account, now: clock, yaml: yaml('cost_per_result_above: 4').replace('0 0 1 1 *', '* * * * * *') }));
    const done = async () => {
      for (;;) {
        const line = h.logs.map((l) => JSON.parse(l) as { msg: string; skipped?: unknown }).find((l) => l.msg === 'alert check done');
        if (line) return line;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const line = await done();
    // Later checks may overwrite the stored tally meanwhile: on the harness's fixed clock they count the same.
    expect(line.skipped).toEqual((await storedSkips(h))?.skipped);
    expect(line.skipped).toMatchObject({ cost_per_result: { min_spend: expect.any(Number) } });
  });

  it('ROAS with its own floors: an ad group short of min_impressions is not judged; with the floor lowered the same ad group alerts, on the 3 days up to 3 hours ago', async () => {
    const now = new Date('2026-11-24T15:42:00Z');
    const account = demoAccount({ now: () => now, flatDays: true });
    // $50 a day for 1,000 impressions and one $30 purchase: a ROAS of 0.6 on 3,000 impressions over three days.
    craftAdGroup(account, now, 'adgrp_Niche', 'Premium niche', () => ({ spend: 5_000, impressions: 1_000, purchases: 1, purchaseValue: 3_000 }));
    const h = (harness = await Harness.start({ account, now, yaml: yaml('roas_below: { limit: 1.5, min_spend: 20, min_impressions: 5000 }') }));

    await h.checkAlerts(now);
    expect(alertsOn(h, 'adgrp_Niche')).toEqual([]);
    const threeDays = h.sandbox.requests.find((r) => r.path === '/ad_groups' && r.query.stats_to === new Date(now.getTime() - 3 * HOUR).toISOString());
    expect(threeDays?.query.stats_from).toBe(new Date(now.getTime() - 75 * HOUR).toISOString());

    await h.restart({ yaml: yaml('roas_below: { limit: 1.5, min_spend: 20, min_impressions: 2000 }') });
    await h.checkAlerts(now);
    const [alert, ...more] = alertsOn(h, 'adgrp_Niche');
    expect(more).toEqual([]);
    expect(text(alert!.blocks)).toContain('*ROAS too low*: *Premium niche*');
    expect(text(alert!.blocks)).toContain('returned 0.6× on $150.00 over the 3 days up to 3 hours ago (limit 1.5×)');
  });

  it('a stall in the last 2 hours is not alerted while Meta may still fill those hours in; once it is settled, it is', async () => {
    // The ad group delivers every day until midnight UTC, then stops. At 02:00 UTC the stall is two hours old.
    const stallStart = Date.parse('2026-11-25T00:00:00Z');
    const delivery = (midnight: Date) => (midnight.getTime() < stallStart ? { spend: 2_400, impressions: 4_800 } : { spend: 0, impressions: 0 });
    let clock = new Date('2026-11-25T02:00:00Z');
    const account = demoAccount({ now: () => clock, flatDays: true });
    craftAdGroup(account, clock, 'adgrp_Stalled', 'Stalled', delivery);
    const h = (harness = await Harness.start({ account, now: clock, yaml: yaml('no_delivery_hours: 2') }));

    await h.checkAlerts(clock);
    expect(alertsOn(h, 'adgrp_Stalled')).toEqual([]);

    // 05:30: the window (00:30–02:30) is settled and empty.
    clock = new Date('2026-11-25T05:30:00Z');
    h.now = clock;
    await h.checkAlerts(clock);
    const [alert, ...more] = alertsOn(h, 'adgrp_Stalled');
    expect(more).toEqual([]);
    expect(text(alert!.blocks)).toContain('*Not delivering*: *Stalled*');
    expect(text(alert!.blocks)).toContain('had no impressions in the 2 hours up to 3 hours ago');
  });

  it('with settle_hours 0, the same two-hour stall alerts at once: the window really ends at the check', async () => {
    const stallStart = Date.parse('2026-11-25T00:00:00Z');
    const clock = new Date('2026-11-25T02:00:00Z');
    const account = demoAccount({ now: () => clock, flatDays: true });
    craftAdGroup(account, clock, 'adgrp_Stalled', 'Stalled', (midnight) => (midnight.getTime() < stallStart ? { spend: 2_400, impressions: 4_800 } : { spend: 0, impressions: 0 }));
    const h = (harness = await Harness.start({ account, now: clock, yaml: yaml('no_delivery_hours: { hours: 2, settle_hours: 0 }') }));

    await h.checkAlerts(clock);
    const [alert, ...more] = alertsOn(h, 'adgrp_Stalled');
    expect(more).toEqual([]);
    expect(text(alert!.blocks)).toContain('had no impressions in the last 2 hours');
  });
});
