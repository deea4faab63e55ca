// Charts through the real app: the digest's trend uploaded with Slack's external upload flow and shown as an image
// block, the sparkline when Slack refuses the upload, and a new anomaly's chart in its alert's thread. Expected
// figures come from the sandbox's own totals (accountTotals), not from the bot's code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { day, money } from '../../blocks/format';
import { createChartRenderer } from '../../src/charts/renderer';
import { type Currency, currencyOf } from '../../src/currency';
import { accountTotals, addIncident, demoAccount } from '../../src/sandbox';
import { addDays, atLocalTime, localDate, startOfLocalDay } from '../../src/zoned-time';
import { decodePng, pixelsLike } from '../support/png';
import { HARNESS_NOW, Harness } from './harness';

const ZONE = 'America/New_York';
const CHANNEL = 'C0TEAM';
const ALERTS = 'C0ALERTS';
const usd = currencyOf('usd') as Currency;
const now = HARNESS_NOW;
const today = localDate(now, ZONE);
const account = demoAccount({ now: () => now });
const charts = createChartRenderer();
const yaml = ['timezone: America/New_York', 'alerts:', `  - channel: ${ALERTS}`, '    schedule: "0 0 1 1 *"', '    rules:', '      anomaly: { metrics: [spend] }'].join('\n');
let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ account, yaml });
});
afterAll(async () => {
  await h?.stop();
  await charts.close();
});

const spendOn = (d: ReturnType<typeof localDate>, ads = account.ads, toHour = 24) =>
  accountTotals({ ...account, ads }, startOfLocalDay(d, ZONE), toHour === 24 ? startOfLocalDay(addDays(d, 1), ZONE) : atLocalTime(d, toHour, 0, ZONE)).spend;

/** A chart as a person would see it: Slack's size, a white background with bars, lines and text drawn on it. */
function expectDrawn(png: Buffer | undefined, colours: [number, number, number][]) {
  const picture = decodePng(png ?? Buffer.alloc(0));
  expect([picture.width, picture.height]).toEqual([800, 400]);
  for (const colour of colours) expect(pixelsLike(picture, colour, undefined, 10)).toBeGreaterThan(200);
  // The title's dark text: no font loaded, no text drawn.
  expect(pixelsLike(picture, [15, 23, 42], { x: 80, y: 8, width: 300, height: 24 }, 60)).toBeGreaterThan(150);
}

const postedTo = (channel: string, from: number) =>
  h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === channel && !c.args.thread_ts && h.slack.calls.indexOf(c) >= from);

describe('charts, end to end', () => {
  it('a digest shows its 14-day trend as an uploaded image whose alt text states each day’s spend', async () => {
    const from = h.slack.calls.length;
    expect((await h.command('/ads', 'digest yesterday', 'U0MARIA', CHANNEL)).status).toBe(200);
    const posted = await postedTo(CHANNEL, from);
    const image = (posted.args.blocks as { type: string; slack_file?: { id: string }; alt_text?: string }[]).find((b) => b.type === 'image');
    const file = h.slack.files().find((f) => f.id === image?.slack_file?.id);
    expect(file).toMatchObject({ completed: true, shares: [] });
    expectDrawn(file?.bytes, [
      [29, 78, 216],
      [234, 88, 12],
    ]);
    const yesterday = addDays(today, -1);
    const alt = image?.alt_text ?? '';
    expect(alt).toContain(`${day(startOfLocalDay(yesterday, ZONE), ZONE)} (this digest): $`);
    // One daily report: each day is the sandbox's total for it within Whop's rounding (a cent per ad), the 14 to the cent.
    const cents = (text: string) => Math.round(Number(text.replace(/[$,]/g, '')) * 100);
    let shown = 0;
    for (let i = 1; i <= 14; i++) {
      const d = addDays(today, -i);
      const figure = new RegExp(`${day(startOfLocalDay(d, ZONE), ZONE)}(?: \\([a-z ]+\\))?: (\\$[\\d,.]+)`).exec(alt)?.[1] ?? 'none';
      expect(Math.abs(cents(figure) - cents(money(spendOn(d), usd)))).toBeLessThanOrEqual(account.ads.length);
      shown += cents(figure);
    }
    expect(shown).toBe(Math.round(accountTotals(account, startOfLocalDay(addDays(today, -14), ZONE), startOfLocalDay(today, ZONE)).spend * 100));
  });

  it('when Slack refuses the upload the digest still posts, with a sparkline of the same days', async () => {
    h.slack.failNext('files.getUploadURLExternal', 1, 'missing_scope');
    const from = h.slack.calls.length;
    await h.command('/ads', 'digest yesterday', 'U0MARIA', CHANNEL);
    const posted = await postedTo(CHANNEL, from);
    const blocks = JSON.stringify(posted.args.blocks);
    expect(blocks).not.toContain('"image"');
    expect(blocks).toMatch(/Spend, last 14 days: `[▁▂▃▄▅▆▇█]{14}`/);
  });

  it('a new spend anomaly gets its hourly chart with the usual band in the alert’s thread', async () => {
    const group = account.adGroups.find((g) => g.title === 'Lookalike 1% – Purchasers')!;
    addIncident(account, { adGroupId: group.id, kind: 'spend_spike', from: startOfLocalDay(today, ZONE), to: new Date(now.getTime() + 86_400_000), factor: 4 });
    const from = h.slack.calls.length;
    await h.checkAlerts(now, { charts });
    const alert = await postedTo(ALERTS, from);
    const alertTs = h.slack.messages(ALERTS).find((m) => m.text === alert.args.text)?.ts;
    const file = h.slack.files().find((f) => f.shares.some((s) => s.channel === ALERTS && s.thread_ts === alertTs));
    expectDrawn(file?.bytes, [
      [29, 78, 216],
      [187, 247, 208],
    ]);
    const ads = account.ads.filter((ad) => ad.ad_group_id === group.id);
    const past = [1, 2, 3, 4].map((w) => spendOn(addDays(today, -7 * w), ads, 7));
    expect(file?.altText).toContain(`${money(spendOn(today, ads, 7), usd)} at 07:00`);
    expect(file?.altText).toContain(`${money(Math.min(...past), usd)}–${money(Math.max(...past), usd)}`);
  });
});
