/** Every number, amount, date and piece of user data is turned into text here, and only here. */
import { head, truncate } from './limits';

/** Escapes the three characters Slack treats as markup, so `<!channel>` in an ad title pings nobody. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A title from Whop on one line, short enough for a row or a button; Whop allows null titles. */
export function plainTitle(text: string | null | undefined, fallbackId: string, max = 80): string {
  const raw = (text ?? '').replace(/\s+/g, ' ').trim() || fallbackId;
  return raw.length > max ? `${head(raw, max - 1)}…` : raw;
}

/** Room a title keeps for what escaping adds (`&` → `&amp;`): a few escapes, not a title of `<<<<`. */
const ESCAPE_ROOM = 20;

/**
 * The same, escaped for mrkdwn. Escaping can make it five times longer, which twenty rows of a
 * digest cannot afford: past `max + 20` characters it is cut again, never inside an entity.
 */
export const title = (text: string | null | undefined, fallbackId: string, max = 80): string =>
  truncate(esc(plainTitle(text, fallbackId, max)), max + ESCAPE_ROOM);

const moneyFormats = new Map<string, Intl.NumberFormat>();

export function money(amount: number, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' });
    moneyFormats.set(currency, format);
  }
  return format.format(amount);
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export const count = (n: number): string => integerFormat.format(n);
export const decimal = (n: number): string => decimalFormat.format(n);
export const percent = (ratio: number): string => `${decimalFormat.format(ratio * 100)}%`;
export const ratio = (n: number): string => `${decimalFormat.format(n)}×`;

/** Change against the previous window: `▲ 12%`, `▼ 3.5%`, `±0%`, or `new` when there was nothing before. */
export function delta(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return '';
  if (previous === 0) return current === 0 ? '±0%' : 'new';
  const change = (current - previous) / Math.abs(previous);
  if (Math.abs(change) < 0.0005) return '±0%';
  return `${change > 0 ? '▲' : '▼'} ${decimalFormat.format(Math.abs(change) * 100)}%`;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, ...options });
    clockFormats.set(key, format);
  }
  return format;
}

/** `10:42` in the team's time zone. */
export const clock = (at: Date, timeZone: string): string =>
  dateFormat(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/** `Tue, Nov 24` in the team's time zone. */
export const day = (at: Date, timeZone: string): string =>
  dateFormat(timeZone, { weekday: 'short', month: 'short', day: 'numeric' }).format(at);

/** `Nov 24, 10:42 EST`: a moment people in other zones can place. */
export const moment = (at: Date, timeZone: string): string =>
  dateFormat(timeZone, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(at);
