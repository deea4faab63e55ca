import { describe, expect, it } from 'vitest';
import { PostAckSlots } from '../../src/slack/post-ack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('work after the ack', () => {
  it('every ack goes out at once; the work after it runs at most N at a time, and all of it finishes', async () => {
    const slots = new PostAckSlots(2);
    const acked: number[] = [];
    let working = 0;
    let most = 0;
    let done = 0;
    const listener = slots.wrap(async ({ ack, id }: { ack: () => Promise<void>; id: number }) => {
      await ack();
      working += 1;
      most = Math.max(most, working);
      await sleep(20);
      working -= 1;
      done += 1;
      void id;
    });
    const runs = Array.from({ length: 6 }, (_, id) => listener({ id, ack: async () => void acked.push(id) }));
    await sleep(5);
    expect(acked).toEqual([0, 1, 2, 3, 4, 5]);
    expect(done).toBe(0);
    await slots.idle();
    await Promise.all(runs);
    expect(done).toBe(6);
    expect(most).toBe(2);
  });
});
