// The state store failing under a click: the listener throws something that is not a Whop error.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Harness } from '../e2e/harness';
import { activeGroupIn, answersTo, CHANNEL, digestYaml, waitFor, whopWrites } from '../security/support';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

/** Pino's JSON lines, parsed. */
const logLines = (h: Harness) => h.logs.map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string; stack?: string } });

describe('a listener that blows up', () => {
  it('leaves an error line with the message and stack, and the clicker is told in plain words without internals', async () => {
    harness = await Harness.start({ yaml: digestYaml() });
    const h = harness;
    const ts = await h.postDigestNow(CHANNEL);
    const group = activeGroupIn(h, ts);
    // The table of handled clicks disappears under the running bot: its next claim throws.
    const db = new Database(h.dbPath);
    db.exec('DROP TABLE clicks');
    db.close();

    await h.click({ user: 'U0MARIA', channel: CHANNEL, ts, value: group.id });
    await waitFor(() => h.slack.responses.length === 1, 5_000, 'an answer to the clicker');
    expect(answersTo(h)[0]).toContain('Something went wrong inside the bot and I could not finish that');
    expect(answersTo(h)[0]).not.toMatch(/clicks|sqlite|table/i);
    expect(h.slack.responses[0]!.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });

    const failure = logLines(h).find((line) => line.level === 50 && line.err?.message?.includes('no such table: clicks'));
    expect(failure).toMatchObject({ msg: 'a Slack listener failed', request: 'ad_group.pause', user: 'U0MARIA' });
    expect(failure!.err!.stack).toMatch(/\n\s+at /);
    expect(whopWrites(h)).toEqual([]);
    expect(group.status).toBe('active');
  });
});
