// Slack misbehaving: a rate-limited digest post, and a message update Slack refuses after Whop acted.
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createChartRenderer } from '../../src/charts/renderer';
import { postDigest } from '../../src/digest/post';
import { createLogger } from '../../src/logger';
import { demoAccount, type SandboxServer, startSandbox } from '../../src/sandbox';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { BOT_TOKEN, HARNESS_NOW, Harness, WHOP_KEY } from '../e2e/harness';
import { activeGroupIn, answersTo, CHANNEL, digestYaml, messageJson, sleep, waitFor, waitForAudit } from '../security/support';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { silentLogger } from '../support/silent-logger';

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('Slack rate limits a digest (429 on chat.postMessage)', () => {
  it('postDigest with a retrying WebClient waits Retry-After and posts the digest once', async () => {
    const sandbox: SandboxServer = await startSandbox({ apiKey: WHOP_KEY, account: demoAccount({ now: () => HARNESS_NOW }) });
    const slack: FakeSlack = await startFakeSlack({ token: BOT_TOKEN });
    cleanup.push(
      () => sandbox.close(),
      () => slack.close(),
    );
    const store = openSqliteStore(':memory:');
    cleanup.push(() => store.close());
    slack.rateLimitNext('chat.postMessage', 1, 1);
    const deps = {
      gateway: createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: sandbox.url, maxRetries: 0 })),
      charts: createChartRenderer(),
      posts: store.digests,
      slack: new WebClient(BOT_TOKEN, { slackApiUrl: slack.url, logger: silentLogger(), retryConfig: { retries: 2, minTimeout: 0, maxTimeout: 10 } }),
      timeZone: 'America/New_York',
      sandbox: false,
      now: () => HARNESS_NOW,
      log: createLogger('silent'),
    };
    const started = Date.now();
    const outcome = await postDigest(deps, { channel: CHANNEL, window: 'yesterday', campaigns: [], top: 5, chart: 'off' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(outcome).toMatchObject({ posted: true, channel: CHANNEL });
    const attempts = slack.callsTo('chat.postMessage');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(slack.messages(CHANNEL).filter((m) => !m.thread_ts)).toHaveLength(1);
    expect(JSON.stringify(slack.messages(CHANNEL)[0]!.blocks)).toContain('Ads digest');
  });
});

describe('Slack refuses the message update after Whop acted', () => {
  let h: Harness;
  const start = async () => {
    h = await Harness.start({ yaml: digestYaml() });
    cleanup.push(() => h.stop());
    const ts = await h.postDigestNow(CHANNEL);
    return { ts, group: activeGroupIn(h, ts) };
  };

  it.each([
    ['a 500', () => h.slack.failNext('chat.update', 1, 'http_500')],
    ['message_not_found', () => h.slack.failNext('chat.update', 1, 'message_not_found')],
  ])('on %s the clicker is told it was done in Whop, and the audit log says done', async (_name, fault) => {
    const { ts, group } = await start();
    const before = messageJson(h, ts);
    fault();
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1);
    expect(answersTo(h)[0]).toContain('was paused in Whop, but Slack did not let me update the message');
    expect(group.status).toBe('paused');
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    expect(messageJson(h, ts)).toBe(before);
    expect((await waitForAudit(h, group.id))[0]).toMatchObject({ outcome: 'done', before: 'active', after: 'paused' });
    // No thread line either: it would claim a change the message does not show.
    await sleep(100);
    expect(h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.args.thread_ts === ts)).toEqual([]);

    // The next click refreshes the row from Whop (no second pause).
    await h.click({ user: 'U0LEE', channel: CHANNEL, ts, value: group.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(h.button(CHANNEL, ts, group.id).button.action_id).toBe('ad_group.unpause');
    expect(h.sandbox.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('Slack failing for good on a click (HTTP 500 to every chat.update)', () => {
  it('with the bot’s own client settings the clicker is told within seconds, not after the library’s 30 minutes of retries', async () => {
    const h = await Harness.start({ yaml: digestYaml(), clientOptions: {} });
    cleanup.push(() => h.stop());
    const ts = await h.postDigestNow(CHANNEL);
    const group = activeGroupIn(h, ts);
    h.slack.failNext('chat.update', Number.POSITIVE_INFINITY, 'http_500');
    const started = Date.now();
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1, 15_000, 'an answer to the clicker');
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(answersTo(h)[0]).toContain('was paused in Whop, but Slack did not let me update the message');
    expect(h.slack.callsTo('chat.update').map((c) => c.status)).toEqual([500, 500, 500]);
    expect(group.status).toBe('paused');
  });
});

describe('Slack failing for a few seconds when a scheduled digest posts', () => {
  it('with the bot’s own client settings the digest still posts, once, and no failure notice goes out', async () => {
    const yaml = ['timezone: America/New_York', 'digests:', `  - channel: ${CHANNEL}`, '    schedule: "* * * * * *"'].join('\n');
    const h = await Harness.start({ yaml, clientOptions: {} });
    cleanup.push(() => h.stop());
    // Three refusals in a row: more than a click's quick retries (three tries) would sit out.
    h.slack.failNext('chat.postMessage', 3, 'http_500');
    await waitFor(() => h.slack.messages(CHANNEL).some((m) => !m.thread_ts), 15_000, 'the digest');
    const topLevel = h.slack.messages(CHANNEL).filter((m) => !m.thread_ts);
    expect(topLevel).toHaveLength(1);
    expect(JSON.stringify(topLevel[0]!.blocks)).toContain('Ads digest');
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .slice(0, 4)
        .map((c) => c.status),
    ).toEqual([500, 500, 500, 200]);
    expect(h.logs.some((l) => l.includes('scheduled run failed'))).toBe(false);
  });
});
