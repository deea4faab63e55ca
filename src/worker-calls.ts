import { Worker } from 'node:worker_threads';

/** A worker's answer to the call with the same id: a value, or what it threw, in words. */
export type WorkerReply<T> = { id: number; value: T; error?: undefined } | { id: number; error: string };

export interface WorkerCalls<Request, Answer> {
  call(request: Request, transfer?: ArrayBuffer[]): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * Calls into one worker thread, started on the first call and kept, for work that must not hold the event loop that
 * acks Slack's requests. The worker gets `{ id, request }` and answers a WorkerReply; calls queue in it in order.
 * Unref'd while nothing is pending, so it never keeps the process up; a worker that fails fails its pending calls,
 * and the next call starts a new one.
 */
export function workerCalls<Request, Answer>(file: URL, workerData: unknown, what: string): WorkerCalls<Request, Answer> {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (answer: Answer) => void; reject: (err: Error) => void }>();
  const failAll = (err: Error) => {
    for (const { reject } of waiting.values()) reject(err);
    waiting.clear();
    worker = null;
  };
  const start = (): Worker => {
    // No execArgv of ours (a CPU profile, a loader): the worker loads only what its file imports.
    const started = new Worker(file, { workerData, execArgv: [] });
    started.unref();
    started.on('message', (reply: WorkerReply<Answer>) => {
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error === undefined) pending?.resolve(reply.value);
      else pending?.reject(new Error(`${what}: ${reply.error}`));
      if (waiting.size === 0) started.unref();
    });
    started.on('error', failAll);
    started.on('exit', () => failAll(new Error(`${what}: the worker stopped`)));
    return started;
  };
  return {
    call: (request, transfer = []) =>
      new Promise((resolve, reject) => {
        worker ??= start();
        // Held up only while a call is in flight: a pending call keeps the process alive until it is answered.
        worker.ref();
        const id = ++next;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, request }, transfer);
      }),
    close: async () => {
      const running = worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}
