import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyedLock } from '../../src/keyed-lock';
import { borrowLocks, lendLocks, type StoreLocks } from '../../src/store/thread-locks';

/** A lender's in-process locks and a borrower over a channel, as the bot and its jobs thread hold them. */
function lentPair() {
  const { port1, port2 } = new MessageChannel();
  const lender: StoreLocks = { locks: new KeyedLock(), messageLocks: new KeyedLock() };
  lendLocks(port1, lender);
  const borrower = borrowLocks(port2);
  return { lender, borrower, close: () => port2.close(), ports: [port1, port2] };
}

/** A task that runs until `release` is called, with a record of when it started. */
function held(order: string[], name: string) {
  let release: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    release = resolve;
  });
  const task = async () => {
    order.push(`${name} start`);
    await done;
    order.push(`${name} end`);
  };
  return { task, release: () => release() };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

let pairs: ReturnType<typeof lentPair>[] = [];
afterEach(() => {
  for (const pair of pairs) for (const port of pair.ports) port.close();
  pairs = [];
});
const pair = () => {
  const made = lentPair();
  pairs.push(made);
  return made;
};

describe('store locks lent to another thread', () => {
  it('an ad the jobs thread holds waits a click on the same ad, not one on another ad', async () => {
    const { lender, borrower } = pair();
    const order: string[] = [];
    const rule = held(order, 'rule');
    const ruleRun = borrower.locks.run('ad:1', rule.task);
    await settle();
    const sameAd = lender.locks.run('ad:1', async () => void order.push('click on ad:1'));
    const otherAd = lender.locks.run('ad:2', async () => void order.push('click on ad:2'));
    await otherAd;
    await settle();
    expect(order).toEqual(['rule start', 'click on ad:2']);
    rule.release();
    await Promise.all([ruleRun, sameAd]);
    expect(order).toEqual(['rule start', 'click on ad:2', 'rule end', 'click on ad:1']);
  });

  it('a lock the main thread holds waits the jobs thread, and message locks are apart from ad locks', async () => {
    const { lender, borrower } = pair();
    const order: string[] = [];
    const click = held(order, 'click');
    const clickRun = lender.locks.run('ad:1', click.task);
    const ruleRun = borrower.locks.run('ad:1', async () => void order.push('rule on ad:1'));
    const update = borrower.messageLocks.run('ad:1', async () => void order.push('message update'));
    await update;
    await settle();
    expect(order).toEqual(['click start', 'message update']);
    click.release();
    await Promise.all([clickRun, ruleRun]);
    expect(order).toEqual(['click start', 'message update', 'click end', 'rule on ad:1']);
  });

  it('a task that throws gives its lock back, and the error reaches its caller', async () => {
    const { lender, borrower } = pair();
    await expect(borrower.locks.run('ad:1', async () => Promise.reject(new Error('Whop said no')))).rejects.toThrow('Whop said no');
    await expect(lender.locks.run('ad:1', async () => 'next')).resolves.toBe('next');
  });

  it('a thread that goes away gives back what it held, so the next click on that ad runs', async () => {
    const { lender, borrower, close } = pair();
    const order: string[] = [];
    const stuck = held(order, 'rule');
    void borrower.locks.run('ad:1', stuck.task);
    await settle();
    const click = lender.locks.run('ad:1', async () => void order.push('click'));
    close();
    await click;
    expect(order).toEqual(['rule start', 'click']);
  });

  it('idle waits for the tasks the borrower started', async () => {
    const { borrower } = pair();
    const order: string[] = [];
    const rule = held(order, 'rule');
    void borrower.locks.run('ad:1', rule.task);
    await settle();
    let idle = false;
    const waiting = borrower.locks.idle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false);
    rule.release();
    await waiting;
    expect(order).toEqual(['rule start', 'rule end']);
  });
});
