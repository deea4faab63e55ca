import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { WebClient, WebClientOptions } from '@slack/web-api';
import { createPipeline } from './actions/pipeline';
import { alertStoreDeps, runAlertCheck } from './alerts/check';
import { createHistoryWorker } from './alerts/history-worker';
import { buildApp } from './app';
import { revertJob, revertsWanted } from './automation/revert-job';
import { simulateRules } from './automation/simulate-data';
import { createChartRenderer } from './charts/renderer';
import { sharedWhileRunning } from './concurrency';
import type { Config } from './config';
import { postDigest } from './digest/post';
import { digestHealthKey, runScheduledDigest } from './digest/scheduled';
import { alertJobKey, digestJobKey, recordedRun } from './home/jobs';
import { createSetupCheck } from './home/setup-check';
import type { Logger } from './logger';
import { HTTP_SERVER_OPTIONS, limitConnections, type ServerConnections } from './receiver/server-limits';
import { demoAccount, startSandbox } from './sandbox';
import { type Job, scheduleJobs } from './schedule';
import { createAuthz, everyoneMayActWarning } from './slack/authz';
import { registerListeners } from './slack/listeners';
import { MessageUpdates } from './slack/message-updates';
import { sandboxClient } from './slack/sandbox-replies';
import { openStore } from './store';
import { pruneJob } from './store/prune-job';
import { createAdsGateway, createWhopClient } from './whop/gateway';

/** `/ads digest` lists as many ad groups as a default scheduled digest. */
const ON_DEMAND_TOP = 5;

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
  /** The HTTP port actually bound (useful with port 0). */
  port?: number;
  stop(): Promise<void>;
}

/** Whop for real, or the built-in simulated account when WHOP_SANDBOX=1, living at the bot's clock. */
async function whopConnection(config: Config, log: Logger, now: () => Date) {
  if (!config.whop.sandbox) {
    // biome-ignore lint/style/noNonNullAssertion: the config refuses to start without WHOP_API_KEY unless WHOP_SANDBOX is on
    return { apiKey: config.whop.apiKey!, baseURL: config.whop.baseURL, close: async () => {} };
  }
  const apiKey = `sandbox_${randomUUID()}`;
  const sandbox = await startSandbox({ apiKey, account: demoAccount({ now }) });
  log.info({ url: sandbox.url }, 'Whop sandbox started: every message uses simulated ads');
  return { apiKey, baseURL: sandbox.url, close: () => sandbox.close() };
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
  const whopOptions = { apiKey: whop.apiKey, baseURL: whop.baseURL, ...options.whop };
  const gateway = createAdsGateway(createWhopClient(whopOptions), { accountId: config.whop.accountId });
  // The alert checks' big hourly reports are parsed in a thread of their own, away from the acks.
  const history = createHistoryWorker({ whop: whopOptions, accountId: config.whop.accountId });
  // Listeners mark their own replies (registerListeners); these clients post outside any listener.
  const marked = (client: WebClient) => (config.whop.sandbox ? sandboxClient(client) : client);
  const messages = new MessageUpdates(marked(app.client), store);
  const { operators } = config.settings.access;
  const warning = everyoneMayActWarning(operators, config.whop.sandbox);
  if (warning) log.warn({ setting: 'access.operators' }, warning);
  const charts = createChartRenderer();
  const digestDeps = {
    gateway,
    charts,
    slack: marked(scheduledClient),
    timeZone: config.settings.timezone,
    sandbox: config.whop.sandbox,
    now,
    log,
  };
  const authz = createAuthz({ operators, home, client: app.client, log });
  const setup = createSetupCheck({ settings: config.settings, client: app.client, gateway, now, log });
  const summary = {
    settings: config.settings,
    store,
    setup,
    workspaceUrl,
    accountId: config.whop.accountId ?? null,
    sandbox: config.whop.sandbox,
    now,
  };
  const actions = createPipeline({ authz, clicks: store.clicks, locks: store.locks, audit: store.audit, now, log });
  const listeners = registerListeners(app, {
    actions,
    firings: store.firings,
    settings: config.settings,
    gateway,
    alerts: store.alerts,
    pending: store.pending,
    authz,
    audit: store.audit,
    clicks: store.clicks,
    firsts: store.firsts,
    summary,
    locks: store.locks,
    messages,
    limits: config.settings.budget,
    simulateRules: sharedWhileRunning((days: number) => simulateRules(gateway, config.settings, days, now())),
    postDigest: (digest) => postDigest(digestDeps, { ...digest, campaigns: [], top: ON_DEMAND_TOP }),
    timeZone: config.settings.timezone,
    sandbox: config.whop.sandbox,
    now,
    log,
  });

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
  const runDeps = { runs: store.runs, health: store.alerts, now, log };

  const alertDeps = {
    ...digestDeps,
    ...alertStoreDeps(store, messages),
    actions,
    settings: config.settings,
    history,
  };
  const scheduledDigestDeps = { ...digestDeps, health: store.alerts };
  const scheduler = scheduleJobs(
    [
      ...config.settings.digests.map(
        (digest, i): Job => ({
          name: `digest-${i + 1}-${digest.channel}`,
          schedule: digest.schedule,
          run: (next) => recordedRun(runDeps, digestJobKey(digest), digestHealthKey(digest), () => runScheduledDigest(scheduledDigestDeps, digest, next)),
        }),
      ),
      ...config.settings.alerts.map((alert, i) => ({
        name: `alerts-${i + 1}-${alert.channel}`,
        schedule: alert.schedule,
        run: () => recordedRun(runDeps, alertJobKey(alert), alert.channel, () => runAlertCheck(alertDeps, alert)),
      })),
      pruneJob(store, now, log),
      ...(revertsWanted(config.settings) ? [revertJob({ ...alertDeps, alerts: store.alerts })] : []),
    ],
    config.settings.timezone,
    log,
    store.coordinator,
  );
  log.info({ store: store.kind }, 'state store open');
  // In the background: a slow Whop must not hold start-up; App Home waits for this first report.
  void setup.run();
  // Every replica checks for itself (it is its own Slack token and network), so no lease.
  const setupSchedule = scheduleJobs(
    [{ name: 'setup-check', schedule: config.settings.setup_check.schedule, run: async () => void (await setup.run()) }],
    config.settings.timezone,
    log,
  );

  return {
    app,
    port,
    stop: async () => {
      await scheduler.stop();
      await setupSchedule.stop();
      await setup.idle();
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
