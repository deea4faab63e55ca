// The support code against the real Bolt: a throwaway app, not the project's, proves that
// signed requests get in and that Bolt's client, respond() and views.open reach the fake.
import type { AddressInfo } from 'node:net';
import { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { silentLogger } from '../support/silent-logger';
import { blockActionPayload, blockActionsBody, postToSlackEvents, slashCommandBody } from '../support/slack-request';

const SECRET = 'test-signing-secret';
let fake: FakeSlack;
let app: App;
let events: string;
const retryNums: Array<number | undefined> = [];

beforeAll(async () => {
  fake = await startFakeSlack({ channels: ['C0ADS'] });
  app = new App({
    token: 'xoxb-test',
    signingSecret: SECRET,
    logger: silentLogger(),
    clientOptions: { slackApiUrl: fake.url, retryConfig: { retries: 0 } },
  });
  app.command('/ads', async ({ ack, respond, client, body, context }) => {
    await ack();
    retryNums.push(context.retryNum);
    await respond({ text: 'Opening the budget editor' });
    await client.views.open({
      trigger_id: body.trigger_id,
      view: { type: 'modal', title: { type: 'plain_text', text: 'Budget' }, blocks: [{ type: 'divider' }] },
    });
  });
  app.action('ad.pause', async ({ ack, body, client }) => {
    await ack();
    if (body.type !== 'block_actions' || !body.channel || !body.message) return;
    await client.chat.update({ channel: body.channel.id, ts: body.message.ts, text: 'Paused by <@U0ALICE>', blocks: [] });
  });
  const server = await app.start(0);
  events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app.stop();
  await fake.close();
});

describe('Bolt against the fake Slack', () => {
  it('takes a signed slash command, responds on the response_url and opens a modal', async () => {
    const url = fake.responseUrl();
    const body = slashCommandBody({ command: '/ads', response_url: url, trigger_id: fake.triggerId() });
    const answer = await postToSlackEvents(events, SECRET, body, { retryNum: 1 });
    expect(answer.status).toBe(200);
    await fake.waitFor((c) => c.method === 'views.open');
    expect(fake.callsTo('views.open')).toMatchObject([{ ok: true }]);
    expect(fake.responses).toEqual([{ url, body: { text: 'Opening the budget editor' }, status: 200 }]);
    expect(retryNums).toEqual([1]);
  });

  it('updates the clicked message through chat.update', async () => {
    await app.client.chat.postMessage({
      channel: 'C0ADS',
      text: 'Spring sale',
      blocks: [
        {
          type: 'actions',
          elements: [{ type: 'button', action_id: 'ad.pause', value: 'ad_1', text: { type: 'plain_text', text: 'Pause' } }],
        },
      ],
    });
    const [message] = fake.messages('C0ADS');
    const payload = blockActionPayload({
      user: 'U0ALICE',
      channel: 'C0ADS',
      message: message!,
      action: { action_id: 'ad.pause' },
      response_url: fake.responseUrl(),
    });
    expect((await postToSlackEvents(events, SECRET, blockActionsBody(payload))).status).toBe(200);
    await fake.waitFor((c) => c.method === 'chat.update');
    expect(fake.messages('C0ADS')[0]).toMatchObject({ text: 'Paused by <@U0ALICE>', updates: 1 });
  });

  it('is refused by Bolt when the signature or timestamp is wrong', async () => {
    const body = slashCommandBody({ command: '/ads', response_url: fake.responseUrl() });
    const forged = await postToSlackEvents(events, SECRET, body, { signature: `v0=${'0'.repeat(64)}` });
    const stale = await postToSlackEvents(events, SECRET, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect([forged.status, stale.status]).toEqual([401, 401]);
  });
});
