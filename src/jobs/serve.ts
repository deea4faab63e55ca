// Inside the jobs thread (thread.ts): the bot's scheduled work and its accounts' heavy work, built from the spec it
// was started with on clients and a store connection of its own, done as the bot's schedules and requests ask.
import { parentPort, workerData } from 'node:worker_threads';
import { WebClient } from '@slack/web-api';
import { buildAccount, type SharedParts } from '../accounts/build';
import { accountRegistry } from '../accounts/registry';
import { localHistory } from '../alerts/history-reader';
import { runInBackground } from '../background-priority';
import { createChartRenderer } from '../charts/renderer';
import { createLogger, type Logger, redactValues } from '../logger';
import { nowOf, sharedClock } from '../shared-clock';
import { MessageUpdates } from '../slack/message-updates';
import { sandboxClient } from '../slack/sandbox-replies';
import { configSecrets, slackClientOptions } from '../slack-clients';
import { openStore } from '../store';
import type { PoolSizes } from '../store/postgres';
import { borrowLocks } from '../store/thread-locks';
import { createWhopClient } from '../whop/gateway';
import { scheduledJobs } from './scheduled-jobs';
import type { JobsThreadCall, JobsThreadData, JobsThreadMessage, JobsWork, ThreadError } from './thread';

const THREAD_POOLS: PoolSizes = { queries: 5, locks: 5, messageLocks: 3 };

// biome-ignore lint/style/noNonNullAssertion: this file runs only as a worker thread's entry (jobs-thread.mjs)
const port = parentPort!;
const tell = (message: JobsThreadMessage) => port.postMessage(message);

async function buildJobs(spec: JobsThreadData, log: Logger) {
  const { config } = spec;
  const now = nowOf(spec.clock ? sharedClock(spec.clock) : undefined);
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: config.dbPath,
    onIdleError: (err) => log.warn({ err }, 'a database connection was dropped; it will be replaced'),
    lentLocks: borrowLocks(spec.locks),
    // Beside the main thread's pools: this thread's queries and rule actions need few, and replicas share the server's limit.
    pools: THREAD_POOLS,
  });
  const clients = slackClientOptions(config, log, spec.clientOptions);
  // These clients post outside any listener: marked as sandbox posts as the bot's own are.
  const marked = (client: WebClient) => (config.whop.sandbox ? sandboxClient(client) : client);
  const client = new WebClient(config.slack.botToken, clients.interactive);
  const messages = new MessageUpdates(marked(client), store);
  const charts = createChartRenderer();
  const shared: SharedParts = {
    config: { settings: config.settings, sandbox: config.whop.sandbox, accounts: config.accounts },
    client,
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
  const contexts = new Map(built.map((b) => [b.context.name, b.context]));
  return {
    do: async (work: JobsWork): Promise<unknown> => {
      if (work.kind === 'run') {
        const job = jobs.get(work.name);
        if (!job) throw new Error(`no scheduled job named ${work.name}`);
        return job.run(work.next ? new Date(work.next) : null);
      }
      const deps = contexts.get(work.account)?.deps;
      if (!deps) throw new Error(`no account named ${work.account}`);
      return work.kind === 'postDigest' ? deps.postDigest(work.args) : deps.simulateRules(work.args);
    },
    close: async () => {
      await messages.idle();
      await store.locks.idle();
      await store.close();
      await charts.close();
    },
  };
}

/** What a failure says, and Slack's answer where the error carried one (a WebClient's `data`: plain JSON). */
function threadError(err: unknown): ThreadError {
  if (!(err instanceof Error)) return { message: String(err) };
  const { data } = err as { data?: unknown };
  return { message: err.message, ...(data === undefined ? {} : { data }) };
}

/** Sends a piece of work's answer; one that cannot be copied to the other thread is answered as an error, never left unanswered. */
function answer(id: number, value: unknown): void {
  try {
    tell({ type: 'done', id, value });
  } catch (err) {
    tell({ type: 'done', id, error: threadError(err) });
  }
}

const spec = workerData as JobsThreadData;
runInBackground();
const log = createLogger(spec.logLevel, { write: (line: string) => tell({ type: 'log', line }) });
redactValues(log, configSecrets(spec.config));
// A library failing outside any run must not end the thread: log it and carry on, as the bot's main thread does.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
try {
  const jobs = await buildJobs(spec, log);
  const underWay = new Set<Promise<void>>();
  let closing = false;
  port.on('message', (call: JobsThreadCall) => {
    if (call.type === 'work') {
      const done = (closing ? Promise.reject(new Error('the jobs thread is closing')) : jobs.do(call.work)).then(
        (value) => answer(call.id, value),
        (err: unknown) => tell({ type: 'done', id: call.id, error: threadError(err) }),
      );
      underWay.add(done);
      void done.finally(() => underWay.delete(done));
      return;
    }
    if (call.type !== 'stop') return;
    closing = true;
    // Work under way (a person's /ads digest, a fire) finishes on the store and clients it started with.
    Promise.all(underWay)
      .then(() => jobs.close())
      .then(
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
