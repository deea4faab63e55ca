/**
 * A clock the bot's threads read together: its event loop that acks and its jobs thread. A test sets it to let time
 * pass (an expiry, a reminder) for both at once; a bot given none runs on the real time.
 */
export interface SharedClock {
  /** Hand this to another thread and read it there with `sharedClock(buffer)`. */
  readonly buffer: SharedArrayBuffer;
  now(): Date;
  set(at: Date): void;
}

/** A new clock set to `at`, or the one another thread shares through `buffer`. */
export function sharedClock(at: Date | SharedArrayBuffer): SharedClock {
  const buffer = at instanceof SharedArrayBuffer ? at : new SharedArrayBuffer(8);
  const ms = new BigInt64Array(buffer);
  const clock: SharedClock = {
    buffer,
    now: () => new Date(Number(Atomics.load(ms, 0))),
    set: (next) => void Atomics.store(ms, 0, BigInt(next.getTime())),
  };
  if (at instanceof Date) clock.set(at);
  return clock;
}

/** The bot's `now`: the set clock's when it has one, else the real time. */
export const nowOf = (clock: SharedClock | undefined): (() => Date) => (clock ? clock.now : () => new Date());
