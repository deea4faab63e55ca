import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { type BuiltAccount, buildAccount } from './accounts/build';
import type { AccountContext } from './accounts/context';
import { type Accounts, accountRegistry } from './accounts/registry';
import { alertStoreDeps, runAlertCheck } from './alerts/check';
import { createHistoryWorker } from './alerts/history-worker';
import { buildApp } from './app';
import { revertJob, revertsWanted } from './automation/revert-job';
import { createChartRenderer } from './charts/renderer';
import type { Config } from './config';
import { digestHealthKey, runScheduledDigest } from './digest/scheduled';
import { alertJobKey, digestJobKey, recordedRun } from './home/jobs';
import type { Logger } from './logger';
import { HTTP_SERVER_OPTIONS, limitConnections, type ServerConnections } from './receiver/server-limits';
import { demoAccount, startSandbox } from './sandbox';
import { type Job, scheduleJobs } from './schedule';
import { registerListeners } from './slack/listeners';
import { MessageUpdates } from './slack/message-updates';
import { sandboxClient } from './slack/sandbox-replies';
import { openStore } from './store';
import { pruneJob } from './store/prune-job';
import type { Store } from './store/types';
import { summaryAccountOf } from './summary/account-of';
import { runSummary, type SummaryJobDeps } from './summary/run';
import { createWhopClient } from './whop/gateway';

export interface BotOptions {
  log: Logger;
  clientOptions?: WebClientOptions;
  /** Where the HTTP receiver listens; Socket Mode ignores it. */
  listen?: { port: number; host?: string };
  now?: () => Date;
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

/** Job names are lease keys (node-cron's distributed runs): with several accounts they carry the account's name, so two accounts' jobs never share one. */
const jobName = (accounts: Accounts, account: AccountContext, name: string) => (accounts.only ? name : `${account.name}:${name}`);

/** An account's scheduled work: its digests, its alert checks and, when a rule puts changes back, the revert pass. */
function accountJobs(accounts: Accounts, account: BuiltAccount, store: Store, messages: MessageUpdates): Job[] {
  const { context, settings, actions, digestDeps, history } = account;
  const scoped = context.store;
  const runDeps = { runs: scoped.runs, health: scoped.alerts, now: digestDeps.now, log: digestDeps.log };
  const alertDeps = { ...digestDeps, ...alertStoreDeps(store, context.name, messages), actions, settings, history };
  const scheduledDigestDeps = { ...digestDeps, health: scoped.alerts };
  return [
    ...settings.digests.map(
      (digest, i): Job => ({
        name: jobName(accounts, context, `digest-${i + 1}-${digest.channel}`),
        schedule: digest.schedule,
        run: (next) => recordedRun(runDeps, digestJobKey(digest), digestHealthKey(digest), () => runScheduledDigest(scheduledDigestDeps, digest, next)),
      }),
    ),
    ...settings.alerts.map(
      (alert, i): Job => ({
        name: jobName(accounts, context, `alerts-${i + 1}-${alert.channel}`),
        schedule: alert.schedule,
        run: () => recordedRun(runDeps, alertJobKey(alert), alert.channel, () => runAlertCheck(alertDeps, alert)),
      }),
    ),
    ...(revertsWanted(settings) ? [{ ...revertJob({ ...alertDeps, alerts: scoped.alerts }), name: jobName(accounts, context, 'rule-reverts') }] : []),
  ];
}

/** The summaries: cross-account, so their job names carry no account's name; each fire reads every account it lists. */
function summaryJobs(config: Config, deps: SummaryJobDeps): Job[] {
  return config.settings.summaries.map(
    (summary, i): Job => ({
      name: `summary-${i + 1}-${summary.channel}`,
      schedule: summary.schedule,
      run: async () => void (await runSummary(deps, summary)),
    }),
  );
}

export async function startBot(config: Config, options: BotOptions): Promise<RunningBot> {
  const { log } = options;
  const now = options.now ?? (() => new Date());
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: config.dbPath,
    onIdleError: (err) => log.warn({ err }, 'a database connection was dropped; it will be replaced'),
  });
  const { app, home, workspaceUrl, scheduledClient } = await buildApp(config, {
    log,
    clientOptions: options.clientOptions,
    database: async () => ({ kind: store.kind, ok: await store.ping() }),
  });
  const whop = await whopConnection(config, log, now);
  // The alert checks' big hourly reports are parsed in a thread of their own, away from the acks; one for every account.
  const history = createHistoryWorker();
  // Listeners mark their own replies (registerListeners); these clients post outside any listener.
  const marked = (client: WebClient) => (config.whop.sandbox ? sandboxClient(client) : client);
  const messages = new MessageUpdates(marked(app.client), store);
  const charts = createChartRenderer();
  const shared = {
    config: { settings: config.settings, sandbox: config.whop.sandbox, accounts: config.accounts },
    app,
    home,
    workspaceUrl,
    store,
    messages,
    charts,
    digestSlack: marked(scheduledClient),
    now,
    log,
  };
  const built = config.accounts.map((account) => {
    // biome-ignore lint/style/noNonNullAssertion: whopConnection gives every account a key
    const whopOptions = { apiKey: whop.keys.get(account.name)!, baseURL: whop.baseURL, ...options.whop };
    return buildAccount(shared, account, createWhopClient(whopOptions), history.forAccount({ name: account.name, whop: whopOptions, accountId: account.companyId }));
  });
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
  const scheduler = scheduleJobs(
    [
      ...built.flatMap((account) => accountJobs(accounts, account, store, messages)),
      ...summaryJobs(config, {
        accounts: accounts.all.map(summaryAccountOf),
        slack: shared.digestSlack,
        workspaceUrl,
        timeZone: config.settings.timezone,
        sandbox: config.whop.sandbox,
        now,
        log,
      }),
      pruneJob(store, now, log),
    ],
    config.settings.timezone,
    log,
    store.coordinator,
  );
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
      // Clicks already acknowledged still finish: their Whop call and message update are not cut off.
      await listeners.idle();
      await store.locks.idle();
      await messages.idle();
      await store.close();
      await whop.close();
      await charts.close();
      await history.close();
    },
  };
}
