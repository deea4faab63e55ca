import type { WhopClientOptions } from '../whop/gateway';
import type { WhopResult } from '../whop/result';
import { workerCalls } from '../worker-calls';
import type { LocalDate } from '../zoned-time';
import type { HistoryReader, HistoryRequest } from './history-reader';
import { type PackedDays, unpackDays } from './packed-days';

/** What the worker needs to reach one account's Whop as the bot's own gateway for it does. */
export interface HistoryAccount {
  /** The account's name in ads-bot.yml: the worker keeps one gateway (and cache of past days) per name. */
  name: string;
  whop: WhopClientOptions;
  accountId?: string;
}

/** One call into the worker: whose history, and which. */
export interface HistoryCall {
  account: HistoryAccount;
  request: HistoryRequest;
}

/** The history as the worker answers it: each week packed (packed-days.ts). */
export type HistoryAnswer = WhopResult<{ days: LocalDate[]; daysBefore: number; spans: PackedDays[]; dayOnly: PackedDays[] }>;

export interface HistoryWorker {
  /** The reader of one account's history; every account shares the one thread. */
  forAccount(account: HistoryAccount): HistoryReader;
  close(): Promise<void>;
}

/**
 * The alert checks' hourly history read in one worker thread (history-serve.ts), with a Whop client and a cache of
 * past days per account of its own: the same requests the bot's gateways would make, none of their parsing on the
 * event loop. One thread for every account: each is an isolate of its own, tens of megabytes.
 */
export function createHistoryWorker(): HistoryWorker {
  const worker = workerCalls<HistoryCall, HistoryAnswer>(new URL('./history-thread.mjs', import.meta.url), null, 'hourly history not read');
  return {
    forAccount: (account) => ({
      read: async (request) => {
        const answer = await worker.call({ account, request });
        if (!answer.ok) return answer;
        const { spans, dayOnly, ...rest } = answer.value;
        return { ok: true, value: { ...rest, spans: spans.map(unpackDays), dayOnly: dayOnly.map(unpackDays) } };
      },
    }),
    close: () => worker.close(),
  };
}
