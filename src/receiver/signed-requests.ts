import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseForm } from 'node:querystring';
import { HTTPModuleFunctions, type HTTPReceiver } from '@slack/bolt';
import type { Logger } from '../logger';

export const EVENTS_PATH = '/slack/events';

/** Slack's rule for request timestamps: more than five minutes from our clock, either way, is refused. */
const MAX_CLOCK_SKEW_SEC = 5 * 60;

/**
 * The largest body read from anyone: 1 MiB, about twice the most Slack can send us, a quarter of Bolt's 4 MB.
 * The largest request is a block_actions click, which carries the whole message: its `text` (Slack keeps at
 * most 40,000 characters) and its blocks (at most 50, refused by Slack past about 13,000 characters in all),
 * with a few thousand characters of user, channel, action (value ≤ 2,000) and URLs around them — about
 * 59,000 characters. On the wire each character costs at most 9 bytes: 3 bytes of UTF-8, each
 * percent-encoded (a JSON escape such as `\u0001` costs 8). That is about 530 KB at worst; a digest click is
 * typically 20–60 KB. A view_submission carries one of our own modals (a few blocks, private_metadata ≤ 3,000,
 * inputs with a max_length), well under that. Slash commands are a few hundred bytes.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Memory for bodies whose signature cannot be checked yet (it covers the whole body). Each request may
 * hold its first 64 KiB (a typical Slack request fits), and beyond that they share 16 MiB: at most
 * 500 connections (server-limits.ts) × 64 KiB + 16 MiB ≈ 47 MiB in all, however many strangers send near-1 MiB bodies at once.
 * A request that finds the shared part full is answered 503 (Slack retries events; a click shows an error).
 */
const OWN_BYTES_PER_REQUEST = 64 * 1024;
const SHARED_BYTES_FOR_LARGE_BODIES = 16 * 1024 * 1024;

/**
 * Slack's SSL check (`ssl_check=1&token=…`, about 50 bytes) is the one request it sends unsigned
 * (bolt-js#1397); an unsigned body is read only if it is this small, and only to answer that check.
 */
const SSL_CHECK_MAX_BYTES = 512;

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v0=[0-9a-f]{64}$/;

type Refusal = { status: 400 | 401 | 413 | 503; reason: string };
type Signed = { timestampSec: string; signature: Buffer };

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
};

const declaredLength = (req: IncomingMessage): number | undefined => {
  const value = header(req, 'content-length');
  return value === undefined ? undefined : Number(value);
};

const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The request's signing headers, or why it is refused on its headers alone (before a byte of body is read). */
function signingHeaders(req: IncomingMessage, nowSec: number): Signed | Refusal {
  const timestamp = header(req, 'x-slack-request-timestamp');
  const signature = header(req, 'x-slack-signature');
  if (timestamp === undefined || signature === undefined) return { status: 401, reason: 'it is not signed' };
  if (!TIMESTAMP.test(timestamp)) return { status: 401, reason: 'its timestamp is not a number of seconds' };
  if (Math.abs(Number(timestamp) - nowSec) > MAX_CLOCK_SKEW_SEC) {
    return { status: 401, reason: 'its timestamp is more than 5 minutes from our clock' };
  }
  if (!SIGNATURE.test(signature)) return { status: 401, reason: 'its signature is not a v0 signature' };
  const length = declaredLength(req);
  if (length !== undefined && length > MAX_BODY_BYTES) return { status: 413, reason: 'its body is too large' };
  return { timestampSec: timestamp, signature: Buffer.from(signature.slice(3), 'hex') };
}

const isRefusal = (value: Signed | Refusal): value is Refusal => 'status' in value;

/** Bytes of bodies beyond each request's own part, shared by every request being read. */
class SharedBodyBytes {
  private used = 0;

  take(bytes: number): boolean {
    if (this.used + bytes > SHARED_BYTES_FOR_LARGE_BODIES) return false;
    this.used += bytes;
    return true;
  }

  give(bytes: number): void {
    this.used -= bytes;
  }
}

/**
 * Reads the body as raw bytes, at most `limit`, feeding `onChunk` as it comes; settles with the bytes, a
 * refusal (too large, out of shared memory), or `gone` when the client went away. On a refusal the request is
 * paused: nothing more is read from the socket.
 */
function readBody(req: IncomingMessage, limit: number, shared: SharedBodyBytes, onChunk: (chunk: Buffer) => void): Promise<Buffer | Refusal | 'gone'> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let borrowed = 0;
    const finish = (outcome: Buffer | Refusal | 'gone') => {
      req.off('data', onData).off('end', onEnd).off('close', onClose);
      if (outcome !== 'gone' && !Buffer.isBuffer(outcome)) req.pause();
      shared.give(borrowed);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return finish({ status: 413, reason: 'its body is too large' });
      const beyondOwn = Math.max(0, size - OWN_BYTES_PER_REQUEST) - borrowed;
      if (beyondOwn > 0) {
        if (!shared.take(beyondOwn)) return finish({ status: 503, reason: 'too many large bodies are being read' });
        borrowed += beyondOwn;
      }
      chunks.push(chunk);
      onChunk(chunk);
    };
    const onEnd = () => finish(Buffer.concat(chunks, size));
    const onClose = () => finish('gone');
    req.on('data', onData).on('end', onEnd).on('close', onClose);
  });
}

/** Why a request to /slack/events is refused, or its verified raw body. */
async function verify(req: IncomingMessage, secret: string, nowSec: number, shared: SharedBodyBytes): Promise<Buffer | Refusal | 'gone'> {
  const signed = signingHeaders(req, nowSec);
  if (isRefusal(signed)) return signed;
  const hmac = createHmac('sha256', secret).update(`v0:${signed.timestampSec}:`);
  const body = await readBody(req, MAX_BODY_BYTES, shared, (chunk) => hmac.update(chunk));
  if (!Buffer.isBuffer(body)) return body;
  if (!timingSafeEqual(hmac.digest(), signed.signature)) return { status: 401, reason: 'its signature does not match its body' };
  return body;
}

/** Slack's SSL check, the one request Slack does not sign; any other unsigned request is refused. */
async function sslCheck(req: IncomingMessage, shared: SharedBodyBytes): Promise<'ssl_check' | Refusal | 'gone'> {
  const unsigned: Refusal = { status: 401, reason: 'it is not signed' };
  const length = declaredLength(req);
  if (header(req, 'content-type') !== 'application/x-www-form-urlencoded' || length === undefined || length > SSL_CHECK_MAX_BYTES) {
    return unsigned;
  }
  const body = await readBody(req, SSL_CHECK_MAX_BYTES, shared, () => {});
  if (body === 'gone') return body;
  return Buffer.isBuffer(body) && parseForm(body.toString()).ssl_check === '1' ? 'ssl_check' : unsigned;
}

const isUnsigned = (req: IncomingMessage) => req.headers['x-slack-signature'] === undefined && req.headers['x-slack-request-timestamp'] === undefined;

/** A signed body that Bolt would read fields of: `null` crashes the process, other non-objects hang for 3 s. */
function unusable(req: IncomingMessage & { rawBody: Buffer }): Refusal | null {
  try {
    const body: unknown = HTTPModuleFunctions.parseHTTPRequestBody(req);
    return isPlainObject(body) ? null : { status: 400, reason: 'its body is not an object' };
  } catch {
    return { status: 400, reason: 'its body is not JSON or a form' };
  }
}

/**
 * Requests to /slack/events from strangers cost next to nothing: the timestamp (within 5 minutes, either way)
 * and the form of the signature are checked on the headers, before any body is read; the body is read as
 * bytes, at most MAX_BODY_BYTES, into an HMAC; only a body whose signature matches is parsed, and then
 * handed to Bolt, which reuses it (`req.rawBody`) instead of reading the request again.
 */
export function guardEventRequests(receiver: HTTPReceiver, signingSecret: string, log: Logger, now: () => number = Date.now): void {
  const handle = receiver.requestListener;
  const shared = new SharedBodyBytes();
  const refuse = (req: IncomingMessage, res: ServerResponse, refusal: Refusal) => {
    log.warn({ path: req.url, reason: refusal.reason }, 'Slack request refused');
    // The rest of a stranger's body is not read: the connection closes once the answer is sent.
    if (!res.headersSent) res.writeHead(refusal.status, { Connection: 'close' }).end();
  };
  receiver.requestListener = (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method !== 'POST' || path !== EVENTS_PATH) return handle(req, res);
    const outcome = isUnsigned(req) ? sslCheck(req, shared) : verify(req, signingSecret, Math.floor(now() / 1000), shared);
    outcome
      .then((body) => {
        if (body === 'gone') return;
        if (body === 'ssl_check') return void res.writeHead(200).end();
        if (!Buffer.isBuffer(body)) return refuse(req, res, body);
        const verified = Object.assign(req, { rawBody: body });
        const refusal = unusable(verified);
        return refusal ? refuse(req, res, refusal) : handle(verified, res);
      })
      .catch((err: unknown) => {
        log.error({ err, path: req.url }, 'Slack request failed before Bolt handled it');
        if (!res.headersSent) res.writeHead(500, { Connection: 'close' }).end();
      });
  };
}
