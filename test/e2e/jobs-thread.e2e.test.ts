// `/ads digest` is built in the jobs thread: what the person hears and what a stop does must be as if it were not.
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../security/support';
import { Harness } from './harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('/ads digest, built in the jobs thread, end to end', () => {
  it("in a channel the bot is not in, the person is told to invite it: Slack's answer crosses the thread", async () => {
    harness = await Harness.start({ channels: { notMemberOf: ['C0OUTSIDE'] } });
    const sent = await harness.command('/ads', 'digest', 'U0MARIA', 'C0OUTSIDE');
    expect(sent.status).toBe(200);
    const [answer] = await harness.responsesTo(sent.responseUrl);
    expect(answer!.text).toContain('I am not in this channel: invite me');
  });

  it('a stop while the digest is being built lets it post, once, and tells the person nothing alarming', async () => {
    harness = await Harness.start();
    const h = harness;
    h.sandbox.faults.latencyMs = 400;
    const sent = await h.command('/ads', 'digest last_7d', 'U0MARIA', 'C0TEAM');
    expect(sent.status).toBe(200);
    // Under way in the thread: Whop, answering slowly, has been asked.
    await waitFor(() => h.sandbox.requests.length > 0, 10_000, 'a Whop request of the digest');
    await h.bot.stop();
    const posted = h.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.ok && c.args.channel === 'C0TEAM' && !c.args.thread_ts);
    expect(posted).toHaveLength(1);
    expect(h.slack.responses.filter((r) => r.url === sent.responseUrl)).toEqual([]);
    expect(h.logs.filter((line) => line.includes('/ads digest could not post'))).toEqual([]);
    // afterEach stops it again, as a restarted bot.
    await h.startBot();
  });
});
