// A local stand-in for Slack's Web API and response_urls that the real WebClient
// (and so Bolt, via `clientOptions: { slackApiUrl: fake.url }`) talks to unchanged.
// Like Slack it answers HTTP 200 with `{ ok }` for everything but rate limits.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { blockKitProblems } from './block-kit-rules';
import { FakeFiles, type StoredFile } from './fake-slack-files';
import { type Answer, type Args, SlackWorkspace, type StoredMessage, type StoredView, type WorkspaceOptions } from './fake-slack-workspace';
import { FakeSocketMode } from './fake-socket-mode';

export type { StoredFile } from './fake-slack-files';
export type { StoredMessage, StoredView } from './fake-slack-workspace';

export interface FakeSlackOptions {
  /** The bot token every call must carry; default 'xoxb-test'. */
  token?: string;
  /** Turns on Socket Mode: apps.connections.open accepts this app-level token (xapp-…). */
  appToken?: string;
  /** Known channel ids; any other is `channel_not_found`. Default: every id exists. */
  channels?: string[];
  userGroups?: Record<string, string[]>;
  /** Guests and people of other organisations, as users.info describes them. */
  users?: WorkspaceOptions['users'];
  /** The workspace is part of this Enterprise Grid organisation. */
  enterprise?: WorkspaceOptions['enterprise'];
  privateChannels?: WorkspaceOptions['privateChannels'];
  notMemberOf?: WorkspaceOptions['notMemberOf'];
  /** The bot token's scopes; default every scope the manifest asks for. Without `files:write`, uploads are `missing_scope`. */
  scopes?: string[];
}

export interface RecordedCall {
  method: string;
  /** The arguments as sent, JSON arguments (blocks, view…) parsed back to objects, token left out. */
  args: Record<string, unknown>;
  ok: boolean;
  error?: string;
  status: number;
}

export interface RecordedResponse {
  url: string;
  body: unknown;
  status: number;
}

type Fault = { method: string; remaining: number } & ({ kind: 'ratelimit'; retryAfterSeconds: number } | { kind: 'fail'; error: string } | { kind: 'slow'; ms: number });

// WebClient form-encodes its arguments, sending objects and arrays as JSON strings.
const JSON_ARGS = ['blocks', 'attachments', 'view', 'metadata', 'files'];

const MANIFEST_SCOPES = ['chat:write', 'commands', 'usergroups:read', 'users:read', 'channels:read', 'groups:read', 'channels:join', 'files:write'];

/** The Slack file ids the image blocks of a message name. */
const imageFileIds = (blocks: unknown): string[] =>
  Array.isArray(blocks)
    ? blocks.flatMap((b) => {
        const id = (b as { type?: unknown; slack_file?: { id?: unknown } })?.slack_file?.id;
        return (b as { type?: unknown }).type === 'image' && typeof id === 'string' ? [id] : [];
      })
    : [];

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = new FakeSlack(opts);
  await fake.listen();
  return fake;
}

export class FakeSlack {
  readonly calls: RecordedCall[] = [];
  readonly responses: RecordedResponse[] = [];
  /** Delay before every answer, to test timeouts and Slack's 3-second windows. */
  latencyMs = 0;

  private readonly token: string;
  private readonly workspace: SlackWorkspace;
  private readonly uploads: FakeFiles;
  private readonly server = createServer((req, res) => {
    this.serve(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
  });
  private readonly listeners = new Set<(call: RecordedCall) => void>();
  private faults: Fault[] = [];
  private origin = '';
  private responseUrls = 0;
  /** Present when the fake was started with an app token. */
  socketMode?: FakeSocketMode;

  constructor(private readonly opts: FakeSlackOptions) {
    this.token = opts.token ?? 'xoxb-test';
    this.workspace = new SlackWorkspace(opts);
    this.uploads = new FakeFiles(() => this.origin, new Set(opts.scopes ?? MANIFEST_SCOPES));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    if (this.opts.appToken) this.socketMode = new FakeSocketMode(this.server, this.origin.replace('http', 'ws'), this.opts.appToken);
  }

  /** The value for `slackApiUrl`; WebClient appends the method name. */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** A fresh response_url on this server, for payloads that Bolt's `respond()` will POST to. */
  responseUrl(): string {
    return `${this.origin}/response/${++this.responseUrls}`;
  }

  /** A trigger_id that expires 3 s from now, as Slack's do. */
  triggerId(): string {
    return this.workspace.issueTriggerId();
  }

  messages(channel?: string): StoredMessage[] {
    return this.workspace.messages(channel);
  }

  /** Every file the upload flow was started for, completed or not. */
  files(): StoredFile[] {
    return this.uploads.list();
  }

  views(): StoredView[] {
    return this.workspace.views();
  }

  /** The Home tab last published for a user (views.publish). */
  home(userId: string): StoredView | undefined {
    return this.workspace.home(userId);
  }

  /** Someone invites the bot to a channel: from now on it may post there. */
  invite(channel: string): void {
    this.workspace.invite(channel);
  }

  /** The replies shown in the thread of a top-level message (none for a reply: threads are one level deep). */
  thread(channel: string, parentTs: string): StoredMessage[] {
    return this.workspace.thread(channel, parentTs);
  }

  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first recorded call, past or future, that matches. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const seen = this.calls.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const listener = (call: RecordedCall): void => {
        if (!predicate(call)) return;
        stop();
        resolve(call);
      };
      const timer = setTimeout(() => {
        stop();
        const methods = this.calls.map((c) => c.method).join(', ') || 'none';
        reject(new Error(`fake Slack: no matching call within ${timeoutMs} ms (calls so far: ${methods})`));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  /** The next `count` calls to `method` get HTTP 429 with this Retry-After. */
  rateLimitNext(method: string, count: number, retryAfterSeconds: number): void {
    this.faults.push({ method, remaining: count, kind: 'ratelimit', retryAfterSeconds });
  }

  /** The next `count` calls to `method` answer normally, but only after `ms` (a slow or busy Slack). */
  slowNext(method: string, count: number, ms: number): void {
    this.faults.push({ method, remaining: count, kind: 'slow', ms });
  }

  /**
   * What Slack does with the app's answer to a view_submission: `update` replaces the open view (an invalid
   * one throws, as Slack would show the person an error), `errors` keeps it, an empty ack or `clear` closes it.
   */
  answerViewSubmission(viewId: string, answer: string): void {
    this.workspace.answerViewSubmission(viewId, parseJson(answer));
  }

  /** The next `count` calls to `method` fail with `error` (`Infinity`: every call from now on); 'http_500' answers HTTP 500 instead. */
  failNext(method: string, count: number, error: string): void {
    this.faults.push({ method, remaining: count, kind: 'fail', error });
  }

  reset(): void {
    this.calls.length = 0;
    this.responses.length = 0;
    this.faults = [];
    this.latencyMs = 0;
    this.workspace.reset();
    this.uploads.reset();
  }

  async close(): Promise<void> {
    this.socketMode?.close();
    const closed = new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
    // fetch keeps connections alive; without this close() waits for them to time out.
    this.server.closeAllConnections();
    await closed;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const bytes = await readBytes(req);
    const raw = bytes.toString('utf8');
    if (this.latencyMs > 0) await sleep(this.latencyMs);
    const path = new URL(req.url ?? '/', this.origin).pathname;
    if (req.method === 'POST' && path.startsWith('/upload/')) {
      const answer = this.uploads.receive(path.slice('/upload/'.length), bytes, req.headers['content-type']);
      res.writeHead(answer.status, { 'Content-Type': 'text/plain' }).end(answer.text);
      return;
    }
    if (req.method === 'POST' && path.startsWith('/api/')) return this.answerApi(path.slice('/api/'.length), req, raw, res);
    if (req.method === 'POST' && path.startsWith('/response/')) return this.answerResponseUrl(path, raw, res);
    res.writeHead(404).end();
  }

  private async answerApi(method: string, req: IncomingMessage, raw: string, res: ServerResponse): Promise<void> {
    const parsed = parseArgs(req.headers['content-type'], raw);
    const { token, ...args } = parsed ?? {};
    let fault = this.takeFault(method);
    if (fault?.kind === 'slow') {
      await sleep(fault.ms);
      fault = undefined;
    }
    let status = 200;
    let answer: Answer;
    const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
    if (fault?.kind === 'ratelimit') {
      status = 429;
      headers['Retry-After'] = String(fault.retryAfterSeconds);
      answer = { ok: false, error: 'ratelimited' };
    } else if (fault?.kind === 'fail') {
      status = fault.error === 'http_500' ? 500 : 200;
      answer = { ok: false, error: fault.error === 'http_500' ? 'internal_error' : fault.error };
    } else if (!parsed) {
      answer = { ok: false, error: 'invalid_json' };
    } else if (method === 'apps.connections.open' && this.socketMode) {
      answer = this.socketMode.open(req.headers.authorization?.match(/^Bearer (.+)$/)?.[1]);
    } else {
      answer = this.authProblem(req.headers.authorization, token) ?? this.callMethod(method, args);
    }
    this.record({ method, args, ok: answer.ok, ...(answer.error && { error: answer.error }), status });
    res.writeHead(status, headers).end(JSON.stringify(answer));
  }

  private callMethod(method: string, args: Args): Answer {
    if (method === 'files.getUploadURLExternal') return this.uploads.getUploadURL(args);
    if (method === 'files.completeUploadExternal') return this.uploads.complete(args, (channel) => !this.opts.channels || this.opts.channels.includes(channel));
    // An image block may only show a file Slack has: uploaded by the bot and completed.
    if ((method === 'chat.postMessage' || method === 'chat.update') && imageFileIds(args.blocks).some((id) => !this.uploads.usable(id))) {
      return { ok: false, error: 'invalid_blocks', errors: ['invalid slack file [json-pointer:/blocks/slack_file]'] };
    }
    return this.workspace.call(method, args);
  }

  // Like a Slack webhook: 200 "ok", or 400 with the error as plain text, which Bolt's respond() throws on.
  private answerResponseUrl(path: string, raw: string, res: ServerResponse): void {
    const body = parseJson(raw) ?? raw;
    const blocks = typeof body === 'object' && body !== null ? (body as Args).blocks : undefined;
    const invalid = Array.isArray(blocks) && blockKitProblems(blocks, 'message').length > 0;
    const status = invalid ? 400 : 200;
    this.responses.push({ url: `${this.origin}${path}`, body, status });
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(invalid ? 'invalid_blocks' : 'ok');
  }

  private authProblem(header: string | undefined, bodyToken: unknown): Answer | undefined {
    const given = header?.match(/^Bearer (.+)$/)?.[1] ?? (typeof bodyToken === 'string' ? bodyToken : undefined);
    if (!given) return { ok: false, error: 'not_authed' };
    if (given !== this.token) return { ok: false, error: 'invalid_auth' };
    return undefined;
  }

  private takeFault(method: string): Fault | undefined {
    const fault = this.faults.find((f) => f.method === method && f.remaining > 0);
    if (fault) fault.remaining -= 1;
    return fault;
  }

  private record(call: RecordedCall): void {
    this.calls.push(call);
    for (const listener of [...this.listeners]) listener(call);
  }
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The call's arguments, or undefined when a JSON body does not parse (Slack: `invalid_json`). */
function parseArgs(contentType: string | undefined, raw: string): Args | undefined {
  const isJson = contentType?.startsWith('application/json') ?? false;
  const args = isJson ? parseJson(raw) : Object.fromEntries(new URLSearchParams(raw));
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return undefined;
  const parsed: Args = { ...args };
  for (const key of JSON_ARGS) {
    const value = parsed[key];
    // Unparseable JSON stays a string, which the methods refuse like Slack (e.g. invalid_blocks_format).
    if (typeof value === 'string') parsed[key] = parseJson(value) ?? value;
  }
  return parsed;
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
