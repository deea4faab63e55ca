// Whop writes currency codes in lower case (`"spend_currency": "usd"`, the SDK's Shared.Currency); people and Intl
// write them in upper case. Every code the bot reads, from Whop or from a person, becomes a Currency here, so the
// bot compares and shows one form only.
import type { Currency as WhopCurrency } from '@whop/sdk/resources/shared';

/** A currency code in upper case ('USD', 'EUR', 'WHOP_USD'); only currencyOf makes one. */
export type Currency = string & { readonly __brand: 'Currency' };

// A Record, so a currency the SDK adds (or drops) fails the type check here.
const LISTED: Record<WhopCurrency, true> = {
  usd: true,
  sgd: true,
  inr: true,
  aud: true,
  brl: true,
  cad: true,
  dkk: true,
  eur: true,
  nok: true,
  gbp: true,
  sek: true,
  chf: true,
  hkd: true,
  huf: true,
  jpy: true,
  mxn: true,
  myr: true,
  pln: true,
  czk: true,
  nzd: true,
  aed: true,
  eth: true,
  ape: true,
  cop: true,
  ron: true,
  thb: true,
  bgn: true,
  idr: true,
  dop: true,
  php: true,
  try: true,
  krw: true,
  twd: true,
  vnd: true,
  pkr: true,
  clp: true,
  uyu: true,
  ars: true,
  zar: true,
  dzd: true,
  tnd: true,
  mad: true,
  kes: true,
  kwd: true,
  jod: true,
  all: true,
  xcd: true,
  amd: true,
  bsd: true,
  bhd: true,
  bob: true,
  bam: true,
  khr: true,
  crc: true,
  xof: true,
  egp: true,
  etb: true,
  gmd: true,
  ghs: true,
  gtq: true,
  gyd: true,
  ils: true,
  jmd: true,
  mop: true,
  mga: true,
  mur: true,
  mdl: true,
  mnt: true,
  nad: true,
  ngn: true,
  mkd: true,
  omr: true,
  pyg: true,
  pen: true,
  qar: true,
  rwf: true,
  sar: true,
  rsd: true,
  lkr: true,
  tzs: true,
  ttd: true,
  uzs: true,
  rub: true,
  btc: true,
  cny: true,
  usdt: true,
  kzt: true,
  awg: true,
  whop_usd: true,
  xau: true,
};

/** Every currency Whop lists, in Whop's own (lower-case) form. */
export const WHOP_CURRENCIES = Object.keys(LISTED) as WhopCurrency[];

const WHOP_CODES: ReadonlySet<string> = new Set(WHOP_CURRENCIES);

/**
 * A code in any case as a Currency: three letters (ISO 4217 shaped, maybe not one Whop lists) or one of Whop's own
 * (`usdt`, `whop_usd`). null means the bot does not know the currency: the SDK types `spend_currency` as a
 * nullable string ("the ISO 4217 currency code of all monetary metrics"), and the bot never guesses one. Amounts
 * are then shown without a sign, and an amount typed with a currency is refused rather than assumed to match.
 */
export function currencyOf(code: string | null | undefined): Currency | null {
  return code && (/^[a-z]{3}$/i.test(code) || WHOP_CODES.has(code.toLowerCase())) ? (code.toUpperCase() as Currency) : null;
}

/** Whop reports conversion values (purchase_value…) in USD whatever the account's currency. */
export const USD = 'USD' as Currency;

/** The code Intl can format with its sign: three letters (`USDT` and `WHOP_USD` are Whop's own, not ISO). */
export const isIsoCode = (currency: Currency): boolean => /^[A-Z]{3}$/.test(currency);
