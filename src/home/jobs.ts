import type { AlertSettings, DigestSettings } from '../config';
import { digestHealthKey } from '../digest/scheduled';
import type { Logger } from '../logger';
import type { AlertStore, RunLog } from '../store/types';

/** A digest's job key: the same as its health record's, so both follow the entry, not its place in ads-bot.yml. */
export const digestJobKey = (digest: Pick<DigestSettings, 'channel' | 'schedule' | 'window'>): string => digestHealthKey(digest);

export const alertJobKey = (alert: Pick<AlertSettings, 'channel' | 'schedule'>): string => `alerts:${alert.channel}:${alert.schedule}`;

export interface RunDeps {
  runs: RunLog;
  health: Pick<AlertStore, 'health'>;
  now: () => Date;
  log: Logger;
}

/**
 * Runs a scheduled job and keeps how it went for App Home. A run that Whop stopped does not throw (the channel is
 * told instead): its health record, under `healthKey`, says so. A thrown error is kept in words and thrown on, for
 * the scheduler to log as before. A run that answers a string (a scheduled digest: the ts it posted) keeps it as the
 * run's message, for links to the latest digest.
 */
export async function recordedRun(deps: RunDeps, job: string, healthKey: string, run: () => Promise<unknown>): Promise<void> {
  const startedAt = deps.now();
  const keep = (outcome: 'ok' | 'whop_failed' | 'failed', detail: string | null, messageTs: string | null = null) =>
    deps.runs
      .record({ job, startedAt, finishedAt: deps.now(), outcome, detail, messageTs })
      .catch((err: unknown) => deps.log.warn({ err, job }, 'could not record the run for App Home'));
  let messageTs: string | null = null;
  try {
    const answer = await run();
    messageTs = typeof answer === 'string' ? answer : null;
  } catch (err) {
    await keep('failed', (err as Error).message);
    throw err;
  }
  const health = await deps.health.health(healthKey);
  await (health.failures > 0 ? keep('whop_failed', `${health.failures} in a row`) : keep('ok', null, messageTs));
}
