import { afterEach, describe, expect, it } from 'vitest';
import { statsWindow } from '../../src/digest/window';
import { addIssue, LANDING_PAGE_DOWN, removeIssue } from '../../src/sandbox';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { blockActionPayload, blockActionsBody } from '../support/slack-request';
import { HARNESS_NOW, Harness, WHOP_KEY } from './harness';

const CHANNEL = 'C0ALERTS';
const HOUR = 3_600_000;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

const yaml = (rules: string, extra = '', schedule = '0 0 1 1 *') =>
  [
    'timezone: America/New_York',
    'alerts:',
    `  - channel: ${CHANNEL}`,
    `    schedule: "${schedule}"`,
    '    mention: "<!subteam^S0ADS>"',
    '    renotify_hours: 24',
    '    rules:',
    ...rules.split('\n').map((r) => `      ${r}`),
    extra,
  ].join('\n');

const posts = (h: Harness) => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && !c.args.thread_ts);
const replies = (h: Harness) => h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts);
const text = (x: unknown) => JSON.stringify(x);

describe('alerts, end to end', () => {
  it('a new issue is announced once with the mention, not again on later checks or after a restart, and resolved in place', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true') }));
    await h.checkAlerts();
    const baseline = posts(h).length;
    expect(baseline).toBeGreaterThan(0);

    const ad = h.sandbox.account.ads.find((a) => a.status === 'active' && !text(h.slack.messages(CHANNEL)).includes(a.id))!;
    const issue = addIssue(h.sandbox.account, ad.id, 'Ad disapproved: <!channel> prohibited content & claims');
    await h.checkAlerts();
    expect(posts(h)).toHaveLength(baseline + 1);
    const alert = posts(h).at(-1)!;
    expect(String(alert.args.text)).toContain('<!subteam^S0ADS>');
    expect(text(alert.args.blocks)).toContain('&lt;!channel&gt; prohibited content &amp; claims');
    expect(text(alert.args.blocks)).not.toContain('<!channel>');

    await h.checkAlerts();
    await h.checkAlerts();
    await h.restart();
    await h.checkAlerts();
    expect(posts(h)).toHaveLength(baseline + 1);

    // Resolution waits for resolve_after_checks (default 2) healthy checks in a row; the first changes nothing.
    removeIssue(h.sandbox.account, issue.id);
    await h.checkAlerts();
    const message = h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes('prohibited content'))!;
    expect(text(message.blocks)).not.toContain('Resolved');
    await h.checkAlerts();
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks)).toMatch(/:white_check_mark: \*Resolved\* · \d\d:\d\d/);
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks)).not.toContain('"type":"button"');
    expect(posts(h)).toHaveLength(baseline + 1);
  });

  it('the same message on several ads is one alert; Pause all pauses every listed ad once, each audited', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true') }));
    // The seeded issues first: many new problems in one check are one grouped message.
    await h.checkAlerts();
    const ads = h.sandbox.account.ads.filter((a) => a.status === 'active').slice(0, 3);
    for (const ad of ads) addIssue(h.sandbox.account, ad.id, 'Policy: misleading claims in the headline');
    await h.checkAlerts();
    const alerts = posts(h).filter((c) => text(c.args.blocks).includes('misleading claims'));
    expect(alerts).toHaveLength(1);
    const message = h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes('misleading claims'))!;
    expect(text(message.blocks)).toContain('Pause all 3 ads');

    const click = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts: message.ts, value: message.blocks.length ? keyOf(message.blocks) : '', actionId: 'alert.pause_all' });
    await Promise.all([h.send(click.body), h.send(click.body, 1)]);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.thread_ts === message.ts);
    for (const ad of ads) expect(ad.status).toBe('paused');
    const pauses = h.sandbox.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/pause'));
    expect(pauses).toHaveLength(3);
    for (const ad of ads) expect(await h.auditFor(ad.id)).toMatchObject([{ action: 'ad.pause', outcome: 'done', userId: 'U0MARIA' }]);
    const updated = h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!;
    expect(text(updated.blocks).match(/paused by <@U0MARIA>/g)).toHaveLength(3);
  });

  it('snooze silences reminders until it expires, then one reply in the thread', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true') }));
    // The seeded issues first: many new problems in one check are one grouped message.
    await h.checkAlerts();
    const ad = h.sandbox.account.ads.find((a) => a.status === 'active')!;
    addIssue(h.sandbox.account, ad.id, 'Frequency too high');
    await h.checkAlerts();
    const message = h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes('Frequency too high'))!;
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts: message.ts, value: keyOf(message.blocks), actionId: 'alert.snooze.1h' });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks)).toContain(':zzz: Snoozed by <@U0MARIA> until');

    const now = h.now.getTime();
    await h.checkAlerts(new Date(now + 30 * 60_000));
    expect(replies(h)).toHaveLength(0);
    await h.checkAlerts(new Date(now + 2 * HOUR));
    expect(replies(h).filter((r) => r.args.thread_ts === message.ts)).toHaveLength(1);
    expect(String(replies(h)[0]!.args.text)).toContain('Snooze ended');
    expect(text(h.slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks)).not.toContain(':zzz:');
    await h.checkAlerts(new Date(now + 3 * HOUR));
    const inThread = () => replies(h).filter((r) => r.args.thread_ts === message.ts);
    expect(inThread()).toHaveLength(1);
    await h.checkAlerts(new Date(now + 27 * HOUR));
    expect(inThread()).toHaveLength(2);
    expect(String(inThread()[1]!.args.text)).toContain('Still open since');
  });

  it('a Snooze forged with another alert’s key snoozes nothing and leaves both messages as they were', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true') }));
    await h.checkAlerts();
    const ad = h.sandbox.account.ads.find((a) => a.status === 'active')!;
    addIssue(h.sandbox.account, ad.id, 'Frequency too high');
    await h.checkAlerts();
    const another = h.sandbox.account.ads.find((a) => a.status === 'active' && a.id !== ad.id)!;
    addIssue(h.sandbox.account, another.id, 'Audience overlap with another ad group');
    await h.checkAlerts();
    const find = (words: string) => h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes(words))!;
    const clicked = structuredClone(find('Frequency too high'));
    const other = structuredClone(find('Audience overlap'));
    const click = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts: clicked.ts, value: keyOf(clicked.blocks), actionId: 'alert.snooze.1h' });
    const forged = structuredClone(click.payload) as { actions: Array<{ value: string }>; response_url: string };
    forged.actions[0]!.value = keyOf(other.blocks);
    await h.send(blockActionsBody(forged as unknown as Record<string, unknown>));
    await h.responsesTo(forged.response_url);

    // Each message still shows its own alert, unsnoozed.
    const now = (ts: string) => h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks;
    expect(now(clicked.ts)).toEqual(clicked.blocks);
    expect(now(other.ts)).toEqual(other.blocks);
    // Not snoozed: its reminder still comes after renotify_hours.
    await h.checkAlerts(new Date(h.now.getTime() + 25 * HOUR));
    expect(replies(h).filter((r) => r.args.thread_ts === other.ts)).toHaveLength(1);
  });

  it('a click sent from the alert as it was before a check resolved it does not bring the open alert back', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true') }));
    await h.checkAlerts();
    const ad = h.sandbox.account.ads.find((a) => a.status === 'active')!;
    const issue = addIssue(h.sandbox.account, ad.id, 'Frequency too high');
    await h.checkAlerts();
    const open = structuredClone(h.slack.messages(CHANNEL).find((m) => text(m.blocks).includes('Frequency too high'))!);
    removeIssue(h.sandbox.account, issue.id);
    await h.checkAlerts();
    await h.checkAlerts();
    const shownNow = () => text(h.slack.messages(CHANNEL).find((m) => m.ts === open.ts)!.blocks);
    expect(shownNow()).toContain('*Resolved*');

    // Slack built this click's payload from the message as it was a moment before the check's update landed.
    const payload = blockActionPayload({
      user: 'U0MARIA',
      channel: CHANNEL,
      message: { ts: open.ts, text: open.text, blocks: open.blocks },
      action: { action_id: 'ad.pause', value: ad.id },
      response_url: h.slack.responseUrl(),
      trigger_id: h.slack.triggerId(),
    });
    await h.send(blockActionsBody(payload));
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok && c.args.thread_ts === open.ts && String(c.args.text).includes('U0MARIA'));
    expect(shownNow()).toContain('*Resolved*');
    expect(shownNow()).not.toContain('alert.snooze');
  });

  it('pacing, cost per result, ROAS and no-delivery fire once each on crafted data and not on healthy data', async () => {
    // One fixed mid-morning moment for the sandbox and every check: today's stats grow with the clock otherwise,
    // and in the small hours "today" has no results to judge yet.
    const now = HARNESS_NOW;
    const account = (await import('../../src/sandbox')).demoAccount({ now: () => now });
    const h = (harness = await Harness.start({
      account,
      yaml: yaml('cost_per_result_above: 1000000\nroas_below: 0.0001\npacing: { pct_of_daily_budget: 1000, before: "23:59" }\nno_delivery_hours: 6'),
    }));
    await h.checkAlerts(now);
    expect(posts(h)).toHaveLength(0);

    // An active ad group with a live ad that has shown nothing for days.
    const idle = {
      ...account.adGroups[0]!,
      id: 'adgrp_Idle1',
      title: 'Idle ad group',
      status: 'active' as const,
      created_at: new Date(now.getTime() - 10 * 24 * HOUR).toISOString(),
    };
    const template = account.ads.find((a) => a.status === 'active')!;
    account.adGroups.push(idle);
    account.ads.push({
      ...template,
      id: 'ad_Idle1',
      ad_group_id: idle.id,
      ad_campaign_id: idle.ad_campaign_id,
      daily: { start: template.daily.start, values: new Int32Array(template.daily.values.length) },
    });

    const sdk = createWhopClient({ apiKey: WHOP_KEY, baseURL: h.sandbox.url, maxRetries: 0 });
    const gateway = createAdsGateway(sdk);
    const today = await gateway.adGroups({ ...statsWindow('today', now, 'America/New_York'), timeZone: 'America/New_York' });
    if (!today.ok) throw new Error(today.error.message);
    const live = today.value.filter((g) => g.status === 'active');
    const costly = live.filter((g) => g.results && g.cost_per_result !== null).sort((a, b) => b.cost_per_result! - a.cost_per_result!)[0]!;
    const fast = live.filter((g) => g.budget_type === 'daily' && g.budget_amount && g.spend > 0).sort((a, b) => b.spend / b.budget_amount! - a.spend / a.budget_amount!)[0]!;
    const fastPct = Math.floor((fast.spend / fast.budget_amount!) * 100 * 100) / 100;

    const crafted = (rule: string) => yaml(rule);
    for (const [rule, expectWords] of [
      // Floors off: a mid-morning "today" is thin, and these cases are about the thresholds (alert-floors.e2e tests floors).
      [`cost_per_result_above: { limit: ${costly.cost_per_result! - 0.01}, min_spend: 0, min_impressions: 0 }`, 'Cost per result too high'],
      [`pacing: { pct_of_daily_budget: ${fastPct}, before: "23:59" }`, 'Spending fast'],
      ['roas_below: { limit: 1000, min_spend: 0, min_impressions: 0 }', 'ROAS too low'],
      ['no_delivery_hours: 6', 'Not delivering'],
    ] as const) {
      await harness!.stop();
      harness = await Harness.start({ account, yaml: crafted(rule) });
      const h2 = harness;
      await h2.checkAlerts(now);
      const first = posts(h2);
      expect(first.length, rule).toBeGreaterThan(0);
      for (const post of first) expect(text(post.args.blocks)).toContain(expectWords);
      await h2.checkAlerts(now);
      expect(posts(h2)).toHaveLength(first.length);
      if (rule.startsWith('cost')) expect(text(first)).toContain(costly.id);
      if (rule.startsWith('no_delivery')) expect(first.map((p) => text(p.args.blocks)).join()).toContain('Idle ad group');
    }
  });

  it('Whop down for three checks posts one notice, resolved when Whop answers again', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true') }));
    await h.checkAlerts();
    const baseline = posts(h).length;
    h.sandbox.faults.failNext(1000, 503);
    await h.checkAlerts();
    await h.checkAlerts();
    expect(posts(h)).toHaveLength(baseline);
    await h.checkAlerts();
    await h.checkAlerts();
    const notices = posts(h).slice(baseline);
    expect(notices).toHaveLength(1);
    expect(String(notices[0]!.args.text)).toContain('Cannot reach Whop since');
    h.sandbox.faults.reset();
    await h.checkAlerts();
    const notice = h.slack.messages(CHANNEL).filter((m) => text(m.blocks).includes('Whop answers again'));
    expect(notice).toHaveLength(1);
    expect(text(h.slack.messages(CHANNEL))).not.toContain('Cannot reach Whop since');
    expect(posts(h)).toHaveLength(baseline + 1);
  });

  it('the running app checks on its schedule and posts each alert once over several checks', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true', '', '* * * * * *') }));
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok);
    await new Promise((r) => setTimeout(r, 2_500));
    const keys = posts(h).map((p) => keyOf(p.args.blocks as unknown[]));
    expect(keys.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('the landing-page issue seeded in the sandbox is among the first alerts', async () => {
    const h = (harness = await Harness.start({ yaml: yaml('new_issues: true\nrejected: true') }));
    await h.checkAlerts();
    expect(text(posts(h))).toContain(LANDING_PAGE_DOWN.slice(0, 30));
  });
});

/** The alert key a message's buttons carry. */
function keyOf(blocks: unknown[]): string {
  const match = /"action_id":"alert\.snooze\.1h","value":"([^"]+)"/.exec(JSON.stringify(blocks));
  if (!match) throw new Error('no snooze button');
  return match[1]!;
}
