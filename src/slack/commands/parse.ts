import { z } from 'zod';
import { esc, moneySign } from '../../../blocks/format';
import { head, INPUT_LIMITS } from '../../../blocks/limits';
import { type Currency, currencyOf, WHOP_CURRENCIES } from '../../currency';
import { AD_GROUP_ID, type Amount, WINDOWS, type WindowName } from '../../model';

/**
 * Budget amounts as people type them: `150`, `$1,250.50`, `200 usd`, `USD 80`, `€80`, `CA$80` (as the bot writes them).
 * Matched on trimmed text, with no two parts that can take the same characters (each run of spaces sits between a
 * code or sign and the number), so it cannot backtrack its way into seconds; test/security/redos.test.ts checks it.
 */
const AMOUNT = /^(?:([A-Za-z][A-Za-z_]{2,7})\s*)?(?:([A-Za-z]{0,2}\p{Sc})\s*)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?(?:\s*([A-Za-z][A-Za-z_]{2,7}))?$/u;

/** The currency a typed code names: null when none was typed, undefined when it is no code (`dollars`). */
const codeOf = (typed: string | undefined): Currency | null | undefined => (typed === undefined ? null : (currencyOf(typed) ?? undefined));

/** Signs people write for several currencies (`$` for USD, CAD, AUD…; `¥` for JPY and CNY): they say nothing. */
const SAYS_NOTHING: ReadonlySet<string> = new Set(['$', '¥']);

/** The signs money() writes that name one currency (`€`, `£`, `CA$`, `A$`, `₹`…), read back in any case. */
const SIGN_CURRENCY: ReadonlyMap<string, Currency> = new Map(
  WHOP_CURRENCIES.flatMap((code) => {
    // biome-ignore lint/style/noNonNullAssertion: currencyOf knows every code of WHOP_CURRENCIES (the SDK's list)
    const currency = currencyOf(code)!;
    const sign = moneySign(currency);
    return sign && sign !== currency && !SAYS_NOTHING.has(sign) ? [[sign.toUpperCase(), currency] as const] : [];
  }),
);

/** The currency a sign names: null when it names none, undefined when it is no sign the bot knows. */
const currencyOfSign = (sign: string): Currency | null | undefined => (SAYS_NOTHING.has(sign) ? null : SIGN_CURRENCY.get(sign.toUpperCase()));

/** A piece of what the person typed, safe to show back in mrkdwn. */
const quote = (text: string) => esc(head(text.trim(), 40));

export const amountSchema = z.string().transform((typed, ctx): Amount => {
  if (typed.length > INPUT_LIMITS.amount) {
    ctx.addIssue({ code: 'custom', message: `An amount is ${INPUT_LIMITS.amount} characters at most: write it like 150, $1,250.50 or 200 USD` });
    return z.NEVER;
  }
  const text = typed.trim();
  if (text.startsWith('-') || text.startsWith('−')) {
    ctx.addIssue({ code: 'custom', message: 'A budget must be more than zero' });
    return z.NEVER;
  }
  const match = AMOUNT.exec(text);
  const [, codeBefore, sign, integer, decimals, codeAfter] = match ?? [];
  const code = codeOf(codeBefore ?? codeAfter);
  const bySign = sign === undefined ? null : currencyOfSign(sign);
  if (!match || (codeBefore && codeAfter) || code === undefined || bySign === undefined || (code && bySign && code !== bySign)) {
    ctx.addIssue({ code: 'custom', message: `“${quote(text)}” is not an amount: write it like 150, $1,250.50 or 200 USD` });
    return z.NEVER;
  }
  // Finite: INPUT_LIMITS.amount characters of digits are far below Number.MAX_VALUE.
  // biome-ignore lint/style/noNonNullAssertion: the number is the one part of AMOUNT that is not optional, so it is there whenever match is
  const amount = Number(`${integer!.replaceAll(',', '')}.${decimals ?? '0'}`);
  if (amount <= 0) {
    ctx.addIssue({ code: 'custom', message: 'A budget must be more than zero' });
    return z.NEVER;
  }
  return { amount, currency: code ?? bySign };
});

export type AdGroupCommand =
  | { kind: 'help' }
  | { kind: 'lookup'; id: string }
  | { kind: 'search'; query: string }
  | { kind: 'budget'; id: string; amount: Amount }
  | { kind: 'invalid'; problem: string };

/** Nothing, or `help` first: the usage is asked for, which is the same whatever the account. */
export const asksForHelp = (text: string): boolean => {
  const first = text.trim().split(/\s+/)[0];
  return !first || first.toLowerCase() === 'help';
};

/** `/adgroup …`: one parse at the edge; everything after works on the result. */
export function parseAdGroupCommand(text: string): AdGroupCommand {
  if (text.length > INPUT_LIMITS.adGroupCommand) {
    return { kind: 'invalid', problem: `\`/adgroup\` takes ${INPUT_LIMITS.adGroupCommand} characters at most, and search words ${INPUT_LIMITS.searchWords} characters at most` };
  }
  if (asksForHelp(text)) return { kind: 'help' };
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [first = '', ...rest] = words;
  if (first.toLowerCase() === 'budget') {
    const [id, ...amountWords] = rest;
    if (!id || amountWords.length === 0) return { kind: 'invalid', problem: 'Give the ad group id and the new budget: `/adgroup budget adgrp_… 150`' };
    if (!AD_GROUP_ID.test(id)) return { kind: 'invalid', problem: `“${quote(id)}” is not an ad group id (they look like adgrp_…)` };
    const amount = amountSchema.safeParse(amountWords.join(' '));
    // biome-ignore lint/style/noNonNullAssertion: a failed zod parse has at least one issue
    if (!amount.success) return { kind: 'invalid', problem: amount.error.issues[0]!.message };
    return { kind: 'budget', id, amount: amount.data };
  }
  if (words.length === 1 && AD_GROUP_ID.test(first)) return { kind: 'lookup', id: first };
  const query = words.join(' ');
  if (query.length > INPUT_LIMITS.searchWords) return { kind: 'invalid', problem: `Search words can be ${INPUT_LIMITS.searchWords} characters at most` };
  return { kind: 'search', query };
}

export type AdsCommand = { kind: 'help' } | { kind: 'status' } | { kind: 'digest'; window: WindowName } | { kind: 'simulate'; days: number } | { kind: 'invalid'; problem: string };

/** Days `/ads rules simulate` replays: a week unless asked, four weeks at most (the hourly history rules compare with). */
export const SIMULATE_DAYS = { default: 7, min: 1, max: 28 } as const;

const SIMULATE_USAGE = `\`/ads rules simulate [days]\` takes a number of days from ${SIMULATE_DAYS.min} to ${SIMULATE_DAYS.max} (default ${SIMULATE_DAYS.default})`;

/** `/ads rules simulate [days]`, the words after `rules`. */
function parseRules(words: readonly string[]): AdsCommand {
  const [verb, days, ...rest] = words;
  if (verb?.toLowerCase() !== 'simulate') return { kind: 'invalid', problem: verb ? `I don't know \`/ads rules ${quote(verb)}\`: ${SIMULATE_USAGE}` : SIMULATE_USAGE };
  if (rest.length > 0) return { kind: 'invalid', problem: SIMULATE_USAGE };
  if (days === undefined) return { kind: 'simulate', days: SIMULATE_DAYS.default };
  const n = /^\d{1,3}$/.test(days) ? Number(days) : Number.NaN;
  if (!(n >= SIMULATE_DAYS.min && n <= SIMULATE_DAYS.max)) return { kind: 'invalid', problem: `“${quote(days)}” is not a number of days: ${SIMULATE_USAGE}` };
  return { kind: 'simulate', days: n };
}

export function parseAdsCommand(text: string): AdsCommand {
  if (text.length > INPUT_LIMITS.adsCommand) return { kind: 'invalid', problem: `\`/ads\` takes ${INPUT_LIMITS.adsCommand} characters at most, like \`/ads digest yesterday\`` };
  if (asksForHelp(text)) return { kind: 'help' };
  const [first = '', second, ...rest] = text.trim().split(/\s+/).filter(Boolean);
  if (first.toLowerCase() === 'rules') return parseRules([second, ...rest].filter((w): w is string => w !== undefined));
  if (first.toLowerCase() === 'status') return second === undefined ? { kind: 'status' } : { kind: 'invalid', problem: '`/ads status` takes nothing after it' };
  if (first.toLowerCase() !== 'digest') return { kind: 'invalid', problem: `I don't know “${quote(first)}”` };
  if (rest.length > 0) return { kind: 'invalid', problem: '`/ads digest` takes one window at most' };
  const window = z.enum(WINDOWS).safeParse((second ?? 'yesterday').toLowerCase());
  // biome-ignore lint/style/noNonNullAssertion: with no second word the window is 'yesterday', which parses
  if (!window.success) return { kind: 'invalid', problem: `“${quote(second!)}” is not a window: use ${WINDOWS.join(', ')}` };
  return { kind: 'digest', window: window.data };
}
