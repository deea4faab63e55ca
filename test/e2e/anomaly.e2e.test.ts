// The anomaly rule and the pacing forecast through the real app's alert check, against the sandbox's hourly reports.
// Expected figures come from the sandbox's own totals (accountTotals), not from the bot's code.
import { afterEach, describe, expect, it } from 'vitest';
import { money } from '../../blocks/format';
import { type Currency, currencyOf } from '../../src/currency';
import { accountTotals, addIncident, demoAccount, type SandboxAccount } from '../../src/sandbox';
import { addDays, atLocalTime, localDate, startOfLocalDay } from '../../src/zoned-time';
import { HARNESS_NOW, Harness } from './harness';

const CHANNEL = 'C0ALERTS';
const ZONE = 'America/New_York';
const DAY = 86_400_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const yaml = (rules: string) =>
  ['timezone: America/New_York', 'alerts:', `  - channel: ${CHANNEL}`, '    schedule: "0 0 1 1 *"', '    rules:', ...rules.split('\n').map((r) => `      ${r}`)].join('\n');

const posts = (h: Harness) => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts);
const usd = currencyOf('usd') as Currency;

/** A group's spend from local midnight of `day` up to `hour` on its clock, as the sandbox totals it. */
function spendBy(account: SandboxAccount, groupId: string, day: ReturnType<typeof localDate>, hour: number): number {
  const ads = account.ads.filter((ad) => ad.ad_group_id === groupId);
  const end = hour === 24 ? startOfLocalDay(addDays(day, 1), ZONE) : atLocalTime(day, hour, 0, ZONE);
  return accountTotals({ ...account, ads }, startOfLocalDay(day, ZONE), end).spend;
}

const groupTitled = (account: SandboxAccount, title: string) => account.adGroups.find((g) => g.title === title)!;

describe('anomaly alerts, end to end', () => {
  // HARNESS_NOW is 10:42 on a Tuesday in New York: with 3 hours left to settle, the check judges the hours up to 07:00.
  // The four Tuesdays before include Oct 27, still on daylight time: matched by wall-clock hour all the same.
  const now = HARNESS_NOW;
  const today = localDate(now, ZONE);

  it('an injected spend spike is one alert naming the usual range and today’s spend, not posted again on the next check', async () => {
    const account = demoAccount({ now: () => now });
    const h = (harness = await Harness.start({ account, yaml: yaml('anomaly: { metrics: [spend] }') }));
    await h.checkAlerts(now);
    expect(posts(h)).toHaveLength(0);

    const group = groupTitled(account, 'Lookalike 1% – Purchasers');
    addIncident(account, { adGroupId: group.id, kind: 'spend_spike', from: startOfLocalDay(today, ZONE), to: new Date(now.getTime() + DAY), factor: 4 });
    await h.checkAlerts(now);

    expect(posts(h)).toHaveLength(1);
    const text = String(posts(h)[0]!.args.text);
    const past = [1, 2, 3, 4].map((w) => spendBy(account, group.id, addDays(today, -7 * w), 7));
    const usual = `usually ${money(Math.min(...past), usd)}–${money(Math.max(...past), usd)} by 07:00 on a Tuesday`;
    expect(text).toContain('Unusual spend');
    expect(text).toContain('Lookalike 1% – Purchasers');
    expect(text).toContain(`${money(spendBy(account, group.id, today, 7), usd)} so far today (by 07:00)`);
    expect(text).toContain(usual);

    await h.checkAlerts(now);
    expect(posts(h)).toHaveLength(1);
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(0);
  });

  it("approving an anomaly rule's pause re-checks the hours in the running bot, then pauses once", async () => {
    const account = demoAccount({ now: () => now });
    const group = groupTitled(account, 'Lookalike 1% – Purchasers');
    addIncident(account, { adGroupId: group.id, kind: 'spend_spike', from: startOfLocalDay(today, ZONE), to: new Date(now.getTime() + DAY), factor: 4 });
    const h = (harness = await Harness.start({
      account,
      yaml: yaml('anomaly: { metrics: [spend], action: pause, mode: approve }').replace(
        'timezone: America/New_York',
        'timezone: America/New_York\naccess: { operators: [U0BOSS] }',
      ),
    }));
    await h.checkAlerts(now);
    expect(posts(h)).toHaveLength(1);
    const message = h.slack.messages(CHANNEL).find((m) => !m.thread_ts)!;
    const firing = /"action_id":"rule_action\.approve","value":"([^"]+)"/.exec(JSON.stringify(message.blocks))?.[1];
    expect(firing).toBeDefined();
    const reportsBefore = h.sandbox.requests.filter((r) => r.path === '/ad_reports').length;
    const click = await h.click({ user: 'U0BOSS', channel: CHANNEL, ts: message.ts, value: firing!, actionId: 'rule_action.approve' });
    const [answer] = await h.responsesTo(click.payload.response_url as string);
    expect(answer!.text).toContain('Done: paused ad group *Lookalike 1% – Purchasers*');
    expect(h.sandbox.requests.filter((r) => r.path === '/ad_reports').length).toBeGreaterThan(reportsBefore);
    expect(h.sandbox.requests.filter((r) => r.method === 'POST' && r.path === `/ad_groups/${group.id}/pause`)).toHaveLength(1);
    expect(account.adGroups.find((g) => g.id === group.id)!.status).toBe('paused');
  });

  it('a drift that ran all of yesterday is one alert over the 24-hour trend, though today so far is usual', async () => {
    const account = demoAccount({ now: () => now });
    const group = groupTitled(account, 'Lookalike 1% – Purchasers');
    const yesterday = addDays(today, -1);
    addIncident(account, { adGroupId: group.id, kind: 'slow_drift', from: startOfLocalDay(yesterday, ZONE), to: startOfLocalDay(today, ZONE), factor: 3 });
    const h = (harness = await Harness.start({ account, yaml: yaml('anomaly: { metrics: [cpm], window_hours: 0, trend_hours: 24 }') }));
    await h.checkAlerts(now);

    expect(posts(h)).toHaveLength(1);
    const text = String(posts(h)[0]!.args.text);
    // CPM from 07:00 the day before to 07:00, on this Tuesday and the four before, as the sandbox totals it.
    const cpm = (day: ReturnType<typeof localDate>) => {
      const ads = account.ads.filter((ad) => ad.ad_group_id === group.id);
      const t = accountTotals({ ...account, ads }, atLocalTime(addDays(day, -1), 7, 0, ZONE), atLocalTime(day, 7, 0, ZONE));
      return (t.spend * 1000) / t.impressions;
    };
    const past = [1, 2, 3, 4].map((w) => cpm(addDays(today, -7 * w)));
    expect(text).toContain('Unusual CPM');
    const [low, high] = [money(Math.min(...past), usd), money(Math.max(...past), usd)];
    expect(text).toContain(`usually ${low === high ? low : `${low}–${high}`} in the 24 hours up to 07:00 on a Tuesday; this time $`);
    // The bot adds hourly buckets rounded to the cent; the sandbox's total rounds once.
    expect(Number(/this time \$([\d.]+)/.exec(text)?.[1])).toBeCloseTo(cpm(today), 1);

    // The same drift with the trend off: today so far is within the usual, so nothing.
    const quiet = demoAccount({ now: () => now });
    addIncident(quiet, { adGroupId: group.id, kind: 'slow_drift', from: startOfLocalDay(yesterday, ZONE), to: startOfLocalDay(today, ZONE), factor: 3 });
    await harness.stop();
    const off = (harness = await Harness.start({ account: quiet, yaml: yaml('anomaly: { metrics: [cpm], window_hours: 0, trend_hours: 0 }') }));
    await off.checkAlerts(now);
    expect(posts(off)).toHaveLength(0);
  });

  it('below the floors the same spike is no alert', async () => {
    const account = demoAccount({ now: () => now });
    const group = groupTitled(account, 'Lookalike 1% – Purchasers');
    addIncident(account, { adGroupId: group.id, kind: 'spend_spike', from: startOfLocalDay(today, ZONE), to: new Date(now.getTime() + DAY), factor: 4 });
    const spent = spendBy(account, group.id, today, 7);
    const h = (harness = await Harness.start({ account, yaml: yaml(`anomaly: { metrics: [spend], min_spend: ${Math.ceil(spent) + 1} }`) }));
    await h.checkAlerts(now);
    expect(posts(h)).toHaveLength(0);
  });
});

describe('pacing forecast, end to end', () => {
  // 16:42 on a Tuesday: the settled hours up to 13:00 hold about a third of a usual day's spend.
  const now = new Date('2026-11-24T21:42:00Z');
  const today = localDate(now, ZONE);

  /** What the forecast should say, from the sandbox's own totals: spend by 13:00 over the usual share by then. */
  function projection(account: SandboxAccount, groupId: string) {
    const soFar = spendBy(account, groupId, today, 13);
    const shares = [1, 2, 3, 4].map((w) => spendBy(account, groupId, addDays(today, -7 * w), 13) / spendBy(account, groupId, addDays(today, -7 * w), 24));
    const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
    return { soFar, projected: soFar / mean, low: soFar / Math.max(...shares), high: soFar / Math.min(...shares) };
  }

  for (const [direction, factor, words] of [
    ['over', 3, 'On course to overspend'],
    ['under', 0.3, 'On course to underspend'],
  ] as const) {
    it(`a day on course to ${direction}spend its daily budget is one alert with the projection and its range`, async () => {
      const account = demoAccount({ now: () => now });
      const group = groupTitled(account, 'Lookalike 1% – Purchasers');
      const h = (harness = await Harness.start({ account, now, yaml: yaml('pacing: { forecast: { over_pct: 20, under_pct: 50 } }') }));
      await h.checkAlerts(now);
      const before = posts(h).filter((p) => String(p.args.text).includes(group.title));
      expect(before).toHaveLength(0);

      addIncident(account, { adGroupId: group.id, kind: 'spend_spike', from: startOfLocalDay(today, ZONE), to: new Date(now.getTime() + DAY), factor });
      await h.checkAlerts(now);
      const alerts = posts(h).filter((p) => String(p.args.text).includes(group.title));
      expect(alerts).toHaveLength(1);
      const p = projection(account, group.id);
      const text = String(alerts[0]!.args.text);
      expect(text).toContain(words);
      expect(text).toContain(`has spent ${money(p.soFar, usd)} so far today (by 13:00)`);
      expect(text).toContain(`on course for ${money(p.projected, usd)} (range ${money(p.low, usd)}–${money(p.high, usd)}) of its $150.00 daily budget`);

      await h.checkAlerts(now);
      expect(posts(h).filter((p) => String(p.args.text).includes(group.title))).toHaveLength(1);
    });
  }
});
