import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './logger';

export interface Job {
  name: string;
  schedule: string;
  run: () => Promise<void>;
}

export interface Scheduler {
  stop(): Promise<void>;
}

/**
 * One cron task per job in the team's time zone. A run never overlaps the previous one, and a failed
 * run is logged without stopping the next.
 */
export function scheduleJobs(jobs: readonly Job[], timeZone: string, log: Logger): Scheduler {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        try {
          await job.run();
        } catch (err) {
          log.error({ err, job: job.name }, 'scheduled run failed');
        }
      },
      { timezone: timeZone, noOverlap: true, name: job.name },
    ),
  );
  log.info({ jobs: jobs.map((j) => `${j.name} (${j.schedule})`), timeZone }, 'schedules started');
  return {
    stop: async () => {
      await Promise.all(tasks.map((task) => task.destroy()));
    },
  };
}
