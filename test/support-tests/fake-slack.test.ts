import { type RetryOptions, type WebAPIPlatformError, WebClient } from '@slack/web-api';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { silentLogger } from '../support/silent-logger';
import { BOT, TEAM } from '../support/test-workspace';
import { brokenMessages, fullButValidMessage } from './block-kit-cases';

let fake: FakeSlack;
beforeAll(async () => {
  fake = await startFakeSlack({ channels: ['C0ADS', 'C0OPS'], userGroups: { S0ADMINS: ['U0ALICE', 'U0BOB'] } });
});
afterEach(() => {
  fake.reset();
  vi.restoreAllMocks();
});
afterAll(() => fake.close());

const client = (retryConfig: RetryOptions = { retries: 0 }, token = 'xoxb-test') => new WebClient(token, { slackApiUrl: fake.url, retryConfig, logger: silentLogger() });

/** The Slack error code a WebClient call was refused with. */
async function refusal(call: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  const err = (await call.then(
    () => expect.unreachable('Slack accepted the call'),
    (e: unknown) => e,
  )) as WebAPIPlatformError;
  expect(err.code).toBe('slack_webapi_platform_error');
  return err.data;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const modal = (title = 'Edit budget') => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: title },
  blocks: [section('Spring sale')],
});

describe('fake Slack Web API', () => {
  it('answers auth.test with the workspace Bolt expects', async () => {
    const auth = await client().auth.test();
    expect(auth).toMatchObject({ ok: true, user_id: BOT.userId, bot_id: BOT.botId, team_id: TEAM.id });
  });

  it('refuses a wrong token like Slack, with HTTP 200', async () => {
    expect(await refusal(client(undefined, 'xoxb-wrong').auth.test())).toMatchObject({ error: 'invalid_auth' });
    expect(fake.calls).toEqual([{ method: 'auth.test', args: {}, ok: false, error: 'invalid_auth', status: 200 }]);
  });

  it('posts, threads and updates a message, keeping its latest content', async () => {
    const web = client();
    const first = await web.chat.postMessage({ channel: 'C0ADS', text: 'Digest', blocks: [section('Digest')] });
    const reply = await web.chat.postMessage({ channel: 'C0ADS', text: 'Details', thread_ts: first.ts });
    expect(first).toMatchObject({ ok: true, channel: 'C0ADS', message: { text: 'Digest', bot_id: BOT.botId } });
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);

    const updated = await web.chat.update({ channel: 'C0ADS', ts: first.ts!, text: 'Paused', blocks: [section('Paused by <@U0ALICE>')] });
    expect(updated).toMatchObject({ ok: true, ts: first.ts, text: 'Paused' });

    expect(fake.messages('C0ADS')).toEqual([
      { channel: 'C0ADS', ts: first.ts, text: 'Paused', blocks: [{ ...section('Paused by <@U0ALICE>'), block_id: expect.any(String) }], updates: 1 },
      { channel: 'C0ADS', ts: reply.ts, thread_ts: first.ts, text: 'Details', blocks: [], updates: 0 },
    ]);
    expect(fake.callsTo('chat.update')[0]?.args.blocks).toEqual([section('Paused by <@U0ALICE>')]);
  });

  it('keeps threads one level deep: a message posted under a reply is accepted but shows in no thread', async () => {
    const web = client();
    const parent = await web.chat.postMessage({ channel: 'C0ADS', text: 'Digest' });
    const reply = await web.chat.postMessage({ channel: 'C0ADS', text: 'More issues', thread_ts: parent.ts });
    const underReply = await web.chat.postMessage({ channel: 'C0ADS', text: 'Paused', thread_ts: reply.ts });
    expect(underReply).toMatchObject({ ok: true, message: { thread_ts: reply.ts } });
    expect(fake.thread('C0ADS', parent.ts!).map((m) => m.text)).toEqual(['More issues']);
    expect(fake.thread('C0ADS', reply.ts!)).toEqual([]);

    await web.chat.postMessage({ channel: 'C0ADS', text: 'Unpaused', thread_ts: parent.ts });
    expect(fake.thread('C0ADS', parent.ts!).map((m) => m.text)).toEqual(['More issues', 'Unpaused']);
  });

  it('keeps the blocks an update leaves out, and gives blocks without one a block_id as Slack does', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'C0ADS', text: 'Ad', blocks: [{ ...section('a'), block_id: 'ad_1' }, section('b')] });
    await web.chat.update({ channel: 'C0ADS', ts: posted.ts!, text: 'Ad, paused' });
    const [message] = fake.messages('C0ADS');
    expect(message?.blocks.map((b) => (b as { block_id: string }).block_id)).toEqual(['ad_1', expect.stringMatching(/.+/)]);
    expect(message?.text).toBe('Ad, paused');
  });

  it('refuses to update a message that does not exist', async () => {
    expect(await refusal(client().chat.update({ channel: 'C0ADS', ts: '1.000001', text: 'x' }))).toMatchObject({
      error: 'message_not_found',
    });
  });

  it('sends an ephemeral message only with a user', async () => {
    const web = client();
    const sent = await web.chat.postEphemeral({ channel: 'C0ADS', user: 'U0ALICE', text: 'Not allowed' });
    expect(sent).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(fake.messages()).toEqual([]);
    expect(await refusal(web.apiCall('chat.postEphemeral', { channel: 'C0ADS', text: 'x' }))).toMatchObject({
      error: 'invalid_arguments',
    });
  });

  it('refuses a channel it does not know, but posts to a user in their DM', async () => {
    const web = client();
    expect(await refusal(web.chat.postMessage({ channel: 'C0NOPE', text: 'x' }))).toMatchObject({ error: 'channel_not_found' });
    const dm = await web.chat.postMessage({ channel: 'U0ALICE', text: 'Your digest' });
    expect(dm.channel).toBe('D0ALICE');
  });

  it('accepts a message at every limit', async () => {
    await client().chat.postMessage({ channel: 'C0ADS', text: 'Full', blocks: fullButValidMessage as never });
    expect(fake.messages('C0ADS')).toHaveLength(1);
  });

  it.each(brokenMessages)('refuses $name with invalid_blocks naming what broke', async ({ blocks, problem, pointer }) => {
    const data = await refusal(client().chat.postMessage({ channel: 'C0ADS', text: 'fallback', blocks: blocks as never }));
    expect(data.error).toBe('invalid_blocks');
    const messages = data.response_metadata?.messages ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^\[ERROR\] /);
    expect(messages[0]).toContain(problem);
    expect(messages[0]).toContain(`[json-pointer:${pointer}]`);
    expect(fake.messages()).toEqual([]);
    expect(fake.calls).toMatchObject([{ method: 'chat.postMessage', ok: false, error: 'invalid_blocks' }]);
  });

  it('refuses the same blocks in chat.update and chat.postEphemeral', async () => {
    const web = client();
    const posted = await web.chat.postMessage({ channel: 'C0ADS', text: 'ok' });
    const broken = brokenMessages[0]!.blocks as never;
    expect(await refusal(web.chat.update({ channel: 'C0ADS', ts: posted.ts!, text: 'x', blocks: broken }))).toMatchObject({ error: 'invalid_blocks' });
    expect(await refusal(web.chat.postEphemeral({ channel: 'C0ADS', user: 'U0ALICE', text: 'x', blocks: broken }))).toMatchObject({ error: 'invalid_blocks' });
    expect(fake.messages()[0]?.updates).toBe(0);
  });

  it('refuses no content, over-long text and blocks over the whole-message budget', async () => {
    const web = client();
    expect(await refusal(web.apiCall('chat.postMessage', { channel: 'C0ADS' }))).toMatchObject({ error: 'no_text' });
    expect(await refusal(web.chat.postMessage({ channel: 'C0ADS', text: 'x'.repeat(40_001) }))).toMatchObject({ error: 'msg_too_long' });
    // Each section is within its own 3000 limit; together they pass the ~13,000 Slack allows.
    const tooMuch = Array.from({ length: 5 }, () => section('x'.repeat(2900)));
    expect(await refusal(web.chat.postMessage({ channel: 'C0ADS', text: 'x', blocks: tooMuch }))).toMatchObject({
      error: 'msg_blocks_too_long',
    });
    await web.chat.postMessage({ channel: 'C0ADS', text: 'x', blocks: tooMuch.slice(0, 4) });
    expect(fake.messages()).toHaveLength(1);
  });

  it('rate limits with 429 and Retry-After, and WebClient posts once after waiting', async () => {
    fake.rateLimitNext('chat.postMessage', 1, 1);
    const started = Date.now();
    // minTimeout 0 so the only wait is the one Retry-After asks for.
    await client({ retries: 1, minTimeout: 0 }).chat.postMessage({ channel: 'C0ADS', text: 'Digest' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(fake.callsTo('chat.postMessage').map((c) => [c.status, c.error])).toEqual([
      [429, 'ratelimited'],
      [200, undefined],
    ]);
    expect(fake.messages('C0ADS')).toHaveLength(1);
  });

  it('fails the next calls on demand, with HTTP 500 for http_500', async () => {
    fake.failNext('chat.postMessage', 1, 'http_500');
    fake.failNext('chat.postMessage', 1, 'internal_error');
    const web = client();
    await expect(web.chat.postMessage({ channel: 'C0ADS', text: 'x' })).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 500,
    });
    expect(await refusal(web.chat.postMessage({ channel: 'C0ADS', text: 'x' }))).toMatchObject({ error: 'internal_error' });
    await web.chat.postMessage({ channel: 'C0ADS', text: 'x' });
    expect(fake.messages()).toHaveLength(1);
  });

  it('waits latencyMs before answering', async () => {
    fake.latencyMs = 150;
    const started = Date.now();
    await client().auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('opens a modal once per trigger_id and updates it by view_id', async () => {
    const web = client();
    const opened = await web.views.open({ trigger_id: '398738663015.47445629121.803a0bc887', view: modal() });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/), title: { text: 'Edit budget' }, hash: expect.any(String) });
    expect(await refusal(web.views.open({ trigger_id: '398738663015.47445629121.803a0bc887', view: modal() }))).toMatchObject({
      error: 'exchanged_trigger_id',
    });
    expect(await refusal(web.views.open({ trigger_id: 'not-a-trigger', view: modal() }))).toMatchObject({ error: 'invalid_trigger_id' });

    await web.views.update({ view_id: opened.view!.id!, view: modal('Budget saved') });
    expect(fake.views()).toMatchObject([{ id: opened.view!.id, view: { title: { text: 'Budget saved' } }, updates: 1 }]);
    expect(await refusal(web.views.update({ view_id: 'V0NOPE', view: modal() }))).toMatchObject({ error: 'not_found' });
  });

  it('acts on the answer to a view submission as Slack does: update replaces the view, errors keeps it, an empty ack closes it', async () => {
    const web = client();
    const { view } = await web.views.open({ trigger_id: fake.triggerId(), view: modal() });
    const id = view!.id!;
    fake.answerViewSubmission(id, JSON.stringify({ response_action: 'errors', errors: { budget: 'No' } }));
    expect(fake.views()).toMatchObject([{ id, view: { title: { text: 'Edit budget' } } }]);
    fake.answerViewSubmission(id, JSON.stringify({ response_action: 'update', view: modal('Saving') }));
    expect(fake.views()).toMatchObject([{ id, view: { title: { text: 'Saving' } }, updates: 1 }]);
    expect(() => fake.answerViewSubmission(id, JSON.stringify({ response_action: 'update', view: modal('A title that is far too long') }))).toThrow(/refuse/);
    fake.answerViewSubmission(id, '');
    expect(fake.views()).toEqual([]);
    expect(await refusal(web.views.update({ view_id: id, view: modal() }))).toMatchObject({ error: 'not_found' });
  });

  it('answers the next calls to one method late on demand, and the others at once', async () => {
    fake.slowNext('usergroups.users.list', 1, 300);
    const web = client();
    const started = Date.now();
    await web.auth.test();
    expect(Date.now() - started).toBeLessThan(250);
    await web.usergroups.users.list({ usergroup: 'S0ADMINS' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const again = Date.now();
    expect(await web.usergroups.users.list({ usergroup: 'S0ADMINS' })).toMatchObject({ users: ['U0ALICE', 'U0BOB'] });
    expect(Date.now() - again).toBeLessThan(250);
  });

  it('expires a trigger_id it issued after 3 seconds', async () => {
    const trigger = fake.triggerId();
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 3_001);
    expect(await refusal(client().views.open({ trigger_id: trigger, view: modal() }))).toMatchObject({ error: 'expired_trigger_id' });
  });

  it('refuses a modal that breaks the limits with invalid_arguments, as views.open does', async () => {
    const data = await refusal(client().views.open({ trigger_id: fake.triggerId(), view: modal('A title that is far too long') }));
    expect(data).toMatchObject({ error: 'invalid_arguments' });
    expect(data.response_metadata?.messages).toEqual(['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]']);
  });

  it('lists the members of known user groups only', async () => {
    const web = client();
    expect(await web.usergroups.users.list({ usergroup: 'S0ADMINS' })).toMatchObject({ users: ['U0ALICE', 'U0BOB'] });
    expect(await refusal(web.usergroups.users.list({ usergroup: 'S0NOPE' }))).toMatchObject({ error: 'no_such_subteam' });
  });

  it('answers users.info and refuses unknown methods', async () => {
    const web = client();
    expect(await web.users.info({ user: 'U0ALICE' })).toMatchObject({
      user: { id: 'U0ALICE', team_id: TEAM.id, is_restricted: false, is_ultra_restricted: false, deleted: false, is_bot: false },
    });
    expect(await refusal(web.apiCall('chat.scheduleEverything'))).toMatchObject({ error: 'unknown_method' });
  });

  it('users.info tells guests and people of other organisations apart as Slack does, and refuses an id it cannot know', async () => {
    const other = await startFakeSlack({
      users: { U0MULTI: { guest: 'multi_channel' }, U0SINGLE: { guest: 'single_channel' }, U0PARTNER: { team_id: 'T0OTHER' } },
    });
    try {
      const web = new WebClient('xoxb-test', { slackApiUrl: other.url, retryConfig: { retries: 0 }, logger: silentLogger() });
      // Slack: is_restricted marks a guest; a single-channel guest is is_ultra_restricted too.
      expect((await web.users.info({ user: 'U0MULTI' })).user).toMatchObject({ is_restricted: true, is_ultra_restricted: false, team_id: TEAM.id });
      expect((await web.users.info({ user: 'U0SINGLE' })).user).toMatchObject({ is_restricted: true, is_ultra_restricted: true });
      expect((await web.users.info({ user: 'U0PARTNER' })).user).toMatchObject({ is_restricted: false, team_id: 'T0OTHER' });
      expect((await web.users.info({ user: 'U0ALICE' })).user).not.toHaveProperty('enterprise_user');
      expect(await refusal(web.users.info({ user: 'C0ADS' }))).toMatchObject({ error: 'user_not_found' });
      expect(await refusal(web.users.info({ user: 'U0<script>' }))).toMatchObject({ error: 'user_not_found' });
    } finally {
      await other.close();
    }
  });

  it('on Enterprise Grid, auth.test names the organisation and users.info its people', async () => {
    const grid = await startFakeSlack({ enterprise: { id: 'E0ORG', name: 'Our org' }, users: { W0PARTNER: { team_id: 'T0OTHER' } } });
    try {
      const web = new WebClient('xoxb-test', { slackApiUrl: grid.url, retryConfig: { retries: 0 }, logger: silentLogger() });
      expect(await web.auth.test()).toMatchObject({ team_id: TEAM.id, enterprise_id: 'E0ORG', is_enterprise_install: false });
      expect((await web.users.info({ user: 'W0MARIA' })).user).toMatchObject({ enterprise_user: { enterprise_id: 'E0ORG' } });
      expect((await web.users.info({ user: 'W0PARTNER' })).user).not.toHaveProperty('enterprise_user');
    } finally {
      await grid.close();
    }
  });

  it('auth.test outside Enterprise Grid names no organisation', async () => {
    expect(await client().auth.test()).not.toHaveProperty('enterprise_id');
  });

  it('takes JSON bodies too', async () => {
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: 'Bearer xoxb-test' },
      body: JSON.stringify({ channel: 'C0OPS', text: 'hi', blocks: [section('hi')] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C0OPS' });
    expect(fake.calls[0]?.args).toEqual({ channel: 'C0OPS', text: 'hi', blocks: [section('hi')] });
  });

  it('records response_url posts as Bolt sends them, refusing broken blocks with HTTP 400', async () => {
    const url = fake.responseUrl();
    const post = (body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ text: 'Paused', replace_original: false })).status).toBe(200);
    expect((await post({ text: 'x', blocks: brokenMessages[1]!.blocks })).status).toBe(400);
    expect(fake.responses).toEqual([
      { url, body: { text: 'Paused', replace_original: false }, status: 200 },
      { url, body: { text: 'x', blocks: brokenMessages[1]!.blocks }, status: 400 },
    ]);
    expect(fake.responseUrl()).not.toBe(url);
  });

  it('waitFor resolves on a call made later and rejects on timeout', async () => {
    const waiting = fake.waitFor((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0OPS');
    await client().chat.postMessage({ channel: 'C0OPS', text: 'later' });
    expect((await waiting).args.text).toBe('later');
    expect(await fake.waitFor((c) => c.method === 'chat.postMessage')).toMatchObject({ ok: true });
    await expect(fake.waitFor((c) => c.method === 'views.open', 50)).rejects.toThrow(/no matching call within 50 ms/);
  });
});

describe('channels and the Home tab, as Slack answers a bot token', () => {
  let outside: FakeSlack;
  beforeAll(async () => {
    outside = await startFakeSlack({ channels: ['C0PUB', 'C0PRIV', 'C0IN'], privateChannels: ['C0PRIV'], notMemberOf: ['C0PUB', 'C0PRIV'] });
  });
  afterAll(() => outside.close());
  const bot = () => new WebClient('xoxb-test', { slackApiUrl: outside.url, retryConfig: { retries: 0 }, logger: silentLogger() });

  it('conversations.info says whether the bot is in a public channel; a private one it is not in is not found', async () => {
    expect((await bot().conversations.info({ channel: 'C0PUB' })).channel).toMatchObject({ id: 'C0PUB', is_private: false, is_member: false });
    expect((await bot().conversations.info({ channel: 'C0IN' })).channel).toMatchObject({ is_member: true });
    expect(await refusal(bot().conversations.info({ channel: 'C0PRIV' }))).toMatchObject({ error: 'channel_not_found' });
    expect(await refusal(bot().conversations.info({ channel: 'C0NOPE' }))).toMatchObject({ error: 'channel_not_found' });
  });

  it('posting where the bot is not is not_in_channel until it joins a public channel; a private one cannot be joined', async () => {
    expect(await refusal(bot().chat.postMessage({ channel: 'C0PUB', text: 'hi' }))).toMatchObject({ error: 'not_in_channel' });
    expect(await refusal(bot().conversations.join({ channel: 'C0PRIV' }))).toMatchObject({ error: 'method_not_supported_for_channel_type' });
    await bot().conversations.join({ channel: 'C0PUB' });
    expect((await bot().chat.postMessage({ channel: 'C0PUB', text: 'hi' })).ok).toBe(true);
  });

  it('views.publish keeps each user their own Home tab and refuses one past Slack limits', async () => {
    const view = { type: 'home' as const, blocks: [section('Hello')] };
    await bot().views.publish({ user_id: 'U0ALICE', view });
    expect(outside.home('U0ALICE')?.view).toEqual(view);
    expect(outside.home('U0BOB')).toBeUndefined();
    const tooMany = { type: 'home' as const, blocks: Array.from({ length: 101 }, () => section('x')) };
    expect(await refusal(bot().views.publish({ user_id: 'U0ALICE', view: tooMany }))).toMatchObject({ error: 'invalid_arguments' });
  });
});

describe('fake Slack file uploads (files.uploadV2’s external flow)', () => {
  const png = Buffer.from('89504e470d0a1a0a0000', 'hex');

  it('a completed upload shares the file in the thread it names; a private one is usable in an image block', async () => {
    const shared = await client().filesUploadV2({ file: png, filename: 'chart.png', alt_text: 'spend', channel_id: 'C0ADS', thread_ts: '1.2' });
    const privateOne = await client().filesUploadV2({ file: png, filename: 'chart.png', alt_text: 'spend' });
    const id = (done: typeof shared) => (done.files as { files: { id: string }[] }[])[0]!.files[0]!.id;
    expect(fake.files().map((f) => [f.id, f.completed, f.shares, f.bytes?.length])).toEqual([
      [id(shared), true, [{ channel: 'C0ADS', thread_ts: '1.2' }], png.length],
      [id(privateOne), true, [], png.length],
    ]);
    const image = { type: 'image', slack_file: { id: id(privateOne) }, alt_text: 'spend' };
    await expect(client().chat.postMessage({ channel: 'C0ADS', text: 'chart', blocks: [image] })).resolves.toMatchObject({ ok: true });
  });

  it('a file never completed is not shared and no image block may show it; completing bytes never sent is file_not_found', async () => {
    const started = await client().files.getUploadURLExternal({ filename: 'chart.png', length: png.length });
    expect(new URL(started.upload_url!).hostname).toBe('127.0.0.1');
    const sent = await fetch(started.upload_url!, { method: 'POST', body: png });
    expect(sent.status).toBe(200);
    const image = { type: 'image', slack_file: { id: started.file_id! }, alt_text: 'spend' } as const;
    expect(await refusal(client().chat.postMessage({ channel: 'C0ADS', text: 'chart', blocks: [image] }))).toMatchObject({ error: 'invalid_blocks' });
    expect(fake.files()[0]).toMatchObject({ completed: false, shares: [] });

    const empty = await client().files.getUploadURLExternal({ filename: 'other.png', length: 10 });
    expect(await refusal(client().files.completeUploadExternal({ files: [{ id: empty.file_id! }], channel_id: 'C0ADS' }))).toMatchObject({ error: 'file_not_found' });
  });

  it('without files:write every step of the flow is missing_scope', async () => {
    const noFiles = await startFakeSlack({ scopes: ['chat:write', 'commands'] });
    try {
      const bare = new WebClient('xoxb-test', { slackApiUrl: noFiles.url, retryConfig: { retries: 0 }, logger: silentLogger() });
      expect(await refusal(bare.filesUploadV2({ file: png, filename: 'chart.png' }))).toMatchObject({ error: 'missing_scope', needed: 'files:write' });
      expect(noFiles.files()).toEqual([]);
    } finally {
      await noFiles.close();
    }
  });
});
