import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { scheduleJobs } from '../../src/schedule';

const silent = createLogger('silent');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduler', () => {
  it('keeps running after a failed run, and stop waits for a run under way', async () => {
    let runs = 0;
    let finished = 0;
    const scheduler = scheduleJobs(
      [
        {
          name: 'flaky',
          schedule: '* * * * * *',
          run: async () => {
            runs += 1;
            if (runs === 1) throw new Error('Whop down');
            await sleep(300);
            finished += 1;
          },
        },
      ],
      'UTC',
      silent,
    );
    const deadline = Date.now() + 4_000;
    while (runs < 2 && Date.now() < deadline) await sleep(20);
    expect(runs).toBe(2);
    await scheduler.stop();
    expect(finished).toBe(1);
    await sleep(1_100);
    expect(runs).toBe(2);
  });

  it('tells each run when its job fires next', async () => {
    const told: Array<Date | null> = [];
    const scheduler = scheduleJobs([{ name: 'every-second', schedule: '* * * * * *', run: async (next) => void told.push(next) }], 'UTC', silent);
    const deadline = Date.now() + 3_000;
    while (told.length < 1 && Date.now() < deadline) await sleep(20);
    await scheduler.stop();
    const next = told[0]!;
    expect(next).toBeInstanceOf(Date);
    expect(next.getUTCMilliseconds()).toBe(0);
    expect(next.getTime() - Date.now()).toBeGreaterThan(-1_000);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(1_000);
  });
});
