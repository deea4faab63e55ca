// The HTTP side of the sandbox: auth, API version, faults, Idempotency-Key and recording around the routes in routes.ts.
import { setMaxListeners } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { WHOP_API_VERSION } from '../whop/api-version';
import type { SandboxAccount } from './account';
import { type Fault, FaultPlan, type Faults } from './faults';
import { errorBody, HttpError } from './http-error';
import { IdempotencyStore, type StoredAnswer } from './idempotency';
import { type Answer, matchRoute, type Route } from './routes';
import { demoAccount } from './seed';

export interface RecordedRequest {
  method: string;
  /** Relative to /api/v1, as the SDK writes it: `/ad_groups/adgrp_…/pause`. */
  path: string;
  query: Record<string, string>;
  /** Array parameters as the SDK writes them (`ad_group_ids[]=…`), under their name without the brackets. */
  lists: Record<string, string[]>;
  /** The JSON body (the raw text if it was not JSON); null when there was none. */
  body: unknown;
  idempotencyKey: string | null;
  /** The Api-Version-Date header as sent; null when there was none. */
  apiVersion: string | null;
  /** 0 while unanswered, and when resetNext dropped the connection. */
  status: number;
  /** Answered from the Idempotency-Key store, without applying anything. */
  replayed: boolean;
}

export interface SandboxServer {
  /** Base URL for the SDK, e.g. http://127.0.0.1:PORT/api/v1. */
  url: string;
  /** The first key's account. */
  account: SandboxAccount;
  /** Every key's account, in the order given. */
  accounts: SandboxAccount[];
  /** Every request that reached a route, in arrival order, including those answered by a fault. */
  requests: RecordedRequest[];
  faults: Faults;
  close(): Promise<void>;
}

/** One API key and the account it reaches: like Whop's, a key reaches its own account only. */
export interface SandboxKey {
  apiKey: string;
  account: SandboxAccount;
}

export type SandboxOptions = (
  | { apiKey: string; account?: SandboxAccount }
  | {
      /** Several simulated accounts behind one server, one key each (a deployment with `accounts:`). */
      keys: readonly SandboxKey[];
    }
) & {
  /** 0 (the default) picks a free port. */
  port?: number;
};

interface Reply extends Answer {
  headers?: Record<string, string>;
}

const API_ROOT = '/api/v1';

/**
 * The one Api-Version-Date the sandbox serves: the shapes it answers with are the SDK's types, which are this
 * version's. Whop answers a request without the header in its original 2025-01-01 shapes, which the sandbox does
 * not have; it refuses it instead, so a client that forgets to pin the version fails here and not in production.
 */
const API_VERSION_HEADER = 'Api-Version-Date';

const failure = (status: number, message: string): Reply => ({ status, body: errorBody(status, message) });

function injected(fault: Extract<Fault, { kind: 'fail' }>): Reply {
  const reply = failure(fault.status, `Injected failure (sandbox faults.failNext): ${fault.status}`);
  return fault.status === 429 ? { ...reply, headers: { 'retry-after': String(fault.retryAfterSeconds) } } : reply;
}

const header = (req: IncomingMessage, name: string): string | null => {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
};

const versionRefusal = (sent: string | null) =>
  `${API_VERSION_HEADER} must be ${WHOP_API_VERSION}, the API version this sandbox serves; ${sent === null ? 'the request had none' : `got ${sent}`}`;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Scalars as the last value given; `name[]` keys (the SDK's brackets format) as lists. */
function queryOf(params: URLSearchParams): Pick<RecordedRequest, 'query' | 'lists'> {
  const query: Record<string, string> = {};
  const lists: Record<string, string[]> = {};
  for (const [name, value] of params) {
    if (!name.endsWith('[]')) query[name] = value;
    else lists[name.slice(0, -2)] = [...(lists[name.slice(0, -2)] ?? []), value];
  }
  return { query, lists };
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  if (req.socket.destroyed) return; // the client gave up waiting
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(JSON.stringify(reply.body));
}

export async function startSandbox(opts: SandboxOptions): Promise<SandboxServer> {
  const keys: readonly SandboxKey[] = 'keys' in opts ? opts.keys : [{ apiKey: opts.apiKey, account: opts.account ?? demoAccount() }];
  const accountOf = new Map(keys.map((k) => [`Bearer ${k.apiKey}`, k.account]));
  const faults = new FaultPlan();
  const requests: RecordedRequest[] = [];
  const idempotency = new IdempotencyStore();
  const closing = new AbortController();
  // Every delayed answer listens for the close: many at once is normal here, not a leak.
  setMaxListeners(0, closing.signal);
  const wait = (ms: number) => (ms > 0 ? sleep(ms, undefined, { signal: closing.signal }) : Promise.resolve());

  function run(account: SandboxAccount, route: Route, id: string, call: RecordedRequest, json: unknown): Reply {
    try {
      const isObject = json === null || (typeof json === 'object' && !Array.isArray(json));
      if (!isObject) throw new HttpError(400, 'The body must be a JSON object');
      const unexpected = Object.keys(call.lists).filter((name) => !route.lists?.includes(name));
      if (unexpected.length > 0) throw new HttpError(400, `Unknown query parameter(s): ${unexpected.map((name) => `${name}[]`).join(', ')}`);
      return route.handle({ account, id, query: call.query, lists: call.lists, body: (json ?? {}) as Record<string, unknown> });
    } catch (error) {
      if (error instanceof HttpError) return failure(error.status, error.message);
      return failure(500, error instanceof Error ? error.message : String(error));
    }
  }

  async function answer(req: IncomingMessage, call: RecordedRequest, route: Route, id: string, fault?: Fault): Promise<Reply> {
    const raw = await readBody(req);
    const json = raw === '' ? null : parseJson(raw);
    call.body = json === undefined ? raw : json;
    const account = accountOf.get(req.headers.authorization ?? '');
    const authorized = account !== undefined;
    const versioned = call.apiVersion === WHOP_API_VERSION;
    // Whop's idempotency page: the key applies to POST; a GET or PATCH sent twice changes nothing twice anyway.
    const key = call.method === 'POST' && authorized && versioned ? call.idempotencyKey : null;
    // Claimed before any delay, so a repeat arriving meanwhile waits for this request instead of applying again.
    // Keys are each API key's own, as Whop keeps them per account.
    const claim = key === null ? undefined : await idempotency.claim(`${req.headers.authorization} ${key}`, `${call.method} ${call.path} ${raw}`);
    let kept: StoredAnswer | null = null;
    try {
      await wait(faults.latencyMs + (fault?.kind === 'hang' ? fault.ms : 0));
      if (fault?.kind === 'fail') return injected(fault);
      if (!account) return failure(401, 'Missing or invalid API key: send Authorization: Bearer <key>');
      if (!versioned) return failure(400, versionRefusal(call.apiVersion));
      // Whop's idempotency page: a key reused with different parameters is an error, not a replay.
      if (claim?.kind === 'mismatch') return failure(422, `Idempotency-Key ${key} was already used for a different request`);
      if (claim?.kind === 'replay') {
        call.replayed = true;
        return claim.answer;
      }
      const reply = run(account, route, id, call, json);
      if (fault?.kind === 'apply_then_fail') return failure(fault.status, `Injected failure after applying (sandbox faults.applyThenFailNext): ${fault.status}`);
      if (reply.status < 500) kept = reply;
      return reply;
    } finally {
      if (claim?.kind === 'owner') claim.settle(kept);
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname.startsWith(`${API_ROOT}/`) ? url.pathname.slice(API_ROOT.length) : '';
    const match = matchRoute(method, path);
    if (!match) {
      await wait(faults.latencyMs);
      return send(req, res, failure(404, `No route for ${method} ${url.pathname}`));
    }
    const call: RecordedRequest = {
      method,
      path,
      ...queryOf(url.searchParams),
      body: null,
      idempotencyKey: header(req, 'idempotency-key'),
      apiVersion: header(req, API_VERSION_HEADER.toLowerCase()),
      status: 0,
      replayed: false,
    };
    requests.push(call);
    const fault = faults.take(method, path);
    const reply = await answer(req, call, match.route, match.id, fault);
    if (fault?.kind === 'reset') return void req.socket.destroy();
    call.status = reply.status;
    send(req, res, reply);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${API_ROOT}`,
    // biome-ignore lint/style/noNonNullAssertion: there is always at least one key
    account: keys[0]!.account,
    accounts: keys.map((k) => k.account),
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
