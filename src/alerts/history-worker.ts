import type { WhopClientOptions } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import { workerCalls } from '../worker-calls';
import type { LocalDate } from '../zoned-time';
import type { HistoryReader, HistoryRequest } from './history-reader';
import { type PackedDays, unpackDays } from './packed-days';

/** What the worker needs to reach Whop as the bot's own gateway does. */
export interface HistoryWorkerOptions {
  whop: WhopClientOptions;
  accountId?: string;
}

/** The history as the worker answers it: each week packed (packed-days.ts). */
export type HistoryAnswer = WhopResult<{ days: LocalDate[]; daysBefore: number; spans: PackedDays[]; dayOnly: PackedDays[] }>;

export interface HistoryWorker extends HistoryReader {
  close(): Promise<void>;
}

/**
 * The alert checks' hourly history read in a worker thread (history-serve.ts), with a Whop client and a cache of
 * past days of its own: the same requests the bot's gateway would make, none of their parsing on the event loop.
 */
export function createHistoryWorker(options: HistoryWorkerOptions): HistoryWorker {
  const worker = workerCalls<HistoryRequest, HistoryAnswer>(new URL('./history-thread.mjs', import.meta.url), options, 'hourly history not read');
  return {
    read: async (request) => {
      const answer = await worker.call(request);
      if (!answer.ok) return answer;
      const { spans, dayOnly, ...rest } = answer.value;
      return { ok: true, value: { ...rest, spans: spans.map(unpackDays), dayOnly: dayOnly.map(unpackDays) } };
    },
    close: () => worker.close(),
  };
}
