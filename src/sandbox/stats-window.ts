// stats_from / stats_to / time_zone → an instant range. Bare dates are midnights on the time_zone's clock;
// timestamps must carry their offset, so nothing depends on the machine's zone.
import { isTimeZone, startOfLocalDay } from '../zoned-time';
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
  if (!isTimeZone(zone)) throw badRequest(`time_zone ${zone} is not an IANA time zone`);
  const from = params.stats_from === undefined ? -Infinity : instant(params.stats_from, zone, 'stats_from');
  const to = params.stats_to === undefined ? now.getTime() : instant(params.stats_to, zone, 'stats_to');
  if (from > to) throw badRequest('stats_from must not be after stats_to');
  return { from, to };
}

function instant(value: string, zone: string, name: string): number {
  const date = BARE_DATE.exec(value);
  if (date) return zonedMidnight(Number(date[1]), Number(date[2]), Number(date[3]), zone, name);
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name} must be a date (YYYY-MM-DD) or an ISO 8601 timestamp with an offset`);
  return ms;
}

function zonedMidnight(year: number, month: number, day: number, zone: string, name: string): number {
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw badRequest(`${name} is not a calendar date`);
  return startOfLocalDay({ year, month, day }, zone).getTime();
}
