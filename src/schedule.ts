import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './logger';
import type { ScheduleCoordinator } from './store/types';

export interface Job {
  name: string;
  schedule: string;
  run: () => Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/** How long a replica holds a fire it took; past it, housekeeping may remove the lease. */
const LEASE_MS = 10 * 60_000;

/**
 * One cron task per job in the team's time zone. A run never overlaps the previous one, and a failed
 * run is logged without stopping the next. With a coordinator each fire runs once: on the one replica,
 * or the one process across a restart, that takes its lease.
 */
export function scheduleJobs(jobs: readonly Job[], timeZone: string, log: Logger, coordinator?: ScheduleCoordinator): Scheduler {
  const running = new Set<Promise<void>>();
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      () => {
        const run = job.run().catch((err: unknown) => log.error({ err, job: job.name }, 'scheduled run failed'));
        running.add(run);
        return run.finally(() => running.delete(run));
      },
      {
        timezone: timeZone,
        noOverlap: true,
        name: job.name,
        ...(coordinator ? { distributed: true, runCoordinator: coordinator, distributedLease: LEASE_MS } : {}),
      },
    ),
  );
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.schedule})`), timeZone }, 'schedules started');
  return {
    /** No new runs start; runs under way finish, so nothing is left half-posted. */
    stop: async () => {
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.all(running);
    },
  };
}
