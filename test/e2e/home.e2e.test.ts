// App Home, the setup checks, onboarding and /ads status, over signed events and the fake Slack: one app start.
import type { KnownBlock } from '@slack/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOME_AUDIT_PAGE_ACTION, HOME_POST_DIGEST_ACTION, HOME_REFRESH_ACTION, HOME_SIMULATE_ACTION, POST_DIGEST_CALLBACK } from '../../blocks/home';
import { RULE_APPROVE_ACTION, RULE_SKIP_ACTION } from '../../src/automation/rule-action';
import { blocksAsText } from '../../src/demo/blocks-as-text';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { blockActionsBody, viewSubmissionPayload } from '../support/slack-request';
import { BOT } from '../support/test-workspace';
import { HARNESS_NOW, Harness } from './harness';

const YAML = `
timezone: America/New_York
setup_check: { schedule: "0 0 1 1 *" }
digests:
  - channel: C0DIGEST
    schedule: "0 9 * * 1-5"
  - channel: C0WEEKLY
    schedule: "0 8 * * 1"
    window: last_7d
alerts:
  - channel: C0ALERTS
    schedule: "30 6 * * 0"
    rules:
      rejected: true
      cost_per_result_above: { limit: 40, action: pause, mode: approve }
  - channel: C0SECRET
    schedule: "15 7 * * *"
    rules: { new_issues: true }
access:
  operators: [U0MARIA, S0OPS, S0GONE]
`;

const HOUR = 3_600_000;
const FIRING_ID = `C0ALERTS:cpr:adgrp_1:${new Date(HARNESS_NOW.getTime() - 2 * HOUR).toISOString()}`;
let h: Harness;
const textOf = (view: { view: Record<string, unknown> }) => blocksAsText(view.view.blocks as KnownBlock[]);
const actionIds = (view: { view: Record<string, unknown> }) => [...JSON.stringify(view.view.blocks).matchAll(/"action_id":"([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  h = await Harness.start({
    yaml: YAML,
    userGroups: { S0OPS: ['U0OLGA'] },
    channels: { privateChannels: ['C0SECRET'], notMemberOf: ['C0SECRET', 'C0WEEKLY'] },
  });
  // What the bot already knows: an open, snoozed alert, a rule action awaiting approval on another, two audit rows.
  const store = openSqliteStore(h.dbPath);
  const at = new Date(HARNESS_NOW.getTime() - 2 * HOUR);
  await store.forAccount(DEFAULT_ACCOUNT).alerts.save({
    channel: 'C0ALERTS',
    key: 'rejected:ad_9',
    ts: '1732540000.000100',
    state: 'open',
    problem: { key: 'rejected:ad_9', rule: 'rejected', entities: [{ kind: 'ad', id: 'ad_9', title: 'Summer <!channel> sale', status: 'rejected' }] },
    fingerprint: 'f',
    openedAt: at,
    notifiedAt: at,
    resolvedAt: null,
    snoozedUntil: new Date(HARNESS_NOW.getTime() + 3 * HOUR),
    snoozedBy: 'U0MARIA',
    snoozedUntilRecovered: false,
    healthyChecks: 0,
    groupTs: null,
  });
  await store.forAccount(DEFAULT_ACCOUNT).firings.claim({
    id: FIRING_ID,
    channel: 'C0ALERTS',
    alertKey: 'cpr:adgrp_1',
    rule: 'cost_per_result_above',
    mode: 'approve',
    entityKind: 'ad_group',
    entityId: 'adgrp_1',
    entityTitle: 'Broad – US',
    plan: { kind: 'toggle', verb: 'pause', until: null },
    why: 'cost per result $61.00 over the $40.00 limit on $180.00 spent',
    state: 'awaiting',
    firedAt: at,
    expiresAt: new Date(HARNESS_NOW.getTime() + 4 * HOUR),
    actedAt: null,
    actedBy: null,
    revertAt: null,
    messageTs: null,
    detail: null,
  });
  // Past its time, but no alert check has run since to mark it expired: no longer a request anyone can approve.
  await store.forAccount(DEFAULT_ACCOUNT).firings.claim({
    ...(await store.forAccount(DEFAULT_ACCOUNT).firings.get(FIRING_ID))!,
    id: `C0ALERTS:cpr:adgrp_3:${at.toISOString()}`,
    alertKey: 'cpr:adgrp_3',
    entityId: 'adgrp_3',
    entityTitle: 'Lapsed',
    expiresAt: new Date(HARNESS_NOW.getTime() - HOUR),
  });
  await store.forAccount(DEFAULT_ACCOUNT).alerts.saveSkips('C0ALERTS', { checkedAt: at, skipped: { roas: { min_spend: 3 } } });
  await store.forAccount(DEFAULT_ACCOUNT).audit.record({
    at,
    userId: 'U0OLGA',
    action: 'ad_group.pause',
    entityKind: 'ad_group',
    entityId: 'adgrp_2',
    entityTitle: 'Retargeting',
    before: 'active',
    after: 'paused',
    channel: 'C0DIGEST',
    messageTs: '1.1',
    outcome: 'done',
    reason: null,
    detail: null,
  });
  await store.close();
});
afterAll(async () => {
  await h.stop();
});

describe('App Home', () => {
  it('names every digest and alert entry with its schedule in words and next run, and greets a first visit once', async () => {
    const home = await h.openHome('U0MARIA');
    const text = textOf(home);
    expect(text).toContain('<#C0DIGEST> · yesterday · weekdays at 9:00 America/New_York');
    expect(text).toContain('next Nov 25, 09:00 EST · not run yet');
    expect(text).toContain('<#C0WEEKLY> · last 7 days · Mondays at 8:00 America/New_York');
    expect(text).toContain('next Nov 30, 08:00 EST');
    expect(text).toContain('<#C0ALERTS> · Sundays at 6:30 America/New_York');
    expect(text).toContain('next Nov 29, 06:30 EST');
    expect(text).toContain('left unjudged last check: 3 roas under min_spend');
    expect(text).toContain('<#C0SECRET> · every day at 7:15 America/New_York');
    expect(text).toContain('next Nov 25, 07:15 EST');
    expect(text).toContain('Whop 🟢 reachable since Nov 24, 10:42 EST');
    expect(text).toContain('Welcome!');

    const before = h.slack.callsTo('views.publish').length;
    expect((await h.clickHome('U0MARIA', HOME_REFRESH_ACTION)).status).toBe(200);
    expect(textOf(await h.publishedAfter('U0MARIA', before))).not.toContain('Welcome!');
    expect(textOf(await h.openHome('U0MARIA'))).not.toContain('Welcome!');
  });

  it('shows a configured channel the bot is not in as a warning at the top and one log line; a public one it joins itself', async () => {
    const text = textOf(await h.openHome('U0MARIA'));
    const warning = 'Channel C0SECRET (alerts) was not found: check its id in ads-bot.yml; if it is private, invite me with /invite @Whop Ads.';
    expect(text).toContain(warning);
    expect(text).toContain('User group S0GONE in access.operators does not exist');
    expect(text.indexOf(warning)).toBeLessThan(text.indexOf('Digests'));
    expect(h.logs.filter((line) => line.includes(warning) && line.includes('"level":40'))).toHaveLength(1);
    expect(h.slack.callsTo('conversations.join').map((c) => c.args.channel)).toEqual(['C0WEEKLY']);
    expect(text).not.toContain('C0WEEKLY (digest)');
  });

  it('lists open alerts with their state and link, and for operators the approvals with Approve and Skip', async () => {
    const home = await h.openHome('U0OLGA');
    const text = textOf(home);
    // Escaped, so the ad's title pings nobody.
    expect(JSON.stringify(home.view.blocks)).toContain('Summer &lt;!channel&gt; sale');
    expect(text).toContain('snoozed until Nov 24, 13:42 EST');
    expect(text).toContain('<https://whop-ads-test.slack.com/archives/C0ALERTS/p1732540000000100|open>');
    expect(text).toContain('Broad – US in <#C0ALERTS>: cost per result $61.00 over the $40.00 limit');
    expect(text).toContain('Rule actions awaiting approval (1)');
    expect(text).not.toContain('Lapsed');
    expect(text).toContain('<@U0OLGA> · `ad_group.pause` Retargeting (active → paused) · ✅ done');
    expect(actionIds(home)).toEqual(expect.arrayContaining([RULE_APPROVE_ACTION, RULE_SKIP_ACTION, HOME_POST_DIGEST_ACTION]));
  });

  it("a non-operator's Home shows no buttons that act, and says they can look but not act", async () => {
    const home = await h.openHome('U0BOB');
    const text = textOf(home);
    expect(text).toContain('You can look but not act here');
    expect(text).toContain('Operators: <@U0MARIA>, <!subteam^S0OPS>, <!subteam^S0GONE>.');
    expect(text).not.toContain('awaiting approval (');
    // Simulate rules only reads, as /ads rules simulate does.
    expect(actionIds(home)).toEqual([HOME_SIMULATE_ACTION, HOME_REFRESH_ACTION]);

    // An Approve forged onto their Home, with a real firing's id, leaves the firing waiting for an operator.
    expect((await h.clickHome('U0BOB', RULE_APPROVE_ACTION, FIRING_ID)).status).toBe(200);
    const store = openSqliteStore(h.dbPath);
    try {
      expect((await store.forAccount(DEFAULT_ACCOUNT).firings.get(FIRING_ID))?.state).toBe('awaiting');
    } finally {
      await store.close();
    }
  });

  it('Simulate rules opens a form at once and fills it with the replay of the last week, for anyone', async () => {
    await h.openHome('U0BOB');
    expect((await h.clickHome('U0BOB', HOME_SIMULATE_ACTION)).status).toBe(200);
    const opened = await h.slack.waitFor((c) => c.method === 'views.open' && JSON.stringify(c.args.view).includes('Simulate rules'));
    expect(JSON.stringify(opened.args.view)).toContain('Replaying the alert rules with an action over the last 7 days');
    const answered = await h.slack.waitFor((c) => c.method === 'views.update' && JSON.stringify(c.args.view).includes('What the rules would have done'));
    const text = blocksAsText((answered.args.view as { blocks: KnownBlock[] }).blocks);
    expect(text).toContain('cost_per_result_above');
    expect(text).toContain('Nothing was changed in Whop');
    expect(h.sandbox.requests.some((r) => r.method !== 'GET')).toBe(false);
  });

  it("an operator's Skip from Home publishes their Home again, the request gone from it and the Skip among the last actions", async () => {
    const home = await h.openHome('U0MARIA');
    expect(JSON.stringify(home.view.blocks)).toContain(`"value":"${FIRING_ID}"`);
    const before = h.slack.callsTo('views.publish').length;
    expect((await h.clickHome('U0MARIA', RULE_SKIP_ACTION, FIRING_ID)).status).toBe(200);
    const after = await h.publishedAfter('U0MARIA', before);
    expect(JSON.stringify(after.view.blocks)).not.toContain(`"value":"${FIRING_ID}"`);
    expect(textOf(after)).toContain('<@U0MARIA> · `rule_action.skip`');
  });

  it('Older actions opens the audit log a page at a time, for anyone', async () => {
    await h.openHome('U0BOB');
    expect((await h.clickHome('U0BOB', HOME_AUDIT_PAGE_ACTION, '0')).status).toBe(200);
    const opened = await h.slack.waitFor((c) => c.method === 'views.open' && JSON.stringify(c.args.view).includes('Audit log'));
    expect(JSON.stringify(opened.args.view)).toContain('Retargeting');
  });

  it('Post a digest now posts through the digest code for an operator; a forged one from anyone else changes nothing', async () => {
    await h.openHome('U0MARIA');
    expect((await h.clickHome('U0MARIA', HOME_POST_DIGEST_ACTION)).status).toBe(200);
    const postForms = () => h.slack.callsTo('views.open').filter((c) => c.ok && (c.args.view as { callback_id?: string }).callback_id === POST_DIGEST_CALLBACK);
    await h.slack.waitFor((c) => c.method === 'views.open' && postForms().length > 0);
    const form = h.slack.views().find((v) => v.view.callback_id === POST_DIGEST_CALLBACK)!;
    const values = (channel: string) => ({
      channel: { channel: { type: 'static_select', selected_option: { value: channel } } },
      window: { window: { type: 'static_select', selected_option: { value: 'yesterday' } } },
    });
    const submit = (user: string, channel: string) =>
      h.send(blockActionsBody(viewSubmissionPayload({ user, view: { id: form.id, hash: form.hash, callback_id: POST_DIGEST_CALLBACK }, values: values(channel) })));

    const forged = await submit('U0BOB', 'C0DIGEST');
    expect(forged.status).toBe(200);
    expect(JSON.parse(forged.body)).toMatchObject({ response_action: 'errors', errors: { channel: expect.stringContaining('Only operators') } });
    const notConfigured = await submit('U0MARIA', 'C0RANDOM');
    expect(JSON.parse(notConfigured.body)).toMatchObject({ response_action: 'errors' });
    const forgedButton = await h.clickHome('U0BOB', HOME_POST_DIGEST_ACTION, 'open');
    expect(forgedButton.status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'U0BOB');
    expect(postForms()).toHaveLength(1);
    expect(h.slack.messages('C0DIGEST')).toHaveLength(0);

    expect((await submit('U0MARIA', 'C0DIGEST')).status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'views.update' && String(JSON.stringify(c.args.view)).includes('Posted in <#C0DIGEST>'), 15_000);
    expect(h.slack.messages('C0DIGEST').filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(h.slack.messages('C0DIGEST')[0]!.text).toMatch(/digest/i);
  });
});

describe('onboarding', () => {
  const joined = (channel: string, user: string = BOT.userId) => ({ type: 'member_joined_channel', user, channel, channel_type: 'C', team: 'T0TEST', inviter: 'U0MARIA' });
  const repeats = () => h.logs.filter((line) => line.includes('its onboarding message was posted before')).length;

  it('adding the bot to a channel posts one message saying what it will post there, not again when Slack redelivers it', async () => {
    h.slack.invite('C0WEEKLY');
    const posts = () => h.slack.messages('C0WEEKLY').filter((m) => m.text.includes('Here I will post'));
    await h.event(joined('C0WEEKLY', 'U0OLGA'));
    await h.event(joined('C0WEEKLY'), 'EvJOIN0001');
    await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0WEEKLY');
    await h.event(joined('C0WEEKLY'), 'EvJOIN0001', 1);
    await h.event(joined('C0WEEKLY'), 'EvJOIN0002');
    await expect.poll(repeats).toBe(2);
    expect(posts()).toHaveLength(1);
    expect(blocksAsText(posts()[0]!.blocks as KnownBlock[])).toContain('a digest of last 7 days, Mondays at 8:00 America/New_York');
    expect(h.slack.messages('C0WEEKLY')).toHaveLength(1);
  });

  it('in a channel nothing is configured for, it says how to configure one', async () => {
    await h.event(joined('C0ELSE'));
    const call = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0ELSE');
    expect(JSON.stringify(call.args.blocks)).toContain('add `C0ELSE` under `digests:` or `alerts:` in ads-bot.yml');
  });
});

describe('/ads status', () => {
  it('answers the same summary, only to the person, without buttons', async () => {
    const { responseUrl } = await h.command('/ads', 'status', 'U0BOB');
    const [answer] = await h.responsesTo(responseUrl);
    const text = blocksAsText(answer!.blocks as KnownBlock[]);
    expect(answer).toMatchObject({ response_type: 'ephemeral' });
    expect(text).toContain('<#C0DIGEST> · yesterday · weekdays at 9:00 America/New_York');
    expect(text).toContain('Channel C0SECRET (alerts) was not found');
    expect(text).toContain('You can look but not act here');
    expect(JSON.stringify(answer!.blocks)).not.toContain('action_id');
  });
});
