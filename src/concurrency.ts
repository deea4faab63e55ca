import { setImmediate } from 'node:timers/promises';

/** Maps over items with at most `limit` calls in flight, keeping the input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      // biome-ignore lint/style/noNonNullAssertion: index < items.length, checked by the loop
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * One call per key at a time: a caller asking while one runs shares its answer. For costly reads anyone may start
 * (a replay of the rules): ten clicks at once cost one replay, not ten.
 */
export function sharedWhileRunning<K, R>(fn: (key: K) => Promise<R>): (key: K) => Promise<R> {
  const running = new Map<K, Promise<R>>();
  return (key) => {
    const current = running.get(key);
    if (current) return current;
    const started = fn(key).finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}

/**
 * For a long loop on the event loop that acks: awaited once per item, it lets the loop turn (setImmediate) after
 * every `every` items. A loop whose awaits all resolve at once (the SQLite store answers synchronously) would
 * otherwise hold the event loop until it ends.
 */
export function turnEvery(every: number): () => Promise<void> {
  let count = 0;
  return () => (++count % every === 0 ? setImmediate() : Promise.resolve());
}
