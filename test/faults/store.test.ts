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

/** The table of pending changes (Confirm, Undo, open forms) disappears under the running bot: keeping one throws. */
function losePendingChanges(h: Harness): void {
  const db = new Database(h.dbPath);
  db.exec('DROP TABLE pending_changes');
  db.close();
}

/** The audit rows on an item, read straight from the file: a store cannot be opened on it without that table. */
function auditRows(h: Harness, id: string) {
  const db = new Database(h.dbPath, { readonly: true });
  try {
    return db.prepare('SELECT action, outcome, reason, before, after, user_id, detail FROM audit WHERE entity_id = ? ORDER BY id').all(id) as Array<Record<string, string | null>>;
  } finally {
    db.close();
  }
}

const dailyGroup = (h: Harness) => h.sandbox.account.adGroups.find((g) => g.budget_amount !== null && g.budget_type === 'daily' && g.status === 'active')!;

describe('the state store failing around a budget change', () => {
  it('a budget Whop has changed but whose Undo cannot be kept is recorded once and answered without an Undo', async () => {
    harness = await Harness.start({ yaml: digestYaml('budget:\n  max_amount: 100000\n  confirm_change_pct: 50') });
    const h = harness;
    const group = dailyGroup(h);
    const from = group.budget_amount!;
    const to = Math.round(from * 1.1 * 100) / 100;
    losePendingChanges(h);

    const sent = await h.command('/adgroup', `budget ${group.id} ${to}`);
    const [answer] = await h.responsesTo(sent.responseUrl);
    expect(group.budget_amount).toBe(to);
    expect(JSON.stringify(answer)).toContain(':moneybag:');
    expect(JSON.stringify(answer)).not.toContain('ad_group.budget.undo');
    expect(auditRows(h, group.id).map((r) => [r.action, r.outcome, r.before, r.after, r.user_id])).toEqual([['ad_group.budget', 'done', String(from), String(to), 'U0MARIA']]);
  });

  it('a step that throws inside the pipeline still leaves one audit row, saying Whop may have applied it', async () => {
    harness = await Harness.start({ yaml: digestYaml('budget:\n  max_amount: 100000\n  confirm_change_pct: 50') });
    const h = harness;
    const group = dailyGroup(h);
    losePendingChanges(h);

    // Twice the budget needs a confirmation, which cannot be kept: the step throws.
    const sent = await h.command('/adgroup', `budget ${group.id} ${group.budget_amount! * 2}`);
    const [answer] = await h.responsesTo(sent.responseUrl);
    expect(answer!.text).toContain('Something went wrong inside the bot');
    const rows = auditRows(h, group.id);
    expect(rows).toMatchObject([{ action: 'ad_group.budget', outcome: 'failed', reason: 'whop_unsure', user_id: 'U0MARIA' }]);
    expect(rows[0]!.detail).toContain('no such table: pending_changes');
  });
});

describe('the store failing as a scheduled digest posts', () => {
  it('the digest still posts, and the run it cannot keep (the summary links it) is one warning, not a failure', async () => {
    harness = await Harness.start({ yaml: 'timezone: America/New_York\ndigests:\n  - { channel: C0DIGEST, schedule: "* * * * * *", chart: "off" }' });
    const h = harness;
    // Once the jobs thread runs (its store opened at its first fire), where each run keeps the digest it posted
    // disappears under the running bot: keeping the next one throws.
    await h.logged((line) => line.includes('"msg":"digest posted"'));
    const db = new Database(h.dbPath);
    db.exec('DROP TABLE job_runs');
    db.close();
    const from = h.logs.length;
    await h.logged((line) => line.includes('could not record the run for App Home'), from);
    const lines = logLines(h);
    const at = lines.findIndex((line, i) => i >= from && line.msg === 'could not record the run for App Home');
    expect(lines[at]).toMatchObject({ level: 40, err: { message: expect.stringContaining('no such table: job_runs') } });
    // The fire that lost its record had posted its digest; it did not fail.
    expect(lines.slice(0, at).some((line) => line.msg === 'digest posted')).toBe(true);
    expect(lines.slice(from, at + 1).filter((line) => line.level >= 50)).toEqual([]);
    expect(h.slack.messages('C0DIGEST').filter((m) => !m.thread_ts).length).toBeGreaterThan(0);
  });
});
