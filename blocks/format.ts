/** Every number, amount, date and piece of user data is turned into text here, and only here. */

import { type Currency, isIsoCode } from '../src/currency';
import { isRuleActor, RULE_ACTOR_PREFIX } from '../src/model';
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
export const title = (text: string | null | undefined, fallbackId: string, max = 80): string => truncate(esc(plainTitle(text, fallbackId, max)), max + ESCAPE_ROOM);

/** What a number that is none is shown as (NaN, or ∞ from dividing by next to nothing): never `NaN` or `∞`. */
const NOT_A_NUMBER = '—';
const finite = (n: number, write: (n: number) => string): string => (Number.isFinite(n) ? write(n) : NOT_A_NUMBER);

const moneyFormats = new Map<Currency, Intl.NumberFormat>();
const unsignedMoney = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

// 'symbol', not 'narrowSymbol': the sign names the currency (`CA$`, `A$`), never a bare `$` for one that is not USD.
// A sign of several words (`F CFA`) gives way to the code, and cents are shown, no finer (not KWD's three
// decimals) and no coarser (¥0.50 stays ¥0.5): what the bot writes, a person can type back as the same budget.
function moneyFormat(currency: Currency): Intl.NumberFormat {
  let format = moneyFormats.get(currency);
  if (!format) {
    const symbol = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'symbol' });
    const sign = symbol.formatToParts(1).find((part) => part.type === 'currency')?.value ?? '';
    const options = { style: 'currency', currency, currencyDisplay: /\s/.test(sign) ? 'code' : 'symbol' } as const;
    const decimals = Math.min(2, symbol.resolvedOptions().maximumFractionDigits ?? 2);
    format = new Intl.NumberFormat('en-US', { ...options, minimumFractionDigits: decimals, maximumFractionDigits: 2 });
    moneyFormats.set(currency, format);
  }
  return format;
}

/**
 * `$1,250.00`, `CA$80.00`, `€80.00`, `SGD 80.00`; Whop's own codes after the number (`80.00 USDT`); a bare
 * `80.00` when the currency is not known.
 */
export function money(amount: number, currency: Currency | null): string {
  if (!Number.isFinite(amount)) return NOT_A_NUMBER;
  if (currency === null) return unsignedMoney.format(amount);
  if (!isIsoCode(currency)) return `${unsignedMoney.format(amount)} ${currency}`;
  return moneyFormat(currency).format(amount);
}

/** The sign money() writes before an amount in this currency (`$`, `CA$`, `€`, `SGD`); null for Whop's own codes. */
export function moneySign(currency: Currency): string | null {
  if (!isIsoCode(currency)) return null;
  return (
    moneyFormat(currency)
      .formatToParts(1)
      .find((part) => part.type === 'currency')?.value ?? null
  );
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export const count = (n: number): string => finite(n, integerFormat.format);
export const decimal = (n: number): string => finite(n, decimalFormat.format);
export const percent = (ratio: number): string => finite(ratio * 100, (n) => `${decimalFormat.format(n)}%`);
/** `1 result`, `1,204 results`: a count with its noun. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`;
export const ratio = (n: number): string => finite(n, (x) => `${decimalFormat.format(x)}×`);

/** Change against the previous window: `▲ 12%`, `▼ 3.5%`, `±0%`, or `new` when there was nothing before. */
export function delta(current: number | null, previous: number | null): string {
  if (current === null || previous === null) return '';
  if (previous === 0) return current === 0 ? '±0%' : 'new';
  const pct = (Math.abs(current - previous) / Math.abs(previous)) * 100;
  // Next to nothing before: no percentage says it better than `new`.
  if (!Number.isFinite(pct)) return 'new';
  if (pct < 0.05) return '±0%';
  return `${current > previous ? '▲' : '▼'} ${decimalFormat.format(pct)}%`;
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
export const clock = (at: Date, timeZone: string): string => dateFormat(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/** `Tue, Nov 24` in the team's time zone. */
export const day = (at: Date, timeZone: string): string => dateFormat(timeZone, { weekday: 'short', month: 'short', day: 'numeric' }).format(at);

/** `Nov 24, 10:42 EST`: a moment people in other zones can place. */
export const moment = (at: Date, timeZone: string): string =>
  dateFormat(timeZone, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(at);

/** Who the audit log names: a person as `<@U…>`, a rule (`rule:roas_below`) as "the `roas_below` rule", never `<@rule:…>`. */
export const actor = (userId: string): string => (isRuleActor(userId) ? `the \`${esc(userId.slice(RULE_ACTOR_PREFIX.length))}\` rule` : `<@${userId}>`);
