// The HTTP receiver spends nothing on strangers: the signing headers are checked before any body is read,
// bodies are capped at 1 MiB (src/receiver/signed-requests.ts says why), and stopping the bot closes idle
// and slow connections at once. Over real HTTP to the running bot, with bare sockets where fetch cannot go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, SIGNING_SECRET } from '../e2e/harness';
import { openRequest, type RawRequest, writeChunk } from '../support/raw-http';
import { blockActionsBody, signSlackRequest, slashCommandBody } from '../support/slack-request';
import { activeGroupIn, CHANNEL, digestYaml, messageJson, slackWrites, sleep, waitFor, whopWrites } from './support';

const MiB = 1024 * 1024;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ yaml: digestYaml() });
});
afterAll(() => h?.stop());

/** A digest just posted, nothing else recorded by the fakes: its ts, for buttons to click. */
async function freshDigest(): Promise<string> {
  h.slack.reset();
  return h.postDigestNow(CHANNEL);
}

const portOf = (harness: Harness) => harness.bot.port!;
const nowSec = () => Math.floor(Date.now() / 1000);
const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
/** Signing headers that look right (fresh timestamp, a v0 signature) but sign nothing. */
const forged = () => ({ ...form, 'X-Slack-Request-Timestamp': String(nowSec()), 'X-Slack-Signature': `v0=${'0'.repeat(64)}` });

/** Waits until the bot has answered (first line of a response) or closed the connection. */
async function answerOrClose(request: RawRequest, timeoutMs = 2_000): Promise<void> {
  await waitFor(() => request.status() !== undefined || request.isClosed(), timeoutMs, 'an answer or a close');
}

/** Waits until the bot has closed the connection. */
const closedWithin = (request: RawRequest, ms: number) => Promise.race([request.closed.then(() => true), sleep(ms).then(() => false)]);

describe('bodies from strangers are not read', () => {
  it('an unsigned 4 MB body is refused with 401 on its headers: the answer comes before a byte of the body is sent, and the connection closes', async () => {
    const request = await openRequest(portOf(h), { ...form, 'Content-Length': String(4 * MiB) });
    await answerOrClose(request);
    expect(request.status()).toBe(401);
    expect(await closedWithin(request, 2_000)).toBe(true);
  });

  it('a badly signed body declared larger than 1 MiB is refused with 413 on its headers, and the connection closes', async () => {
    const request = await openRequest(portOf(h), { ...forged(), 'Content-Length': String(4 * MiB) });
    await answerOrClose(request);
    expect(request.status()).toBe(413);
    expect(await closedWithin(request, 2_000)).toBe(true);
  });

  it('a badly signed 4 MB body without a declared length is cut off with 413 past 1 MiB, while the client is still sending', async () => {
    const request = await openRequest(portOf(h), { ...forged(), 'Transfer-Encoding': 'chunked' });
    const chunk = Buffer.concat([Buffer.from('4000\r\n'), Buffer.alloc(0x4000, 'a'), Buffer.from('\r\n')]);
    let sent = 0;
    while (sent < 4 * MiB && request.status() === undefined && !request.isClosed()) {
      await writeChunk(request, chunk);
      sent += 0x4000;
      await sleep(1);
    }
    await answerOrClose(request);
    expect(request.status()).toBe(413);
    // The bot stopped at its cap: the client had not even handed all of its 4 MB to the network.
    expect(sent).toBeLessThan(4 * MiB);
    expect(await closedWithin(request, 2_000)).toBe(true);
  });

  it('a correctly signed body larger than 1 MiB is refused with 413 and nothing is done', async () => {
    const ts = await freshDigest();
    const group = activeGroupIn(h, ts);
    const click = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const huge = blockActionsBody({ ...click.payload, padding: 'x'.repeat(MiB) });
    const answer = await fetch(h.url, { method: 'POST', headers: { ...signSlackRequest(SIGNING_SECRET, huge) }, body: huge });
    expect(answer.status).toBe(413);
    await sleep(150);
    expect(whopWrites(h)).toEqual([]);
    expect(slackWrites(h)).toEqual([]);
  });

  it('the largest click Slack could send (40,000 characters of non-ASCII message text besides the digest) is read and acted on', async () => {
    const ts = await freshDigest();
    const group = activeGroupIn(h, ts);
    const click = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const message = click.payload.message as { text: string };
    // '€' is 3 bytes of UTF-8 and 9 once percent-encoded: the costliest character Slack can put in a form.
    message.text = '€'.repeat(40_000);
    const body = blockActionsBody(click.payload);
    expect(body.length).toBeGreaterThan(360_000);
    expect((await h.send(body)).status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(whopWrites(h).map((r) => r.path)).toEqual([`/ad_groups/${group.id}/pause`]);
  });

  it('while strangers hold the memory kept for large bodies, a large signed request gets 503, a small one is answered, and large ones pass once they go', async () => {
    const ts = await freshDigest();
    const group = activeGroupIn(h, ts);
    const click = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    (click.payload.message as { text: string }).text = '€'.repeat(40_000);
    const large = blockActionsBody(click.payload);
    // 20 strangers, each with nearly 1 MiB sent of a body that never ends: more than the 16 MiB they share.
    const strangers = await Promise.all(Array.from({ length: 20 }, () => openRequest(portOf(h), { ...forged(), 'Content-Length': '1000000' })));
    for (const stranger of strangers) await writeChunk(stranger, Buffer.alloc(990_000, 'a'));
    await waitFor(() => strangers.some((s) => s.status() === 503), 5_000, 'a stranger refused for lack of memory');

    expect((await h.send(large)).status).toBe(503);
    const help = slashCommandBody({ command: '/ads', text: 'help', response_url: h.slack.responseUrl() });
    expect((await h.send(help)).status).toBe(200);
    expect(whopWrites(h)).toEqual([]);

    for (const stranger of strangers) stranger.socket.destroy();
    await Promise.all(strangers.map((s) => s.closed));
    await sleep(100);
    expect((await h.send(large)).status).toBe(200);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(whopWrites(h).map((r) => r.path)).toEqual([`/ad_groups/${group.id}/pause`]);
  });

  it('Slack’s unsigned SSL check is answered 200, and nothing else rides on an unsigned request', async () => {
    const ts = await freshDigest();
    const check = await fetch(h.url, { method: 'POST', headers: form, body: 'ssl_check=1&token=legacy-token' });
    expect(check.status).toBe(200);
    const group = activeGroupIn(h, ts);
    const click = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const smuggled = await fetch(h.url, { method: 'POST', headers: form, body: `ssl_check=1&${click.body}` });
    expect(smuggled.status).toBe(401);
    const small = await fetch(h.url, { method: 'POST', headers: form, body: 'ssl_check=0&payload=%7B%7D' });
    expect(small.status).toBe(401);
    await sleep(150);
    expect(whopWrites(h)).toEqual([]);
    expect(slackWrites(h)).toEqual([]);
    expect(messageJson(h, ts)).toContain(group.id);
  });
});

describe('connections that stall', () => {
  it('are closed: headers not finished within 3 s, a request not finished within 5 s (Node’s defaults: 60 s and 5 min)', async () => {
    const started = Date.now();
    const slowHeaders = await openRequest(portOf(h), form, { unfinished: true });
    const slowBody = await openRequest(portOf(h), { ...forged(), 'Content-Length': '100000' });
    await writeChunk(slowBody, 'payload=');
    const closedAt = (r: RawRequest) => r.closed.then(() => Date.now() - started);
    const [headersMs, bodyMs] = await Promise.all([closedAt(slowHeaders), closedAt(slowBody)]);
    // Node checks every 0.5 s; a loaded machine adds its own delay.
    expect(headersMs).toBeLessThan(5_000);
    expect(bodyMs).toBeLessThan(7_000);
    expect(bodyMs).toBeGreaterThan(headersMs);
  });
});

describe('stopping the bot', () => {
  it('closes idle and slow connections at once, while a verified request still being answered gets its answer', async () => {
    const other = await Harness.start({ yaml: digestYaml() });
    const port = portOf(other);
    let stopped: Promise<number> | undefined;
    try {
      // Kept alive after its answer, then idle.
      const help = slashCommandBody({ command: '/ads', text: 'help', response_url: other.slack.responseUrl() });
      const idle = await openRequest(port, { ...signSlackRequest(SIGNING_SECRET, help), 'Content-Length': String(Buffer.byteLength(help)) });
      await writeChunk(idle, help);
      await waitFor(() => idle.received().includes('/ads digest'), 5_000, 'the help answer');
      // Still sending its headers.
      const slowHeaders = await openRequest(port, form, { unfinished: true });
      // Still sending a body that looks signed.
      const slowBody = await openRequest(port, { ...forged(), 'Content-Length': '100000' });
      await writeChunk(slowBody, 'payload=');
      // Verified, and answered only when Bolt's 3 s are up: no listener acks a payload of no known type.
      const nobodyAcks = 'payload=%7B%22type%22%3A%22nonsense%22%7D';
      const verified = await openRequest(port, { ...signSlackRequest(SIGNING_SECRET, nobodyAcks), 'Content-Length': String(nobodyAcks.length) });
      await writeChunk(verified, nobodyAcks);
      await sleep(200);
      expect([idle, slowHeaders, slowBody, verified].map((r) => r.isClosed())).toEqual([false, false, false, false]);
      expect(verified.status()).toBeUndefined();

      const started = Date.now();
      stopped = other.stop().then(() => Date.now() - started);
      const closedAfter = (r: RawRequest) => r.closed.then(() => Date.now() - started);
      const closeMs = await Promise.all([idle, slowHeaders, slowBody].map(closedAfter));
      expect(Math.max(...closeMs)).toBeLessThan(1_000);
      await verified.closed;
      expect(verified.status()).toBe(404);
      expect(await stopped).toBeLessThan(5_000);
    } finally {
      await (stopped ?? other.stop());
    }
  });
});
