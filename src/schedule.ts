import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './logger';
import type { ScheduleCoordinator } from './store/types';

export interface Job {
  name: string;
  schedule: string;
  /** `next`: when this job fires after this run, if node-cron knows. */
  run: (next: Date | null) => Promise<void>;
  /**
   * For a job App Home shows: keeps a run that ended before it could keep its own (the thread it ran in died, or
   * could not start) as failed, with the reason.
   */
  recordLost?: (startedAt: Date, reason: string) => Promise<void>;
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
  const claiming = new Set<Promise<boolean>>();
  let stopping = false;
  // Once stopping, no fire is claimed; a claim already under way is waited for, and so is the run it wins.
  const guarded: ScheduleCoordinator | undefined = coordinator && {
    shouldRun: (key, ttlMs) => {
      if (stopping) return Promise.resolve(false);
      const claim = coordinator.shouldRun(key, ttlMs);
      claiming.add(claim);
      void claim.finally(() => claiming.delete(claim)).catch(() => undefined);
      return claim;
    },
  };
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      (fire) => {
        const run = job.run(fire.task?.getNextRun() ?? null).catch((err: unknown) => log.error({ err, job: job.name }, 'scheduled run failed'));
        running.add(run);
        return run.finally(() => running.delete(run));
      },
      {
        timezone: timeZone,
        noOverlap: true,
        name: job.name,
        ...(guarded ? { distributed: true, runCoordinator: guarded, distributedLease: LEASE_MS } : {}),
      },
    ),
  );
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.schedule})`), timeZone }, 'schedules started');
  return {
    /** No new runs start; runs under way finish, so nothing is left half-posted. */
    stop: async () => {
      stopping = true;
      await Promise.all(tasks.map((task) => task.destroy()));
      await Promise.allSettled(claiming);
      // A won claim starts its run on node-cron's next step: let it start before waiting for runs.
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.all(running);
    },
  };
}
