import type { Logger } from '../logger';
import type { Job } from '../schedule';
import type { Store } from './types';

/** Minute 17 of every hour: off the full hour, when digests and checks are most often scheduled. */
export const PRUNE_SCHEDULE = '17 * * * *';

/** The hourly deletion of rows kept no longer (src/store/retention.ts); leased like every fire, so one replica runs it. */
export const pruneJob = (store: Pick<Store, 'prune'>, now: () => Date, log: Logger): Job => ({
  name: 'prune',
  schedule: PRUNE_SCHEDULE,
  run: async () => {
    const pruned = await store.prune(now());
    log.info({ pruned }, 'old rows pruned');
  },
});
