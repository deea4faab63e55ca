import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from './harness';

const CHANNEL = 'C0DIGEST';
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('Socket Mode', () => {
  it('the same pause button works over a Socket Mode connection: acked, paused, message updated', async () => {
    harness = await Harness.start({ socketMode: true });
    const h = harness;
    await h.slack.socketMode!.connected();
    const ts = await h.postDigestNow(CHANNEL);
    const group = h.sandbox.account.adGroups.find((g) => g.status === 'active' && JSON.stringify(h.slack.messages(CHANNEL)[0]!.blocks).includes(`"${g.id}"`))!;
    const { payload } = h.clickBody({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    const { ack, ms } = await h.slack.socketMode!.deliver('interactive', payload);
    expect(ack).toMatchObject({ envelope_id: expect.any(String) });
    expect(ms).toBeLessThan(2_000);
    await h.slack.waitFor((c) => c.method === 'chat.update' && c.ok);
    expect(h.sandbox.account.adGroups.find((g) => g.id === group.id)!.status).toBe('paused');
    expect(JSON.stringify(h.slack.messages(CHANNEL).find((m) => m.ts === ts)!.blocks)).toMatch(/Paused by <@U0MARIA>/);
  });
});
