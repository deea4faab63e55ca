import type { AlertView } from '../../blocks/alert';
import type { AlertRecord } from '../store/types';

export type Shown = Pick<AlertRecord, 'problem' | 'openedAt' | 'snoozedUntil' | 'snoozedBy' | 'snoozedUntilRecovered'>;

/** How an alert record is drawn, with `extra` on top (a mention, its resolution, its rule's line). */
export function viewOf(deps: { timeZone: string; sandbox: boolean }, record: Shown, extra: Partial<AlertView> = {}): AlertView {
  const snoozed = record.snoozedBy && (record.snoozedUntil || record.snoozedUntilRecovered);
  return {
    problem: record.problem,
    openedAt: record.openedAt,
    timeZone: deps.timeZone,
    sandbox: deps.sandbox,
    ...(snoozed && record.snoozedBy ? { snooze: { by: record.snoozedBy, until: record.snoozedUntilRecovered ? null : record.snoozedUntil } } : {}),
    ...extra,
  };
}

/** The firing of one opening of an alert: the same id on every replica and after every restart. */
export const firingIdOf = (record: Pick<AlertRecord, 'channel' | 'key' | 'openedAt'>): string => `${record.channel}:${record.key}:${record.openedAt.toISOString()}`;
