import { parse } from 'node-cron';
import { addDays, atLocalTime, type LocalDate, localDate, localMinutes } from './zoned-time';

/**
 * A cron expression read for people, and its next fire worked out from a given moment (never the wall clock), both
 * from node-cron's own parse of it, in the team's time zone. node-cron matches day of month and day of week together
 * (both must match), and so does this.
 */

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

const same = (a: readonly unknown[], b: readonly unknown[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const numbers = (values: readonly (number | string)[]): number[] | null => (values.every((v) => typeof v === 'number') ? (values as number[]) : null);

/** The step of values spread evenly from 0 over `size` (`*∕15` of minutes is 15), or null. */
function evenStep(values: readonly number[], size: number): number | null {
  const step = size / values.length;
  return values.length > 1 && Number.isInteger(step) && step > 1 && values.every((v, i) => v === i * step) ? step : null;
}

function daysInWords(dayOfWeek: readonly number[]): string | null {
  if (dayOfWeek.length === 7) return null;
  if (same(dayOfWeek, range(1, 5))) return 'weekdays';
  if (same(dayOfWeek, [0, 6])) return 'weekends';
  // biome-ignore lint/style/noNonNullAssertion: a day of week node-cron parsed is 0–6
  if (dayOfWeek.length === 1) return `${DAY_NAMES[dayOfWeek[0]!]!}s`;
  // biome-ignore lint/style/noNonNullAssertion: a day of week node-cron parsed is 0–6
  return dayOfWeek.map((d) => SHORT_DAY_NAMES[d]!).join(', ');
}

const twoDigits = (n: number) => String(n).padStart(2, '0');

/**
 * "weekdays at 9:00 America/New_York", "every 15 minutes America/New_York", "Mondays at 8:30 and 17:30 UTC"; what it
 * cannot say briefly it says as the expression itself: "cron `0 9 1-7 * 1` America/New_York".
 */
export function scheduleInWords(expression: string, timeZone: string): string {
  const fallback = `cron \`${expression}\` ${timeZone}`;
  const fields = parse(expression);
  const dayOfWeek = numbers(fields.dayOfWeek);
  const dayOfMonth = numbers(fields.dayOfMonth);
  if (!dayOfWeek || !dayOfMonth || fields.month.length !== 12) return fallback;
  const days = daysInWords(dayOfWeek);
  const everyDayOfMonth = dayOfMonth.length === 31;
  // Day 1 of the month, or some weekdays; both at once is rare enough to say as the expression.
  if (!everyDayOfMonth && (days || dayOfMonth.length > 1)) return fallback;
  const when = everyDayOfMonth ? days : `day ${dayOfMonth[0]} of each month`;
  const { second, minute, hour } = fields;
  let times: string | null = null;
  if (second.length > 1) {
    const step = evenStep(second, 60);
    times = step && minute.length === 60 && hour.length === 24 ? `every ${step} seconds` : null;
  } else if (hour.length === 24) {
    const step = evenStep(minute, 60);
    times = step ? `every ${step} minutes` : minute.length === 1 ? `every hour at :${twoDigits(minute[0] ?? 0)}` : null;
  } else if (hour.length * minute.length <= 4) {
    const at = hour.flatMap((h) => minute.map((m) => `${h}:${twoDigits(m)}${second[0] ? `:${twoDigits(second[0])}` : ''}`));
    times = `at ${at.length > 1 ? `${at.slice(0, -1).join(', ')} and ${at[at.length - 1]}` : at[0]}`;
  }
  if (!times) return fallback;
  const phrase = times.startsWith('at') ? `${when || 'every day'} ${times}` : `${times}${when ? ` on ${when}` : ''}`;
  return `${phrase} ${timeZone}`;
}

/** How far ahead a next fire is looked for: a yearly schedule (or one that never fires, Feb 30) has none nearer. */
const DAYS_AHEAD = 400;

/** The first fire strictly after `after`, in the zone, or null when none within about a year. Skips wall-clock times a DST change leaves out. */
export function nextRunAfter(expression: string, timeZone: string, after: Date): Date | null {
  const fields = parse(expression);
  const dayOfWeek = numbers(fields.dayOfWeek);
  const dayOfMonth = numbers(fields.dayOfMonth);
  // `L` (last day) and `1#2` (second Monday): rare in a team's schedule, and not worth a second calendar here.
  if (!dayOfWeek || !dayOfMonth) return null;
  const start = localDate(after, timeZone);
  for (let offset = 0; offset < DAYS_AHEAD; offset++) {
    const date: LocalDate = addDays(start, offset);
    const weekday = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
    if (!fields.month.includes(date.month) || !dayOfMonth.includes(date.day) || !dayOfWeek.includes(weekday)) continue;
    for (const hour of fields.hour) {
      for (const minute of fields.minute) {
        const base = atLocalTime(date, hour, minute, timeZone);
        // A time the clock skips (02:30 on a spring-forward night) lands elsewhere: it is no fire.
        if (localMinutes(base, timeZone) !== hour * 60 + minute) continue;
        for (const second of fields.second) {
          const at = new Date(base.getTime() + second * 1000);
          if (at > after) return at;
        }
      }
    }
  }
  return null;
}
