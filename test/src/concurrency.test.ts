import { describe, expect, it } from 'vitest';
import { sharedWhileRunning, turnEvery } from '../../src/concurrency';

describe('sharedWhileRunning', () => {
  it('runs once for callers asking at once with the same key, apart for another key, and afresh once done', async () => {
    const runs: number[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const replay = sharedWhileRunning(async (days: number) => {
      runs.push(days);
      await gate;
      return `replay of ${days} days #${runs.length}`;
    });
    const together = Promise.all([replay(7), replay(7), replay(7), replay(14)]);
    release();
    expect(await together).toEqual(['replay of 7 days #2', 'replay of 7 days #2', 'replay of 7 days #2', 'replay of 14 days #2']);
    expect(runs).toEqual([7, 14]);
    expect(await replay(7)).toBe('replay of 7 days #3');
  });

  it('a failure is shared too, and the next call tries again', async () => {
    let calls = 0;
    const flaky = sharedWhileRunning(async () => {
      calls++;
      if (calls === 1) throw new Error('Whop down');
      return 'ok';
    });
    await expect(Promise.all([flaky(1), flaky(1)])).rejects.toThrow('Whop down');
    expect(await flaky(1)).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('turnEvery', () => {
  it('lets a request waiting on the event loop in during a long loop of awaits that resolve at once, every n items', async () => {
    const turn = turnEvery(10);
    let answeredAt: number | null = null;
    setImmediate(() => {
      answeredAt = done;
    });
    let done = 0;
    for (; done < 100; done++) await turn();
    expect(answeredAt).toBe(9);
  });
});
