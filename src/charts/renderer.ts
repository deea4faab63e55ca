import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CHART_FONT } from '../../blocks/chart';

/** Turns a chart's SVG into PNG bytes. */
export interface ChartRenderer {
  render(svg: string): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** A TrueType file shipped by an npm package: the bot draws the same text on a machine without system fonts. */
export const CHART_FONT_FILE = createRequire(import.meta.url).resolve('@expo-google-fonts/inter/400Regular/Inter_400Regular.ttf');

type Reply = { id: number; png: Uint8Array; error?: undefined } | { id: number; error: string };

/**
 * One worker thread, started on the first chart and kept: a chart is tens of milliseconds of CPU, which must not
 * hold the event loop that acks clicks. Charts queue in the worker in order; unref'd so it never keeps the process up.
 */
export function createChartRenderer(): ChartRenderer {
  let worker: Worker | null = null;
  let next = 0;
  const waiting = new Map<number, { resolve: (png: Uint8Array) => void; reject: (err: Error) => void }>();
  const failAll = (err: Error) => {
    for (const { reject } of waiting.values()) reject(err);
    waiting.clear();
    worker = null;
  };
  const start = (): Worker => {
    const started = new Worker(new URL('./render-worker.mjs', import.meta.url), {
      workerData: { fontFile: CHART_FONT_FILE, fontFamily: CHART_FONT },
      execArgv: [],
    });
    started.unref();
    started.on('message', (reply: Reply) => {
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if (reply.error === undefined) pending?.resolve(reply.png);
      else pending?.reject(new Error(`chart not drawn: ${reply.error}`));
      if (waiting.size === 0) started.unref();
    });
    started.on('error', failAll);
    started.on('exit', () => failAll(new Error('the chart worker stopped')));
    return started;
  };
  return {
    render: (svg) =>
      new Promise((resolve, reject) => {
        worker ??= start();
        // Held up only while a chart is in flight: a pending chart keeps the process alive until it is drawn.
        worker.ref();
        const id = ++next;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, svg });
      }),
    close: async () => {
      const running = worker;
      worker = null;
      if (running) await running.terminate();
    },
  };
}
