/** Calendar arithmetic in an IANA time zone, without a date library: Intl knows every zone's offsets. */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const knownZones = new Map<string, boolean>();

export function isTimeZone(name: string): boolean {
  let known = knownZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(name, known);
  }
  return known;
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

type WallClock = Readonly<Record<'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', number>>;

/**
 * Recent answers by zone and instant: the hourly rules and the replay of `/ads rules simulate` ask for the same few
 * hundred bucket starts again and again, and each Intl answer costs microseconds. Bounded: cleared when full.
 */
const wallClocks = new Map<string, Map<number, WallClock>>();
const WALL_CLOCKS_KEPT = 20_000;

function wallClock(at: Date, timeZone: string): WallClock {
  let known = wallClocks.get(timeZone);
  if (!known) {
    known = new Map();
    wallClocks.set(timeZone, known);
  }
  const ms = at.getTime();
  const cached = known.get(ms);
  if (cached) return cached;
  const parts: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(at)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  if (known.size >= WALL_CLOCKS_KEPT) known.clear();
  known.set(ms, parts as WallClock);
  return parts as WallClock;
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetMs(at: Date, timeZone: string): number {
  const w = wallClock(at, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** Minutes since local midnight, for rules like "before 15:00". */
export function localMinutes(at: Date, timeZone: string): number {
  const { hour, minute } = wallClock(at, timeZone);
  return hour * 60 + minute;
}

export function localDate(at: Date, timeZone: string): LocalDate {
  const { year, month, day } = wallClock(at, timeZone);
  return { year, month, day };
}

/** The instant a local calendar day starts (midnight, or the first valid minute on a DST-gap day). */
export function startOfLocalDay(date: LocalDate, timeZone: string): Date {
  return atLocalTime(date, 0, 0, timeZone);
}

/**
 * The instant the wall clock in the zone shows that date and time. A time the clocks skip (02:30 on a
 * spring-forward night, a midnight in Santiago) is as far past the skip as it was into it: 03:30, 01:00.
 */
export function atLocalTime(date: LocalDate, hour: number, minute: number, timeZone: string): Date {
  const naive = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  // The offset can differ between the naive guess and the real instant near a DST change: settle it twice.
  let guess = naive - offsetMs(new Date(naive), timeZone);
  guess = naive - offsetMs(new Date(guess), timeZone);
  if (localMinutes(new Date(guess), timeZone) === hour * 60 + minute) return new Date(guess);
  // In a skip the offset before it, a day earlier, gives the later of the two instants either offset names.
  return new Date(naive - offsetMs(new Date(naive - 86_400_000), timeZone));
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}
