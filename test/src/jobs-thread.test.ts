import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { alertJobKey, recordLostRun } from '../../src/home/jobs';
import { type JobsThread, jobsThread } from '../../src/jobs/thread';
import { KeyedLock } from '../../src/keyed-lock';
import { createLogger } from '../../src/logger';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { sharedClock } from '../../src/shared-clock';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { HARNESS_NOW } from '../e2e/harness';

let thread: JobsThread | undefined;
afterEach(async () => {
  await thread?.stop();
  thread = undefined;
});

/** A jobs thread for a bot whose state file is `dbPath`, and the lines it logs through the bot's logger. */
function threadFor(dbPath: string) {
  const env = { SLACK_BOT_TOKEN: 'xoxb-jobs-thread-test', SLACK_SIGNING_SECRET: 'jobs-thread-secret', WHOP_API_KEY: 'whop-jobs-thread-key', ADS_BOT_DB: dbPath };
  const config = loadConfig(env, () => 'timezone: America/New_York\n');
  const lines: string[] = [];
  const log = createLogger('info', new Writable({ write: (chunk, _enc, done) => done(void lines.push(String(chunk))) }));
  const spec = {
    config,
    whop: { keys: [['default', 'whop-jobs-thread-key']] as Array<[string, string]>, baseURL: 'http://127.0.0.1:9' },
    home: { teamId: 'T0TEST', enterpriseId: null },
    workspaceUrl: null,
    clock: sharedClock(HARNESS_NOW).buffer,
  };
  return { thread: jobsThread(spec, { log, store: { locks: new KeyedLock(), messageLocks: new KeyedLock() } }), lines };
}

describe('the jobs thread', () => {
  it('that cannot open the state file fails the fire with the reason, and the next fire tries again', async () => {
    // Its directory would have to be made inside a plain file.
    const file = join(mkdtempSync(join(tmpdir(), 'ads-bot-jobs-')), 'a-file');
    writeFileSync(file, '');
    const made = threadFor(join(file, 'state.sqlite'));
    thread = made.thread;
    await expect(thread.run('prune', null)).rejects.toThrow(/the scheduled jobs could not start: (ENOTDIR|EEXIST)/);
    await expect(thread.run('prune', null)).rejects.toThrow(/could not start/);
  });

  it('a fire it could not finish is kept for App Home as failed, with the reason, by the bot', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ads-bot-jobs-')), 'a-file');
    writeFileSync(file, '');
    thread = threadFor(join(file, 'state.sqlite')).thread;
    const store = openSqliteStore(':memory:');
    const runs = store.forAccount(DEFAULT_ACCOUNT).runs;
    const job = alertJobKey({ channel: 'C0ALERTS', schedule: '0 * * * *' });
    const [fire] = thread.inThread([
      { name: 'prune', schedule: '0 * * * *', run: async () => {}, recordLost: recordLostRun({ runs, now: () => HARNESS_NOW, log: createLogger('silent') }, job) },
    ]);
    await expect(fire!.run(null)).rejects.toThrow(/could not start/);
    expect((await runs.last([job])).get(job)).toMatchObject({
      outcome: 'failed',
      detail: expect.stringMatching(/^the scheduled jobs could not start: (ENOTDIR|EEXIST)/),
      startedAt: HARNESS_NOW,
    });
    await store.close();
  });

  it('after stop, work is refused and no new thread is started that nothing would stop', async () => {
    const made = threadFor(join(mkdtempSync(join(tmpdir(), 'ads-bot-jobs-')), 'state.sqlite'));
    thread = made.thread;
    await thread.run('prune', null);
    const stopping = thread.stop();
    const during = expect(thread.run('prune', null)).rejects.toThrow('the bot is stopping');
    await stopping;
    await during;
    await expect(thread.run('prune', null)).rejects.toThrow('the bot is stopping');
    expect(made.lines.filter((line) => line.includes('old rows pruned'))).toHaveLength(1);
  });

  it('runs a job by its name, says which name it does not know, and logs through the bot', async () => {
    const made = threadFor(join(mkdtempSync(join(tmpdir(), 'ads-bot-jobs-')), 'state.sqlite'));
    thread = made.thread;
    await expect(thread.run('digest-9-C0NOWHERE', null)).rejects.toThrow('no scheduled job named digest-9-C0NOWHERE');
    await thread.run('prune', null);
    expect(made.lines.some((line) => line.includes('"app":"whop-ads-bot"') && line.includes('old rows pruned'))).toBe(true);
  });
});
