import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { WebClientOptions } from '@slack/web-api';
import type { Replay } from '../automation/simulate';
import { lowerHelperThreads } from '../background-priority';
import type { Config } from '../config';
import type { DigestOutcome } from '../digest/post';
import { type Logger, writeFinishedLine } from '../logger';
import type { Job } from '../schedule';
import { nowOf, sharedClock } from '../shared-clock';
import type { SlackHome } from '../slack/authz';
import type { BotDeps } from '../slack/deps';
import { lendLocks, type StoreLocks } from '../store/thread-locks';
import type { WhopClientOptions } from '../whop/gateway';
import type { WhopResult } from '../whop/result';

/** Everything the jobs thread builds its own clients, store and jobs from: plain data, copied into it. */
export interface JobsSpec {
  config: Config;
  /** Each account's Whop key by name, where Whop answers, and the client's timeouts. */
  whop: { keys: Array<[string, string]> } & Omit<WhopClientOptions, 'apiKey'>;
  home: SlackHome;
  workspaceUrl: string | null;
  clientOptions?: WebClientOptions;
  /** The bot's set clock (SharedClock.buffer); without one, the real time. */
  clock?: SharedArrayBuffer;
}

/** What the thread is started with: the spec, the level to log at, and the port the store's locks are lent over. */
export interface JobsThreadData extends JobsSpec {
  logLevel: string;
  locks: MessagePort;
}

/** What a request of the bot's may ask the thread to do for one account: the heavy work of `/ads digest` and `/ads rules simulate`. */
export interface AccountWork {
  postDigest: { args: Parameters<BotDeps['postDigest']>[0]; answer: DigestOutcome };
  simulateRules: { args: number; answer: WhopResult<Replay> };
}

/** One piece of work for the thread: a scheduled job's fire (by its name in scheduledJobs), or an account's work. */
export type JobsWork =
  | { kind: 'run'; name: string; next: string | null }
  | { [K in keyof AccountWork]: { kind: K; account: string; args: AccountWork[K]['args'] } }[keyof AccountWork];

/** Asked of the thread: some work, or to finish and close. */
export type JobsThreadCall = { type: 'work'; id: number; work: JobsWork } | { type: 'stop' };

/** What the thread tells the bot: each log line it wrote, that it is ready or could not start, a piece of work's end, that it stopped. */
export type JobsThreadMessage =
  | { type: 'log'; line: string }
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'done'; id: number; value?: unknown; error?: ThreadError }
  | { type: 'stopped' };

/** An error as it crosses from the thread: its words, and Slack's answer (`data.error`, e.g. `not_in_channel`) where it carried one. */
export interface ThreadError {
  message: string;
  data?: unknown;
}

/** The thread could not do the work at all (it could not start, it stopped, the bot is stopping): not the work's own failure. */
export class JobsThreadUnavailable extends Error {}

export interface JobsThread {
  /** Runs one of scheduledJobs, by its name, in the thread. */
  run(name: string, next: Date | null): Promise<void>;
  /** The same jobs, each of whose fires is run in the thread instead, as scheduleJobs takes them; a fire the thread could not finish is kept by `recordLost`. */
  inThread(jobs: readonly Job[]): Job[];
  /** An account's heavy work for a person's request, done in the thread. */
  forAccount(account: string): Pick<BotDeps, keyof AccountWork>;
  /** Takes no more work, waits for the work under way, then ends the thread. */
  stop(): Promise<void>;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
  calls: Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>;
  stopped: Promise<void>;
}

/**
 * The scheduled digests, alert checks, summaries and housekeeping, and the heavy work a person's request asks for
 * (`/ads digest`, `/ads rules simulate`), run in a worker thread of their own, at a lower
 * priority: a big account's digest and the judging of its hourly history take seconds of CPU and hundreds of megabytes
 * of allocation, and the event loop that acks Slack's requests must never wait behind them or their collection. The
 * schedules and their leases stay here; each fire runs in the thread, started on the first piece of work and kept. The thread has
 * its own Whop and Slack clients and store connection, borrows this thread's store locks (so a click and a rule's
 * action never hold one ad at once), and writes its log lines through the bot's logger. A thread that dies fails the
 * work under way (logged as failed runs, or answered as an error) and the next piece of work starts a new one.
 */
export function jobsThread(spec: JobsSpec, deps: { log: Logger; store: StoreLocks }): JobsThread {
  let running: Running | null = null;
  let stopping = false;
  const now = nowOf(spec.clock ? sharedClock(spec.clock) : undefined);
  let next = 0;

  const start = (): Running => {
    const { port1, port2 } = new MessageChannel();
    lendLocks(port1, deps.store);
    const workerData: JobsThreadData = { ...spec, logLevel: deps.log.level, locks: port2 };
    // No execArgv of ours (a CPU profile, a loader): the thread loads only what its file imports.
    const worker = new Worker(new URL('./jobs-thread.mjs', import.meta.url), { workerData, transferList: [port2], execArgv: [] });
    worker.unref();
    const calls: Running['calls'] = new Map();
    let ready!: { resolve: () => void; reject: (err: Error) => void };
    let stopped!: () => void;
    const thread: Running = {
      worker,
      calls,
      ready: new Promise((resolve, reject) => {
        ready = { resolve, reject };
      }),
      stopped: new Promise((resolve) => {
        stopped = resolve;
      }),
    };
    // A run awaiting the start sees its failure; nobody else must be told of it twice.
    thread.ready.catch(() => undefined);
    const end = (err: JobsThreadUnavailable) => {
      ready.reject(err);
      for (const call of calls.values()) call.reject(err);
      calls.clear();
      if (running === thread) running = null;
      stopped();
    };
    worker.on('message', (message: JobsThreadMessage) => {
      if (message.type === 'log') writeFinishedLine(deps.log, message.line);
      else if (message.type === 'ready') {
        lowerHelperThreads();
        ready.resolve();
      } else if (message.type === 'failed') {
        end(new JobsThreadUnavailable(`the scheduled jobs could not start: ${message.message}`));
        void worker.terminate();
      } else if (message.type === 'done') {
        const call = calls.get(message.id);
        calls.delete(message.id);
        // Threads the main thread started since (libuv's pool on its first use, say) are lowered too.
        lowerHelperThreads();
        if (message.error === undefined) call?.resolve(message.value);
        else call?.reject(Object.assign(new Error(message.error.message), message.error.data === undefined ? {} : { data: message.error.data }));
        if (calls.size === 0) worker.unref();
      } else if (message.type === 'stopped') stopped();
    });
    worker.on('error', (err) => deps.log.error({ err }, 'the jobs thread failed'));
    worker.on('exit', (code) => {
      port1.close();
      end(new JobsThreadUnavailable(`the jobs thread stopped (code ${code})`));
    });
    return thread;
  };

  const call = async (work: JobsWork): Promise<unknown> => {
    // A thread started now would outlive the bot: nothing would stop it or close its store.
    if (stopping) throw new JobsThreadUnavailable('the bot is stopping');
    running ??= start();
    const thread = running;
    // Held up only while work is under way: an idle thread never keeps the process alive.
    thread.worker.ref();
    await thread.ready;
    return new Promise((resolve, reject) => {
      const id = ++next;
      thread.calls.set(id, { resolve, reject });
      thread.worker.postMessage({ type: 'work', id, work } satisfies JobsThreadCall);
    });
  };
  const run = async (name: string, at: Date | null) => void (await call({ kind: 'run', name, next: at?.toISOString() ?? null }));

  return {
    run,
    inThread: (jobs) =>
      jobs.map((job) => ({
        ...job,
        run: async (at) => {
          const startedAt = now();
          try {
            await run(job.name, at);
          } catch (err) {
            // The thread keeps each run's outcome itself; one it could not finish, this thread keeps.
            if (err instanceof JobsThreadUnavailable && !stopping) await job.recordLost?.(startedAt, err.message);
            throw err;
          }
        },
      })),
    forAccount: (account) => ({
      postDigest: async (args) => (await call({ kind: 'postDigest', account, args })) as DigestOutcome,
      simulateRules: async (args) => (await call({ kind: 'simulateRules', account, args })) as WhopResult<Replay>,
    }),
    stop: async () => {
      stopping = true;
      const thread = running;
      if (!thread) return;
      await thread.ready.catch(() => undefined);
      thread.worker.postMessage({ type: 'stop' } satisfies JobsThreadCall);
      await thread.stopped;
      await thread.worker.terminate();
    },
  };
}
