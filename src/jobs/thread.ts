import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { WebClientOptions } from '@slack/web-api';
import { lowerHelperThreads } from '../background-priority';
import type { Config } from '../config';
import { type Logger, writeFinishedLine } from '../logger';
import type { Job } from '../schedule';
import type { SlackHome } from '../slack/authz';
import { lendLocks, type StoreLocks } from '../store/thread-locks';
import type { WhopClientOptions } from '../whop/gateway';

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

/** Asked of the thread: run one job (by its name in scheduledJobs), or finish and close. */
export type JobsThreadCall = { type: 'run'; id: number; name: string; next: string | null } | { type: 'stop' };

/** What the thread tells the bot: each log line it wrote, that it is ready or could not start, a run's end, that it stopped. */
export type JobsThreadMessage =
  | { type: 'log'; line: string }
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'ran'; id: number; error?: string }
  | { type: 'stopped' };

export interface JobsThread {
  /** Runs one of scheduledJobs, by its name, in the thread. */
  run(name: string, next: Date | null): Promise<void>;
  /** The jobs as scheduleJobs takes them, each run in the thread. */
  jobs(jobs: readonly Job[]): Job[];
  /** Waits for runs under way, then ends the thread. */
  stop(): Promise<void>;
}

interface Running {
  worker: Worker;
  ready: Promise<void>;
  runs: Map<number, { resolve: () => void; reject: (err: Error) => void }>;
  stopped: Promise<void>;
}

/**
 * The scheduled digests, alert checks, summaries and housekeeping run in a worker thread of their own, at a lower
 * priority: a big account's digest and the judging of its hourly history take seconds of CPU and hundreds of megabytes
 * of allocation, and the event loop that acks Slack's requests must never wait behind them or their collection. The
 * schedules and their leases stay here; each fire runs in the thread, started on the first and kept. The thread has
 * its own Whop and Slack clients and store connection, borrows this thread's store locks (so a click and a rule's
 * action never hold one ad at once), and writes its log lines through the bot's logger. A thread that dies fails the
 * runs under way (logged as failed runs) and the next fire starts a new one.
 */
export function jobsThread(spec: JobsSpec, deps: { log: Logger; store: StoreLocks }): JobsThread {
  let running: Running | null = null;
  let next = 0;

  const start = (): Running => {
    const { port1, port2 } = new MessageChannel();
    lendLocks(port1, deps.store);
    const workerData: JobsThreadData = { ...spec, logLevel: deps.log.level, locks: port2 };
    // No execArgv of ours (a CPU profile, a loader): the thread loads only what its file imports.
    const worker = new Worker(new URL('./jobs-thread.mjs', import.meta.url), { workerData, transferList: [port2], execArgv: [] });
    worker.unref();
    const runs: Running['runs'] = new Map();
    let ready!: { resolve: () => void; reject: (err: Error) => void };
    let stopped!: () => void;
    const thread: Running = {
      worker,
      runs,
      ready: new Promise((resolve, reject) => {
        ready = { resolve, reject };
      }),
      stopped: new Promise((resolve) => {
        stopped = resolve;
      }),
    };
    // A run awaiting the start sees its failure; nobody else must be told of it twice.
    thread.ready.catch(() => undefined);
    const end = (err: Error) => {
      ready.reject(err);
      for (const run of runs.values()) run.reject(err);
      runs.clear();
      if (running === thread) running = null;
      stopped();
    };
    worker.on('message', (message: JobsThreadMessage) => {
      if (message.type === 'log') writeFinishedLine(deps.log, message.line);
      else if (message.type === 'ready') {
        lowerHelperThreads();
        ready.resolve();
      } else if (message.type === 'failed') {
        end(new Error(`the scheduled jobs could not start: ${message.message}`));
        void worker.terminate();
      } else if (message.type === 'ran') {
        const run = runs.get(message.id);
        runs.delete(message.id);
        // Threads the main thread started since (libuv's pool on its first use, say) are lowered too.
        lowerHelperThreads();
        if (message.error === undefined) run?.resolve();
        else run?.reject(new Error(message.error));
        if (runs.size === 0) worker.unref();
      } else stopped();
    });
    worker.on('error', (err) => deps.log.error({ err }, 'the jobs thread failed'));
    worker.on('exit', (code) => {
      port1.close();
      end(new Error(`the jobs thread stopped (code ${code})`));
    });
    return thread;
  };

  const run = async (name: string, at: Date | null): Promise<void> => {
    running ??= start();
    const thread = running;
    // Held up only while a run is under way: an idle thread never keeps the process alive.
    thread.worker.ref();
    await thread.ready;
    await new Promise<void>((resolve, reject) => {
      const id = ++next;
      thread.runs.set(id, { resolve, reject });
      thread.worker.postMessage({ type: 'run', id, name, next: at?.toISOString() ?? null } satisfies JobsThreadCall);
    });
  };

  return {
    run,
    jobs: (jobs) => jobs.map((job) => ({ ...job, run: (at) => run(job.name, at) })),
    stop: async () => {
      const thread = running;
      running = null;
      if (!thread) return;
      await thread.ready.catch(() => undefined);
      thread.worker.postMessage({ type: 'stop' } satisfies JobsThreadCall);
      await thread.stopped;
      await thread.worker.terminate();
    },
  };
}
