import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { pruneJob } from '../../src/store/prune-job';
import { openSqliteStore } from '../../src/store/sqlite-store';
import { Harness } from '../e2e/harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

describe('the prune job', () => {
  it('prunes at the app’s now and logs what it removed', async () => {
    const store = openSqliteStore(join(mkdtempSync(join(tmpdir(), 'prune-')), 'state.sqlite'));
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk, _enc, done) => {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger('info', sink);
    const now = new Date('2026-12-10T12:00:00Z');
    try {
      await store.clicks.claim('old', new Date('2026-12-09T11:00:00Z'));
      await store.clicks.claim('recent', new Date('2026-12-09T13:00:00Z'));
      await pruneJob(store, () => now, log).run(null);
      expect(await store.clicks.claim('old', now)).toBe(true);
      expect(await store.clicks.claim('recent', now)).toBe(false);
      expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ msg: 'old rows pruned', pruned: { clicks: 1, alerts: 0, messages: 0 } }]);
    } finally {
      await store.close();
    }
  });

  it('is scheduled by the running bot once an hour, beside the digests', async () => {
    harness = await Harness.start({ yaml: 'timezone: UTC\ndigests:\n  - channel: C0DIGEST\n    schedule: "0 9 * * *"\n    window: yesterday\n' });
    const started = harness.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'schedules started');
    expect(started.jobs).toEqual(['digest-1-C0DIGEST (0 9 * * *)', 'prune (17 * * * *)']);
  });
});
