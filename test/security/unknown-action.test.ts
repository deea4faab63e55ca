// The proposed catch-all for unknown buttons (src/slack/actions/unknown-action.ts), on the real app and
// receiver (src/app.ts) but with only a stand-in for the bot's own listeners, so it is tested whether or
// not src/slack/listeners.ts registers it yet.
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { TOGGLE_ACTION } from '../../src/slack/actions/toggle-delivery';
import { onUnknownAction } from '../../src/slack/actions/unknown-action';
import { BOT_TOKEN, SIGNING_SECRET } from '../e2e/harness';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { blockActionPayload, blockActionsBody, postToSlackEvents } from '../support/slack-request';

let slack: FakeSlack;
let app: App;
let url: string;
const handled: string[] = [];

beforeAll(async () => {
  slack = await startFakeSlack({ token: BOT_TOKEN });
  const env = {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    WHOP_API_KEY: 'unused',
    ADS_BOT_DB: join(mkdtempSync(join(tmpdir(), 'ads-bot-')), 'state.sqlite'),
  };
  const config = loadConfig(env, () => 'timezone: UTC\n');
  ({ app } = await buildApp(config, { log: createLogger('silent'), clientOptions: { retryConfig: { retries: 0 } }, database: async () => ({ kind: 'none', ok: true }) }));
  // Stand-ins for the bot's listeners: one by pattern, one by exact id.
  app.action(TOGGLE_ACTION, async ({ ack, action }) => {
    await ack();
    handled.push((action as { action_id: string }).action_id);
  });
  app.action('ad_group.open', async ({ ack }) => {
    await ack();
    handled.push('ad_group.open');
  });
  app.action(/.*/, onUnknownAction([TOGGLE_ACTION, 'ad_group.open']));
  const server = await app.start({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app?.stop();
  await slack?.close();
});

function click(actionId: string) {
  const payload = blockActionPayload({
    user: 'U0MARIA',
    channel: 'C0DIGEST',
    message: { ts: '1732540000.000100', blocks: [] },
    action: { action_id: actionId, block_id: 'b', value: 'adgrp_x' },
    response_url: slack.responseUrl(),
  });
  return { body: blockActionsBody(payload), responseUrl: payload.response_url as string };
}

describe('the catch-all for unknown buttons', () => {
  it('acks an unknown action at once and tells the clicker, in plain words, that nothing was done', async () => {
    const unknown = click('ad_group.explode');
    const answer = await postToSlackEvents(url, SIGNING_SECRET, unknown.body);
    expect(answer.status).toBe(200);
    expect(answer.ms).toBeLessThan(1_000);
    await expect.poll(() => slack.responses.filter((r) => r.url === unknown.responseUrl).length).toBe(1);
    expect(JSON.stringify(slack.responses[0]!.body)).toContain('not one this bot understands');
    expect(slack.calls.filter((c) => c.method !== 'auth.test')).toEqual([]);
  });

  it('stays out of the way of known actions: one ack (no double-ack error), no extra answer', async () => {
    const before = slack.responses.length;
    const known = [click('ad_group.pause'), click('ad.unpause:3'), click('ad_group.open')];
    const answers = await Promise.all(known.map((k) => postToSlackEvents(url, SIGNING_SECRET, k.body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await new Promise((r) => setTimeout(r, 200));
    expect(handled).toEqual(expect.arrayContaining(['ad_group.pause', 'ad.unpause:3', 'ad_group.open']));
    expect(slack.responses.length).toBe(before);
  });
});
