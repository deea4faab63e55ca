// Inside the jobs thread (thread.ts): the bot's scheduled work, built from the spec it was started with on clients
// and a store connection of its own, run one fire at a time as the bot's schedules ask.
import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import { buildAccount, type SharedParts } from '../accounts/build';
import { accountRegistry } from '../accounts/registry';
import { localHistory } from '../alerts/history-reader';
import { configSecrets, slackClientOptions } from '../app';
import { runInBackground } from '../background-priority';
import { createChartRenderer } from '../charts/renderer';
import { createLogger, type Logger, redactValues } from '../logger';
import { sharedClock } from '../shared-clock';
import { MessageUpdates } from '../slack/message-updates';
import { sandboxClient } from '../slack/sandbox-replies';
import { openStore } from '../store';
import { borrowLocks } from '../store/thread-locks';
import { createWhopClient } from '../whop/gateway';
import { scheduledJobs } from './scheduled-jobs';
import type { JobsThreadCall, JobsThreadData, JobsThreadMessage } from './thread';

// biome-ignore lint/style/noNonNullAssertion: this file runs only as a worker thread's entry (jobs-thread.mjs)
const port = parentPort!;
const tell = (message: JobsThreadMessage) => port.postMessage(message);

async function buildJobs(spec: JobsThreadData, log: Logger) {
  const { config } = spec;
  const now = spec.clock ? sharedClock(spec.clock).now : () => new Date();
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: config.dbPath,
    onIdleError: (err) => log.warn({ err }, 'a database connection was dropped; it will be replaced'),
    lentLocks: borrowLocks(spec.locks),
  });
  const clients = slackClientOptions(config, log, spec.clientOptions);
  // These clients post outside any listener: marked as sandbox posts as the bot's own are.
  const marked = (client: WebClient) => (config.whop.sandbox ? sandboxClient(client) : client);
  const messages = new MessageUpdates(marked(new WebClient(config.slack.botToken, clients.interactive)), store);
  const charts = createChartRenderer();
  const shared: SharedParts = {
    config: { settings: config.settings, sandbox: config.whop.sandbox, accounts: config.accounts },
    client: new WebClient(config.slack.botToken, clients.interactive),
    home: spec.home,
    workspaceUrl: spec.workspaceUrl,
    store,
    messages,
    charts,
    digestSlack: marked(new WebClient(config.slack.botToken, clients.scheduled)),
    now,
    log,
  };
  const { keys, ...whop } = spec.whop;
  const apiKeys = new Map(keys);
  // This thread is already off the event loop that acks: the checks read their hourly history right here.
  // biome-ignore lint/style/noNonNullAssertion: the bot gives every account a key
  const built = config.accounts.map((account) => buildAccount(shared, account, createWhopClient({ ...whop, apiKey: apiKeys.get(account.name)! }), localHistory));
  const accounts = accountRegistry(built.map((b) => b.context));
  const jobs = new Map(
    scheduledJobs({ config, accounts, built, store, messages, slack: shared.digestSlack, workspaceUrl: spec.workspaceUrl, now, log }).map((job) => [job.name, job]),
  );
  return {
    run: async (name: string, next: Date | null) => {
      const job = jobs.get(name);
      if (!job) throw new Error(`no scheduled job named ${name}`);
      await job.run(next);
    },
    close: async () => {
      await messages.idle();
      await store.locks.idle();
      await store.close();
      await charts.close();
    },
  };
}

const spec = workerData as JobsThreadData;
runInBackground();
const log = createLogger(spec.logLevel, { write: (line: string) => tell({ type: 'log', line }) });
redactValues(log, configSecrets(spec.config));
// A library failing outside any run must not end the thread: log it and carry on, as the bot's main thread does.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
try {
  const jobs = await buildJobs(spec, log);
  port.on('message', (call: JobsThreadCall) => {
    if (call.type === 'run') {
      jobs.run(call.name, call.next ? new Date(call.next) : null).then(
        () => tell({ type: 'ran', id: call.id }),
        (err: unknown) => tell({ type: 'ran', id: call.id, error: err instanceof Error ? err.message : String(err) }),
      );
      return;
    }
    jobs.close().then(
      () => tell({ type: 'stopped' }),
      (err: unknown) => {
        log.error({ err }, 'the jobs thread did not close cleanly');
        tell({ type: 'stopped' });
      },
    );
  });
  tell({ type: 'ready' });
} catch (err) {
  tell({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
