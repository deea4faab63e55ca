import type { WindowName } from '../model';
import { addDays, localDate, startOfLocalDay } from '../zoned-time';

export interface TimeRange {
  from: Date;
  to: Date;
}

/** A digest window and the one before it, of the same calendar length, both in the team's time zone. */
export interface StatsWindow extends TimeRange {
  name: WindowName;
  timeZone: string;
  previous: TimeRange;
}

const DAYS: Record<Exclude<WindowName, 'today'>, number> = { yesterday: 1, last_7d: 7, last_30d: 30 };

export function statsWindow(name: WindowName, now: Date, timeZone: string): StatsWindow {
  const today = localDate(now, timeZone);
  const startOfToday = startOfLocalDay(today, timeZone);
  if (name === 'today') {
    // "So far today" compares with yesterday up to the same wall-clock time, not with the night before.
    const yesterdayStart = startOfLocalDay(addDays(today, -1), timeZone);
    return {
      name,
      timeZone,
      from: startOfToday,
      to: now,
      previous: { from: yesterdayStart, to: new Date(yesterdayStart.getTime() + (now.getTime() - startOfToday.getTime())) },
    };
  }
  const days = DAYS[name];
  return {
    name,
    timeZone,
    from: startOfLocalDay(addDays(today, -days), timeZone),
    to: startOfToday,
    previous: {
      from: startOfLocalDay(addDays(today, -2 * days), timeZone),
      to: startOfLocalDay(addDays(today, -days), timeZone),
    },
  };
}
