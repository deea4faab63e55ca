// stats_from / stats_to / time_zone → an instant range. Bare dates are midnights on the time_zone's clock;
// timestamps must carry their offset, so nothing depends on the machine's zone.
import { badRequest } from './http-error';
import type { StatsWindow } from './stats';

export interface StatsWindowParams {
  stats_from?: string;
  stats_to?: string;
  time_zone?: string;
}

const BARE_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseStatsWindow(params: StatsWindowParams, now: Date): StatsWindow {
  const zone = params.time_zone ?? 'UTC';
  const clock = clockOf(zone);
  const from = params.stats_from === undefined ? -Infinity : instant(params.stats_from, clock, 'stats_from');
  const to = params.stats_to === undefined ? now.getTime() : instant(params.stats_to, clock, 'stats_to');
  if (from > to) throw badRequest('stats_from must not be after stats_to');
  return { from, to };
}

function instant(value: string, clock: Intl.DateTimeFormat, name: string): number {
  const date = BARE_DATE.exec(value);
  if (date) return zonedMidnight(Number(date[1]), Number(date[2]), Number(date[3]), clock, name);
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with an offset`);
  return ms;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

function clockOf(zone: string): Intl.DateTimeFormat {
  let clock = clocks.get(zone);
  if (!clock) {
    try {
      clock = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw badRequest(`time_zone ${zone} is not an IANA time zone`);
    }
    clocks.set(zone, clock);
  }
  return clock;
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetAt(clock: Intl.DateTimeFormat, at: number): number {
  const parts = clock.formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

function zonedMidnight(year: number, month: number, day: number, clock: Intl.DateTimeFormat, name: string): number {
  const wall = Date.UTC(year, month - 1, day);
  const check = new Date(wall);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw badRequest(`${name} is not a calendar date`);
  // Guess with the offset at UTC midnight, then correct once in case a DST change lies between the two.
  const guess = wall - offsetAt(clock, wall);
  return wall - offsetAt(clock, guess);
}
