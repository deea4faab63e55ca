import { describe, expect, it } from 'vitest';
import { alertJobKey, recordedRun } from '../../src/home/jobs';
import { createLogger } from '../../src/logger';
import { DEFAULT_ACCOUNT } from '../../src/model';
import { openSqliteStore } from '../../src/store/sqlite-store';

const alert = { channel: 'C0ALERTS', schedule: '*/15 * * * *' };

describe('each scheduled run is kept for App Home', () => {
  it('as fine, as stopped by Whop (its health says so), or as failed with the error, which is thrown on', async () => {
    const store = openSqliteStore(':memory:');
    let at = new Date('2026-11-24T15:45:00Z');
    const deps = { runs: store.forAccount(DEFAULT_ACCOUNT).runs, health: store.forAccount(DEFAULT_ACCOUNT).alerts, now: () => at, log: createLogger('silent') };
    const job = alertJobKey(alert);
    const last = async () => (await store.forAccount(DEFAULT_ACCOUNT).runs.last([job])).get(job);

    await recordedRun(deps, job, alert.channel, async () => {
      at = new Date('2026-11-24T15:45:02Z');
    });
    expect(await last()).toEqual({ job, startedAt: new Date('2026-11-24T15:45:00Z'), finishedAt: new Date('2026-11-24T15:45:02Z'), outcome: 'ok', detail: null, messageTs: null });

    await recordedRun(deps, job, alert.channel, () => store.forAccount(DEFAULT_ACCOUNT).alerts.saveHealth(alert.channel, { failures: 2, failingSince: at, noticeTs: null }));
    expect(await last()).toMatchObject({ outcome: 'whop_failed', detail: '2 in a row' });

    await expect(
      recordedRun(deps, job, alert.channel, async () => {
        throw new Error('An API error occurred: not_in_channel');
      }),
    ).rejects.toThrow('not_in_channel');
    expect(await last()).toMatchObject({ outcome: 'failed', detail: 'An API error occurred: not_in_channel' });
    await store.close();
  });
});
