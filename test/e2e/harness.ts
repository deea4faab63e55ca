import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { Button } from '@slack/types';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { alertStoreDeps, runAlertCheck } from '../../src/alerts/check';
import { createHistoryWorker } from '../../src/alerts/history-worker';
import { type RunningBot, startBot } from '../../src/bot';
import { type ChartRenderer, createChartRenderer } from '../../src/charts/renderer';
import { loadConfig, parseSettings } from '../../src/config';
import { postDigest } from '../../src/digest/post';
import { createLogger } from '../../src/logger';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { demoAccount, type SandboxAccount, type SandboxKey, type SandboxServer, startSandbox } from '../../src/sandbox';
import { type SharedClock, sharedClock } from '../../src/shared-clock';
import { MessageUpdates } from '../../src/slack/message-updates';
import { sandboxClient } from '../../src/slack/sandbox-replies';
import { openSqliteStore } from '../../src/store/sqlite-store';
import type { AuditEntry, Firing } from '../../src/store/types';
import { createAdsGateway, createWhopClient } from '../../src/whop/gateway';
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from '../support/fake-slack';
import { ruleOnlyPipeline } from '../support/rule-only-pipeline';
import {
  blockActionPayload,
  blockActionsBody,
  eventCallbackBody,
  postToSlackEvents,
  type RequestOrigin,
  type SlashCommandFields,
  slashCommandBody,
  viewActionPayload,
  viewSubmissionPayload,
} from '../support/slack-request';

export const SIGNING_SECRET = 'e2e-signing-secret';
export const BOT_TOKEN = 'xoxb-test';
export const WHOP_KEY = 'whop-e2e-key';

/**
 * The moment every harness lives at unless a test picks another: a Tuesday mid-morning in New York, when
 * "today" already has data. Tests never read the wall clock, so they pass at any hour CI runs them.
 */
export const HARNESS_NOW = new Date('2026-11-24T15:42:00Z');

export interface HarnessOptions {
  yaml?: string;
  account?: SandboxAccount;
  /** Several simulated accounts, one key each (ads-bot.yml `accounts:`, their keys in `env`); `account` is then unused. */
  keys?: SandboxKey[];
  userGroups?: Record<string, string[]>;
  /** Guests and people of other organisations, as the fake Slack's users.info describes them. */
  users?: FakeSlackOptions['users'];
  /** The bot's workspace is part of this Enterprise Grid organisation. */
  enterprise?: FakeSlackOptions['enterprise'];
  /** Extra environment for the bot, e.g. WHOP_COMPANY_ID or WHOP_SANDBOX. */
  env?: Record<string, string>;
  whop?: { timeoutMs?: number; maxRetries?: number };
  /** Private channels, and channels the bot is not in, as the fake Slack has them. */
  channels?: Pick<FakeSlackOptions, 'privateChannels' | 'notMemberOf'>;
  /** Connect over Socket Mode (an app token) instead of serving HTTP. */
  socketMode?: boolean;
  /** The bot's and the default sandbox account's clock (HARNESS_NOW unless given). */
  now?: Date;
  /** The bot's WebClient settings; default no retries. `{}` keeps the bot's own timeout and retry policy. */
  clientOptions?: WebClientOptions;
}

/** A simulated account's Whop key in the e2e tests, by its ads-bot.yml name. */
export const accountKey = (name: string): string => `${name}-e2e-key`;

/**
 * Harness options for several named accounts (ads-bot.yml `accounts:` with `api_key_env: <NAME>_WHOP_API_KEY`), each
 * its own simulated account with its own key.
 */
export const namedAccounts = (accounts: Record<string, SandboxAccount>): Required<Pick<HarnessOptions, 'keys' | 'env'>> => ({
  keys: Object.entries(accounts).map(([name, account]) => ({ apiKey: accountKey(name), account })),
  env: Object.fromEntries(Object.keys(accounts).map((name) => [`${name.toUpperCase()}_WHOP_API_KEY`, accountKey(name)])),
});

export const APP_TOKEN = 'xapp-e2e';

/** Two Whop companies in one deployment, each with its key, digest channel and operator; U0BOSS may act on both. */
export const twoAccountsYaml = (schedule: string): string =>
  [
    'timezone: America/New_York',
    'access: { operators: [U0BOSS] }',
    'accounts:',
    '  - { name: acme, company_id: biz_acme1, api_key_env: ACME_WHOP_API_KEY, operators: [U0ACME] }',
    '  - { name: globex, company_id: biz_globex1, api_key_env: GLOBEX_WHOP_API_KEY, operators: [U0GLOBEX] }',
    'digests:',
    `  - { account: acme, channel: C0ACME, schedule: "${schedule}" }`,
    `  - { account: globex, channel: C0GLOBEX, schedule: "${schedule}" }`,
  ].join('\n');

/** A firing awaiting approval to pause an ad group, fired an hour before HARNESS_NOW and open for four more hours. */
export function awaitingFiring(channel: string, entity: string, why: string): Firing {
  const at = new Date(HARNESS_NOW.getTime() - 3_600_000);
  return {
    id: `${channel}:cpr:${entity}:${at.toISOString()}`,
    channel,
    alertKey: `cpr:${entity}`,
    rule: 'cost_per_result_above',
    mode: 'approve',
    entityKind: 'ad_group',
    entityId: entity,
    entityTitle: 'Globex group',
    plan: { kind: 'toggle', verb: 'pause', until: null },
    why,
    state: 'awaiting',
    firedAt: at,
    expiresAt: new Date(HARNESS_NOW.getTime() + 4 * 3_600_000),
    actedAt: null,
    actedBy: null,
    revertAt: null,
    messageTs: null,
    detail: null,
  };
}

/** The real bot over HTTP, against the sandbox Whop and the fake Slack, with its logs kept for reading. */
export class Harness {
  bot!: RunningBot;
  readonly logs: string[] = [];
  /** The bot's clock, shared with its jobs thread: a test moves `now` to let time pass (an expiry, a reminder). */
  private readonly clock: SharedClock;

  private constructor(
    readonly sandbox: SandboxServer,
    readonly slack: FakeSlack,
    readonly dbPath: string,
    private options: HarnessOptions,
  ) {
    this.clock = sharedClock(options.now ?? HARNESS_NOW);
  }

  get now(): Date {
    return this.clock.now();
  }

  set now(at: Date) {
    this.clock.set(at);
  }

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const now = options.now ?? HARNESS_NOW;
    const sandbox = await startSandbox(options.keys ? { keys: options.keys } : { apiKey: WHOP_KEY, account: options.account ?? demoAccount({ now: () => now }) });
    const slack = await startFakeSlack({
      token: BOT_TOKEN,
      userGroups: options.userGroups,
      users: options.users,
      enterprise: options.enterprise,
      ...options.channels,
      ...(options.socketMode ? { appToken: APP_TOKEN } : {}),
    });
    const dbPath = join(mkdtempSync(join(tmpdir(), 'ads-bot-')), 'state.sqlite');
    const harness = new Harness(sandbox, slack, dbPath, options);
    await harness.startBot();
    return harness;
  }

  get url(): string {
    return `http://127.0.0.1:${this.bot.port}/slack/events`;
  }

  async startBot(): Promise<void> {
    const env = {
      SLACK_BOT_TOKEN: BOT_TOKEN,
      ...(this.options.socketMode ? { SLACK_APP_TOKEN: APP_TOKEN } : { SLACK_SIGNING_SECRET: SIGNING_SECRET }),
      SLACK_API_URL: this.slack.url,
      WHOP_API_KEY: WHOP_KEY,
      WHOP_BASE_URL: this.sandbox.url,
      ADS_BOT_DB: this.dbPath,
      LOG_LEVEL: 'debug',
      ...this.options.env,
    };
    const config = loadConfig(env, () => this.options.yaml ?? 'timezone: America/New_York\n');
    const started = this.logs.length;
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        this.logs.push(String(chunk));
        done();
      },
    });
    this.bot = await startBot(config, {
      log: createLogger('debug', sink),
      clock: this.clock,
      listen: { port: 0, host: '127.0.0.1' },
      clientOptions: this.options.clientOptions ?? { retryConfig: { retries: 0 } },
      whop: { timeoutMs: 2_000, maxRetries: 0, ...this.options.whop },
    });
    // The setup check at start calls Slack and Whop: done before a test counts calls or plants a fault.
    await this.logged((line) => line.includes('"msg":"setup check done"') || line.includes('"msg":"setup check failed"'), started);
  }

  /** Waits for a log line of the bot's, from the `from`th on, that matches. */
  async logged(match: (line: string) => boolean, from = 0, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.logs.slice(from).some(match)) {
      if (Date.now() > deadline) throw new Error('no matching log line from the bot');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Stops the bot and starts it again on the same state file, with changed settings if given (an admin's edit). */
  async restart(changes: Pick<HarnessOptions, 'yaml'> = {}): Promise<void> {
    await this.bot.stop();
    this.options = { ...this.options, ...changes };
    await this.startBot();
  }

  /** The button for a Whop id in a message the fake Slack holds, as the person sees it now. */
  button(channel: string, ts: string, value: string, actionId?: string) {
    const message = this.slack.messages(channel).find((m) => m.ts === ts);
    if (!message) throw new Error(`no message ${ts} in ${channel}`);
    for (const block of message.blocks as Array<{ block_id?: string; accessory?: Button; elements?: Button[] }>) {
      const button = [block.accessory, ...(block.elements ?? [])].find((e) => e?.value === value && e.action_id && (!actionId || e.action_id === actionId));
      if (button) return { message, blockId: block.block_id, button };
    }
    throw new Error(`no button for ${value} in message ${ts}`);
  }

  /** Builds the signed block_actions request Slack would send for a click on that button. */
  clickBody(input: { user: string; channel: string; ts: string; value: string; actionId?: string; from?: RequestOrigin }) {
    const { message, blockId, button } = this.button(input.channel, input.ts, input.value, input.actionId);
    const payload = blockActionPayload({
      user: input.user,
      channel: input.channel,
      message: { ts: message.ts, thread_ts: message.thread_ts, text: message.text, blocks: message.blocks },
      action: { action_id: button.action_id!, block_id: blockId, value: input.value },
      response_url: this.slack.responseUrl(),
      trigger_id: this.slack.triggerId(),
      from: input.from,
    });
    return { payload, body: blockActionsBody(payload), actionId: button.action_id! };
  }

  async click(input: { user: string; channel: string; ts: string; value: string; actionId?: string; from?: RequestOrigin }) {
    const click = this.clickBody(input);
    return { ...click, ...(await this.send(click.body)) };
  }

  /** Sends a slash command exactly as Slack does; `respond()` answers land in `slack.responses`. `extra`: e.g. another team_id. */
  async command(command: '/adgroup' | '/ads', text: string, user = 'U0MARIA', channel = 'C0DIGEST', extra: Partial<SlashCommandFields> = {}) {
    const responseUrl = this.slack.responseUrl();
    const triggerId = this.slack.triggerId();
    const fields = { command, text, user_id: user, channel_id: channel, response_url: responseUrl, trigger_id: triggerId, ...extra };
    const answer = await this.send(slashCommandBody(fields));
    return { ...answer, responseUrl };
  }

  /** The respond() answers sent to one response_url, waiting until there are `count`. */
  async responsesTo(url: string, count = 1, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.slack.responses.filter((r) => r.url === url);
      if (found.length >= count) return found.map((r) => r.body as { text?: string; blocks?: unknown[]; replace_original?: boolean });
      if (Date.now() > deadline) throw new Error(`no response to ${url}: ${JSON.stringify(this.slack.responses)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Clicks a button of an ephemeral answer (which Slack keeps only on the person's screen). */
  async clickIn(blocks: unknown[], actionId: string, user = 'U0MARIA', channel = 'C0DIGEST') {
    const payload = blockActionPayload({
      user,
      channel,
      message: { ts: `${Date.now() / 1000}`, blocks },
      action: { action_id: actionId },
      response_url: this.slack.responseUrl(),
      trigger_id: this.slack.triggerId(),
    });
    (payload.container as { is_ephemeral: boolean }).is_ephemeral = true;
    const answer = await this.send(blockActionsBody(payload));
    return { ...answer, responseUrl: payload.response_url as string };
  }

  /**
   * Submits a modal the fake Slack has open, as the person sees it now, and lets the fake act on the answer as
   * Slack does (replace, keep or close the view). `values` is the modal's state: block_id → action_id → value.
   */
  async submitView(viewId: string, values: Record<string, Record<string, string>>, user = 'U0MARIA') {
    const answer = await this.send(this.submissionBody(viewId, values, user));
    if (answer.status === 200) this.slack.answerViewSubmission(viewId, answer.body);
    return answer;
  }

  /** The signed-to-be view_submission Slack would send for the open view with these values (to replay it, say). */
  submissionBody(viewId: string, values: Record<string, Record<string, string>>, user = 'U0MARIA'): string {
    const open = this.slack.views().find((v) => v.id === viewId);
    if (!open) throw new Error(`no open view ${viewId}`);
    const state = Object.fromEntries(
      Object.entries(values).map(([block, inputs]) => [block, Object.fromEntries(Object.entries(inputs).map(([id, value]) => [id, { type: 'plain_text_input', value }]))]),
    );
    const payload = viewSubmissionPayload({
      user,
      view: { id: open.id, hash: open.hash, callback_id: String(open.view.callback_id), private_metadata: String(open.view.private_metadata ?? '') },
      values: state,
    });
    return blockActionsBody(payload);
  }

  send(body: string, retryNum?: number, opts: { timestamp?: number; signature?: string } = {}) {
    return postToSlackEvents(this.url, SIGNING_SECRET, body, { ...opts, ...(retryNum ? { retryNum } : {}) });
  }

  /** Sends an Events API event as Slack does; the same `eventId` with `retryNum` is Slack's redelivery of it. */
  event(event: Record<string, unknown>, eventId?: string, retryNum?: number) {
    return this.send(eventCallbackBody(event, eventId), retryNum);
  }

  /** Opens the Home tab as `user` and answers the view the bot publishes for them. */
  async openHome(user: string) {
    const before = this.slack.callsTo('views.publish').length;
    // As Slack does, the event carries the Home last published for the person, if any.
    const shown = this.slack.home(user);
    const view = shown ? { view: { id: shown.id, type: 'home', private_metadata: String(shown.view.private_metadata ?? '') } } : {};
    await this.event({ type: 'app_home_opened', user, channel: `D${user.slice(1)}`, tab: 'home', ...view });
    return this.publishedAfter(user, before);
  }

  /** Clicks a button of `user`'s Home tab (a forged one when `value` is given and the button is not there). */
  async clickHome(user: string, actionId: string, value?: string) {
    const home = this.slack.home(user);
    if (!home) throw new Error(`no Home published for ${user}`);
    const blocks = home.view.blocks as unknown[];
    if (value === undefined && !JSON.stringify(blocks).includes(`"action_id":"${actionId}"`)) throw new Error(`no ${actionId} on ${user}'s Home`);
    const metadata = String(home.view.private_metadata ?? '');
    const payload = viewActionPayload({ user, view: { id: home.id, hash: home.hash, type: 'home', blocks, private_metadata: metadata }, action: { action_id: actionId, value } });
    return this.send(blockActionsBody(payload));
  }

  /** The view published for `user` once there are more than `before` views.publish calls. */
  async publishedAfter(user: string, before: number) {
    await this.slack.waitFor((c) => c.method === 'views.publish' && c.args.user_id === user && this.slack.callsTo('views.publish').length > before);
    // A views.publish for the user was just seen.
    return this.slack.home(user)!;
  }

  /** Posts a digest to the fake Slack as the scheduler would, to have buttons to click. */
  async postDigestNow(channel: string): Promise<string> {
    const outcome = await postDigest(
      {
        gateway: createAdsGateway(createWhopClient({ apiKey: WHOP_KEY, baseURL: this.sandbox.url, maxRetries: 0 })),
        charts: createChartRenderer(),
        slack: new WebClient(BOT_TOKEN, { slackApiUrl: this.slack.url, retryConfig: { retries: 0 } }),
        timeZone: 'America/New_York',
        sandbox: false,
        now: () => this.now,
        log: createLogger('silent'),
      },
      { channel, window: 'yesterday', campaigns: [], top: 5, chart: 'off' },
    );
    if (!outcome.posted) throw new Error(outcome.reason);
    this.sandbox.requests.length = 0;
    this.slack.calls.length = 0;
    return outcome.ts;
  }

  /**
   * Runs one check of the first alert in the settings as the scheduler would, on its own connection to the
   * bot's state file (what a restarted process would see), at `now`. With WHOP_SANDBOX=1 it marks its messages as
   * the bot does; it reads the harness's sandbox, seeded as the bot's own copy of the demo account is.
   */
  async checkAlerts(now = this.now, extra: { charts?: ChartRenderer } = {}): Promise<void> {
    const alert = parseSettings(this.options.yaml ?? '').alerts[0];
    if (!alert) throw new Error('no alert in the settings');
    const store = openSqliteStore(this.dbPath);
    const sandbox = this.options.env?.WHOP_SANDBOX === '1';
    const client = new WebClient(BOT_TOKEN, { slackApiUrl: this.slack.url, retryConfig: { retries: 0 } });
    const slack = sandbox ? sandboxClient(client) : client;
    // A check that times out posts nothing but a health count: on a loaded test machine, give Whop time.
    const whop = { apiKey: WHOP_KEY, baseURL: this.sandbox.url, maxRetries: 0, timeoutMs: 15_000 };
    // The hourly history read as the bot reads it, in a worker (started only if a rule needs the history).
    const worker = createHistoryWorker();
    const history = worker.forAccount({ name: DEFAULT_ACCOUNT, whop });
    try {
      await runAlertCheck(
        {
          gateway: createAdsGateway(createWhopClient(whop)),
          history,
          slack,
          ...alertStoreDeps(store, DEFAULT_ACCOUNT, new MessageUpdates(slack, store)),
          actions: ruleOnlyPipeline(store, () => now),
          settings: parseSettings(this.options.yaml ?? ''),
          timeZone: parseSettings(this.options.yaml ?? '').timezone,
          sandbox,
          now: () => now,
          log: createLogger('silent'),
          ...extra,
        },
        alert,
      );
    } finally {
      await worker.close();
      await store.close();
    }
  }

  /** The audit rows for an item in an account's log, read from the state file as a restarted bot would. */
  async auditFor(id: string, account = DEFAULT_ACCOUNT): Promise<AuditEntry[]> {
    const store = openSqliteStore(this.dbPath);
    try {
      return await store.forAccount(account).audit.forEntity(id);
    } finally {
      await store.close();
    }
  }

  /** Plants a rule firing in an account's part of the state file, as an alert check would leave it. */
  async plantFiring(firing: Firing, account = DEFAULT_ACCOUNT): Promise<void> {
    const store = openSqliteStore(this.dbPath);
    try {
      await store.forAccount(account).firings.claim(firing);
    } finally {
      await store.close();
    }
  }

  /** A rule firing as the state file has it now. */
  async firing(id: string, account = DEFAULT_ACCOUNT): Promise<Firing | undefined> {
    const store = openSqliteStore(this.dbPath);
    try {
      return await store.forAccount(account).firings.get(id);
    } finally {
      await store.close();
    }
  }

  async stop(): Promise<void> {
    await this.bot.stop();
    await this.slack.close();
    await this.sandbox.close();
    rmSync(dirname(this.dbPath), { recursive: true, force: true });
  }
}
