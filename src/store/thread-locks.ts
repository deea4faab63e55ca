import type { MessagePort } from 'node:worker_threads';
import type { Locks, Store } from './types';

type LockName = 'locks' | 'messageLocks';
type Asked = { op: 'acquire'; id: number; lock: LockName; key: string } | { op: 'release'; id: number };

/** The two kinds of lock a store holds: one per ad, one per message. */
export type StoreLocks = Pick<Store, LockName>;

/**
 * Lends this thread's store locks to another thread over `port`. SQLite's locks live in the process's memory, so the
 * jobs thread takes them here, where the clicks take theirs. A thread that goes away gives back all it held or waited for.
 */
export function lendLocks(port: MessagePort, store: StoreLocks): void {
  const held = new Map<number, () => void>();
  let closed = false;
  port.on('message', (asked: Asked) => {
    if (asked.op === 'release') {
      held.get(asked.id)?.();
      held.delete(asked.id);
      return;
    }
    void store[asked.lock].run(
      asked.key,
      () =>
        new Promise<void>((release) => {
          if (closed) return release();
          held.set(asked.id, release);
          port.postMessage({ id: asked.id });
        }),
    );
  });
  port.on('close', () => {
    closed = true;
    for (const release of held.values()) release();
    held.clear();
  });
}

/** The locks another thread lends over `port` (lendLocks), taken and given back one message each. */
export function borrowLocks(port: MessagePort): StoreLocks {
  let next = 0;
  const granted = new Map<number, () => void>();
  port.on('message', ({ id }: { id: number }) => {
    granted.get(id)?.();
    granted.delete(id);
  });
  const borrowed = (lock: LockName): Locks => {
    const running = new Set<Promise<unknown>>();
    return {
      run: (key, task) => {
        const id = ++next;
        const taken = new Promise<void>((resolve) => {
          granted.set(id, resolve);
          port.postMessage({ op: 'acquire', id, lock, key } satisfies Asked);
        });
        const result = taken.then(task).finally(() => port.postMessage({ op: 'release', id } satisfies Asked));
        const settled = result.catch(() => undefined);
        running.add(settled);
        void settled.then(() => running.delete(settled));
        return result;
      },
      idle: async () => {
        while (running.size > 0) await Promise.all(running);
      },
    };
  };
  return { locks: borrowed('locks'), messageLocks: borrowed('messageLocks') };
}
