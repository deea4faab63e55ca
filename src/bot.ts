import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { buildAccount } from './accounts/build';
import { type Accounts, accountRegistry } from './accounts/registry';
import { createHistoryWorker } from './alerts/history-worker';
import { buildApp } from './app';
import { createChartRenderer } from './charts/renderer';
import type { Config } from './config';
import { jobName, scheduledJobs } from './jobs/scheduled-jobs';
import { jobsThread } from './jobs/thread';
import type { Logger } from './logger';
import { HTTP_SERVER_OPTIONS, limitConnections, type ServerConnections } from './receiver/server-limits';
import { demoAccount, startSandbox } from './sandbox';
import { scheduleJobs } from './schedule';
import { nowOf, type SharedClock } from './shared-clock';
import { everyoneMayActWarning } from './slack/authz';
import { registerListeners } from './slack/listeners';
import { MessageUpdates } from './slack/message-updates';
import { sandboxClient } from './slack/sandbox-replies';
import { slackClientOptions } from './slack-clients';
import { openStore } from './store';
import { createWhopClient } from './whop/gateway';

export interface BotOptions {
  log: Logger;
  clientOptions?: WebClientOptions;
  /** Where the HTTP receiver listens; Socket Mode ignores it. */
  listen?: { port: number; host?: string };
  /** A set clock, read by the jobs thread too (tests let time pass with it); without one, the real time. */
  clock?: SharedClock;
  /** Whop client timeouts and retries; tests shorten them. */
  whop?: { timeoutMs?: number; maxRetries?: number };
}

export interface RunningBot {
  app: App;
  /** Every account served, each with its gateway, scoped store and deps. */
  accounts: Accounts;
  /** The HTTP port actually bound (useful with port 0). */
  port?: number;
  stop(): Promise<void>;
}

/** Each account's Whop key and address: Whop for real, or one simulated account per account when WHOP_SANDBOX=1, living at the bot's clock. */
async function whopConnection(config: Config, log: Logger, now: () => Date): Promise<{ keys: Map<string, string>; baseURL?: string; close: () => Promise<void> }> {
  if (!config.whop.sandbox) {
    // biome-ignore lint/style/noNonNullAssertion: the config refuses to start without each account's key unless WHOP_SANDBOX is on
    return { keys: new Map(config.accounts.map((a) => [a.name, a.apiKey!])), baseURL: config.whop.baseURL, close: async () => {} };
  }
  const keys = config.accounts.map((a, i) => {
    const demo = demoAccount({ now, ...(i > 0 ? { seed: i + 1 } : {}) });
    // A named account's campaigns are its company's, as AccountScope lists them; `default` keeps the key's own account.
    return { name: a.name, apiKey: `sandbox_${randomUUID()}`, account: config.settings.accounts && a.companyId ? { ...demo, id: a.companyId } : demo };
  });
  const sandbox = await startSandbox({ keys });
  log.info({ url: sandbox.url, accounts: keys.length }, 'Whop sandbox started: every message uses simulated ads');
  return { keys: new Map(keys.map((k) => [k.name, k.apiKey])), baseURL: sandbox.url, close: () => sandbox.close() };
}

export async function startBot(config: Config, options: BotOptions): Promise<RunningBot> {
  const { log, clock } = options;
  const now = nowOf(clock);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: config.dbPath,
    onIdleError: (err) => log.warn({ err }, 'a database connection was dropped; it will be replaced'),
  });
  const { app, home, workspaceUrl } = await buildApp(config, {
    log,
    clientOptions: options.clientOptions,
    database: async () => ({ kind: store.kind, ok: await store.ping() }),
  });
  const whop = await whopConnection(config, log, now);
  // An Approve's re-check reads the big hourly reports in a thread of its own, away from the acks; one for every account.
  const history = createHistoryWorker();
  // Listeners mark their own replies (registerListeners); these clients post outside any listener.
  const marked = (client: WebClient) => (config.whop.sandbox ? sandboxClient(client) : client);
  const messages = new MessageUpdates(marked(app.client), store);
  const thread = jobsThread(
    { config, whop: { keys: [...whop.keys], baseURL: whop.baseURL, ...options.whop }, home, workspaceUrl, clientOptions: options.clientOptions, clock: clock?.buffer },
    { log, store },
  );
  // Here the accounts' digests and checks are built for their names and schedules only: each fire, and each
  // `/ads digest` and `/ads rules simulate`, is done in the jobs thread with its own renderer and clients.
  const charts = createChartRenderer();
  const shared = {
    config: { settings: config.settings, sandbox: config.whop.sandbox, accounts: config.accounts },
    client: app.client,
    home,
    workspaceUrl,
    store,
    messages,
    charts,
    digestSlack: marked(new WebClient(config.slack.botToken, slackClientOptions(config, log, options.clientOptions).scheduled)),
    heavyWork: thread.forAccount,
    now,
    log,
  };
  const built = config.accounts.map((account) => {
    // biome-ignore lint/style/noNonNullAssertion: whopConnection gives every account a key
    const whopOptions = { apiKey: whop.keys.get(account.name)!, baseURL: whop.baseURL, ...options.whop };
    return buildAccount(shared, account, createWhopClient(whopOptions), () => history.forAccount({ name: account.name, whop: whopOptions, accountId: account.companyId }));
  });
  for (const { context, settings } of built) {
    const warning = everyoneMayActWarning(settings.access.operators, config.whop.sandbox);
    if (warning) (built.length > 1 ? log.child({ account: context.name }) : log).warn({ setting: 'access.operators' }, warning);
  }
  const accounts = accountRegistry(built.map((b) => b.context));
  const listeners = registerListeners(app, accounts);

  let port: number | undefined;
  let connections: ServerConnections | undefined;
  if (config.slack.appToken) {
    await app.start();
  } else {
    const listen = options.listen ?? { port: config.slack.port };
    const server = await app.start(listen, HTTP_SERVER_OPTIONS);
    connections = limitConnections(server, log);
    port = (server.address() as AddressInfo).port;
  }
  log.info({ mode: config.slack.appToken ? 'socket' : 'http', port }, 'bot listening');
  const jobs = scheduledJobs({ config, accounts, built, store, messages, slack: shared.digestSlack, workspaceUrl, now, log });
  const scheduler = scheduleJobs(thread.inThread(jobs), config.settings.timezone, log, store.coordinator);
  log.info({ store: store.kind }, 'state store open');
  // In the background: a slow Whop must not hold start-up; App Home waits for this first report.
  for (const account of built) void account.setup.run();
  // Every replica checks for itself (it is its own Slack token and network), so no lease.
  const setupSchedule = scheduleJobs(
    built.map(({ context, setup }) => ({
      name: jobName(accounts, context, 'setup-check'),
      schedule: config.settings.setup_check.schedule,
      run: async () => void (await setup.run()),
    })),
    config.settings.timezone,
    log,
  );

  return {
    app,
    accounts,
    port,
    stop: async () => {
      await scheduler.stop();
      await setupSchedule.stop();
      await Promise.all(built.map((account) => account.setup.idle()));
      // Idle and slow connections would hold the server's close for as long as their senders like.
      connections?.closeAll();
      await app.stop();
      // Clicks already acknowledged still finish: their Whop call and message update are not cut off, nor a
      // `/ads digest` being built in the jobs thread, which is stopped only then (it borrows this thread's locks).
      await listeners.idle();
      await thread.stop();
      await store.locks.idle();
      await messages.idle();
      await store.close();
      await whop.close();
      await charts.close();
      await history.close();
    },
  };
}
