import { mentionsPaused } from '../../blocks/alert';
import type { AlertSettings } from '../config';
import type { AlertStore } from '../store/types';
import { localDate, localMinutes } from '../zoned-time';

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Whether `now` falls in a span such as "22:00-08:00" of the team's day; a span whose end is earlier runs past midnight. */
export function inQuietHours(span: string, now: Date, timeZone: string): boolean {
  const [from, to] = [minutes(span.slice(0, 5)), minutes(span.slice(6))];
  const at = localMinutes(now, timeZone);
  return from < to ? at >= from && at < to : at >= from || at < to;
}

/**
 * Who a new post pings, if anyone: nobody in quiet hours, and nobody past the channel's max_mentions_per_day on
 * the team's local day; the first post past it carries a note saying mentions are paused for today.
 */
export async function mentionFor(store: AlertStore, alert: AlertSettings, now: Date, timeZone: string): Promise<{ mention?: string; note?: string }> {
  if (!alert.mention) return {};
  if (alert.quiet_hours && inQuietHours(alert.quiet_hours, now, timeZone)) return {};
  const { year, month, day } = localDate(now, timeZone);
  const pad = (n: number) => String(n).padStart(2, '0');
  const wanted = await store.countMention(alert.channel, `${year}-${pad(month)}-${pad(day)}`, now);
  if (wanted <= alert.max_mentions_per_day) return { mention: alert.mention };
  return wanted === alert.max_mentions_per_day + 1 ? { note: mentionsPaused(alert.max_mentions_per_day) } : {};
}
