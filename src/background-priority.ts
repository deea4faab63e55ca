import { readdirSync, readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** Nice 10 of 19: below the thread that acks Slack, still ahead of anything idle. */
const BACKGROUND_PRIORITY = 10;

/** On Linux a thread's priority is its own (set by its id); elsewhere, or where the system refuses, nothing changes. */
function lower(threadId: number): void {
  try {
    setPriority(threadId, BACKGROUND_PRIORITY);
  } catch {}
}

/** For a worker thread's heavy work: this thread (its id from /proc/thread-self) yields the CPU to the event loop that acks; threads it starts inherit that. */
export function runInBackground(): void {
  try {
    lower(Number(readlinkSync('/proc/thread-self').split('/').pop()));
  } catch {}
}

/**
 * Every thread of the process but the main one (whose id is the process's): V8's helpers, which collect and compile
 * for the jobs thread's big heap too (seconds of CPU while a big digest is built, measured), and libuv's pool. The
 * main thread, which acks, then never waits behind them for a core; its own collections, which those helpers share,
 * are small. Threads started later by the main thread run at its priority until this is called again.
 */
export function lowerHelperThreads(): void {
  let threads: string[];
  try {
    threads = readdirSync('/proc/self/task');
  } catch {
    return;
  }
  for (const thread of threads) if (Number(thread) !== process.pid) lower(Number(thread));
}
