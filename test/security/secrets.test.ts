// No secret reaches the logs, at debug level, whatever the bot does or whatever fails.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { AMOUNT_BLOCK, AMOUNT_INPUT } from '../../blocks/budget';
import { createLogger, redactValues } from '../../src/logger';
import { APP_TOKEN, BOT_TOKEN, Harness, SIGNING_SECRET, WHOP_KEY } from '../e2e/harness';
import { blockActionsBody, slashCommandBody, viewSubmissionPayload } from '../support/slack-request';
import { activeAdIn, activeGroupIn, CHANNEL, digestYaml, sleep, waitFor } from './support';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Every secret, and the parts of it that would still give it away (a token without its prefix). */
function leaks(logs: string[], secrets: string[]): string[] {
  const text = logs.join('');
  const found: string[] = [];
  for (const secret of secrets) {
    const body = secret.replace(/^(xox[a-z]|xapp)-/, '');
    if (text.includes(secret)) found.push(secret);
    else if (body.length >= 8 && body !== secret && text.includes(body)) found.push(`${secret} (without its prefix)`);
  }
  return found;
}

/** A log line that mentions a secret, to say where it leaked. */
const where = (logs: string[], secrets: string[]) => logs.filter((line) => secrets.some((s) => line.includes(s))).map((line) => line.slice(0, 400));

describe('secrets never reach the logs (LOG_LEVEL debug)', () => {
  it('over HTTP: digest, clicks, slash lookup and budget, the budget modal, a failing Whop call and refused Slack calls', async () => {
    harness = await Harness.start({ yaml: digestYaml('budget:\n  max_amount: 100000\n  confirm_change_pct: 50') });
    const h = harness;
    expect(h.logs.some((l) => l.includes('"level":20'))).toBe(true); // debug lines are kept

    // A digest, through /ads digest as a person would ask for it.
    const digest = await h.command('/ads', 'digest', 'U0MARIA', CHANNEL);
    expect(digest.status).toBe(200);
    const posted = await h.slack.waitFor((c) => c.method === 'chat.postMessage' && c.ok);
    const ts = String((h.slack.messages(CHANNEL)[0] ?? { ts: posted.args.ts }).ts);

    // A button click that pauses an ad group (message updated, thread reply).
    const group = activeGroupIn(h, ts);
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);

    // A slash lookup and a budget change (small: applied; large: a confirmation, then Confirm).
    const daily = h.sandbox.account.adGroups.find((g) => g.budget_amount !== null && g.id !== group.id)!;
    const lookup = await h.command('/adgroup', daily.id);
    const [card] = await h.responsesTo(lookup.responseUrl);
    const small = await h.command('/adgroup', `budget ${daily.id} ${(daily.budget_amount! * 1.1).toFixed(2)}`);
    await h.responsesTo(small.responseUrl);
    const large = await h.command('/adgroup', `budget ${daily.id} ${(daily.budget_amount! * 3).toFixed(2)}`);
    const [prompt] = await h.responsesTo(large.responseUrl);
    const confirm = await h.clickIn(prompt!.blocks!, 'ad_group.budget.confirm');
    await h.responsesTo(confirm.responseUrl);

    // The Edit budget modal: opened from the card, submitted with a new amount.
    await h.clickIn(card!.blocks!, 'ad_group.budget.edit');
    await waitFor(() => h.slack.views().some((v) => v.view.callback_id === 'ad_group.budget.modal'));
    const view = h.slack.views().find((v) => v.view.callback_id === 'ad_group.budget.modal')!;
    const submit = viewSubmissionPayload({
      user: 'U0MARIA',
      view: { id: view.id, callback_id: 'ad_group.budget.modal', private_metadata: String(view.view.private_metadata) },
      values: { [AMOUNT_BLOCK]: { [AMOUNT_INPUT]: { type: 'plain_text_input', value: (daily.budget_amount! * 1.05).toFixed(2) } } },
    });
    expect((await h.send(blockActionsBody(submit))).status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.postEphemeral');

    // A failing Whop call: the pause is refused with a 401 (a bad key, as Whop would answer it).
    const ad = activeAdIn(h, ts);
    h.sandbox.faults.failNext(1, 401, { path: /\/pause$/ });
    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: ad.id });
    await waitFor(() => h.slack.responses.some((r) => JSON.stringify(r.body).includes('API key')));

    // Refused Slack calls: chat.update answered 500, and /ads digest in a channel Slack refuses.
    const other = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    h.slack.failNext('chat.update', 1, 'http_500');
    await h.click({ user: 'U0LEE', channel: CHANNEL, ts, value: other.id });
    await waitFor(() => h.slack.responses.some((r) => JSON.stringify(r.body).includes('did not let me update')));
    h.slack.failNext('chat.postMessage', 1, 'not_in_channel');
    const refused = await h.command('/ads', 'digest', 'U0MARIA', 'C0NOTIN');
    await waitFor(() => h.slack.responses.some((r) => r.url === refused.responseUrl));

    // A Slack that cannot be reached at all: the error objects carry the request that failed.
    const unreachable = h.sandbox.account.adGroups.find((g) => g.status === 'active' && g.id !== group.id && g.id !== other.id)!;
    const { body: lastClick } = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: other.id });
    await h.slack.close();
    h.slack.close = async () => {}; // already closed: stop() must not close it twice
    expect((await h.send(lastClick)).status).toBe(200);
    await h.send(slashCommandBody({ command: '/adgroup', text: unreachable.id, user_id: 'U0MARIA', channel_id: CHANNEL, response_url: 'http://127.0.0.1:9/response/1' }));
    await waitFor(() => h.logs.some((l) => /ECONNREFUSED|fetch failed|request failed/i.test(l)), 5_000, 'a logged connection failure');
    await sleep(200);

    const secrets = [BOT_TOKEN, SIGNING_SECRET, WHOP_KEY];
    expect(where(h.logs, secrets)).toEqual([]);
    expect(leaks(h.logs, secrets)).toEqual([]);
  });

  it('over Socket Mode: the app token, bot token and Whop key stay out of the logs', async () => {
    harness = await Harness.start({ socketMode: true });
    const h = harness;
    await h.slack.socketMode!.connected();
    const ts = await h.postDigestNow(CHANNEL);
    const group = activeGroupIn(h, ts);
    const { payload } = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await h.slack.socketMode!.deliver('interactive', payload);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    const command = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ command: '/adgroup', text: group.id, user_id: 'U0MARIA', channel_id: CHANNEL, response_url: h.slack.responseUrl() })),
    );
    await h.slack.socketMode!.deliver('slash_commands', command);
    await waitFor(() => h.slack.responses.length > 0);
    await sleep(100);

    const secrets = [APP_TOKEN, BOT_TOKEN, WHOP_KEY];
    expect(where(h.logs, secrets)).toEqual([]);
    expect(leaks(h.logs, secrets)).toEqual([]);
  });
});

describe('the logger scrubs secrets wherever they travel', () => {
  function capture(level = 'debug') {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    return { log: createLogger(level, sink), lines };
  }

  it('token shapes in messages, error text, deep headers and JSON inside strings', () => {
    const { log, lines } = capture();
    const child = log.child({ component: 'bolt' });
    log.warn({ err: new Error('auth failed for xoxb-1234-5678-abcdEFGH') }, 'Slack refused');
    child.debug('http request headers: {"Authorization":"Bearer xoxp-9-secret-user-token"}');
    log.info({ req: { options: { config: { headers: { Authorization: 'Bearer whop_live_key_123' } } } } }, 'deep');
    child.debug('Received a message on the WebSocket: {"payload":{"token":"verification-token-test","text":"hi"}}');
    log.error({ socket: 'connecting with xapp-1-A0TEST-123-abcdef' }, 'socket mode');
    const text = lines.join('');
    for (const secret of ['xoxb-1234-5678-abcdEFGH', 'xoxp-9-secret-user-token', 'whop_live_key_123', 'verification-token-test', 'xapp-1-A0TEST-123-abcdef']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('"text\\":\\"hi'); // the rest of the line is kept
  });

  it('the configured values (signing secret, Whop key), in any field of any line, from any child logger', () => {
    const { log, lines } = capture();
    const child = log.child({ component: 'bolt' });
    redactValues(log, ['s3cr3t-signing-value', 'whop-key-with"quote', undefined, null, 'abc']);
    child.error({ detail: 'HMAC key s3cr3t-signing-value did not match' }, 'verify');
    log.warn({ err: Object.assign(new Error('x'), { config: { apiKey: 'whop-key-with"quote' } }) }, 'x');
    log.info('short values like abc are not scrubbed');
    const text = lines.join('');
    expect(text).not.toContain('s3cr3t-signing-value');
    expect(text).not.toContain('whop-key-with');
    expect(text).toContain('like abc are');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
