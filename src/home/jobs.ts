import type { AlertSettings, DigestSettings } from '../config';
import { digestHealthKey } from '../digest/scheduled';
import type { Logger } from '../logger';
import type { AlertStore, JobRun, RunLog } from '../store/types';

/** A digest's job key: the same as its health record's, so both follow the entry, not its place in ads-bot.yml. */
export const digestJobKey = (digest: Pick<DigestSettings, 'channel' | 'schedule' | 'window'>): string => digestHealthKey(digest);

export const alertJobKey = (alert: Pick<AlertSettings, 'channel' | 'schedule'>): string => `alerts:${alert.channel}:${alert.schedule}`;

export interface RunDeps {
  runs: RunLog;
  health: Pick<AlertStore, 'health'>;
  now: () => Date;
  log: Logger;
}

/** Keeps a run as its job's last, finished now; a store that refuses is logged, never thrown: the run itself went as it went. */
function keepRun(deps: Omit<RunDeps, 'health'>, run: Omit<JobRun, 'finishedAt'>): Promise<void> {
  return deps.runs.record({ ...run, finishedAt: deps.now() }).catch((err: unknown) => deps.log.warn({ err, job: run.job }, 'could not record the run for App Home'));
}

/** A job's `recordLost`: the run kept as failed, with the reason it could not finish. */
export const recordLostRun =
  (deps: Omit<RunDeps, 'health'>, job: string) =>
  (startedAt: Date, reason: string): Promise<void> =>
    keepRun(deps, { job, startedAt, outcome: 'failed', detail: reason, messageTs: null });

/**
 * Runs a scheduled job and keeps how it went for App Home. A run that Whop stopped does not throw (the channel is
 * told instead): its health record, under `healthKey`, says so. A thrown error is kept in words and thrown on, for
 * the scheduler to log as before. A run that answers a string (a scheduled digest: the ts it posted) keeps it as the
 * run's message, for links to the latest digest.
 */
export async function recordedRun(deps: RunDeps, job: string, healthKey: string, run: () => Promise<unknown>): Promise<void> {
  const startedAt = deps.now();
  const keep = (outcome: JobRun['outcome'], detail: string | null, messageTs: string | null = null) => keepRun(deps, { job, startedAt, outcome, detail, messageTs });
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
