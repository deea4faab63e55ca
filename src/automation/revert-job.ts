import type { Job } from '../schedule';
import { revertDue, type SettleDeps } from './settle';

/** Every five minutes, off the full hour's minute: time-boxed changes are put back close to when they said. */
export const REVERT_SCHEDULE = '2-59/5 * * * *';

/**
 * The periodic pass over time-boxed rule changes (revert_after_hours, pause_until), besides each alert check's:
 * leased like every fire, so one replica runs it.
 */
export const revertJob = (deps: SettleDeps): Job => ({
  name: 'rule-reverts',
  schedule: REVERT_SCHEDULE,
  run: () => revertDue(deps),
});
