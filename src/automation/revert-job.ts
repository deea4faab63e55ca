import type { Settings } from '../config';
import type { Job } from '../schedule';
import { actingRuleOf } from './act';
import { RULE_KEY } from './rule-action';
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

/** Whether any rule puts its changes back (revert_after_hours, pause_until): only then does the bot schedule the pass. */
export function revertsWanted(settings: Pick<Settings, 'alerts'>): boolean {
  return settings.alerts.some((alert) =>
    Object.values(RULE_KEY).some((key) => {
      const acting = actingRuleOf(alert.rules, key);
      return acting !== null && (acting.revert_after_hours !== null || (typeof acting.action === 'object' && 'pause_until' in acting.action));
    }),
  );
}
