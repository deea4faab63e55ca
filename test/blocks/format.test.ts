import { describe, expect, it } from 'vitest';
import { count, decimal, delta, money, percent, ratio } from '../../blocks/format';
import { currencyOf, WHOP_CURRENCIES } from '../../src/currency';

describe('money', () => {
  it.each([
    ['usd', 1250, '$1,250.00'],
    ['USD', 1250, '$1,250.00'],
    ['cad', 80, 'CA$80.00'],
    ['eur', 80, '€80.00'],
    ['aud', 80, 'A$80.00'],
    ['sgd', 80, 'SGD\u00a080.00'],
    ['xof', 80, 'XOF\u00a080'],
    ['jpy', 1234, '¥1,234'],
    ['jpy', 0.5, '¥0.5'],
    ['kwd', 80.5, 'KWD\u00a080.50'],
    ['usdt', 80, '80.00 USDT'],
    ['whop_usd', 80, '80.00 WHOP_USD'],
  ])('writes %s %d as %s: Whop’s lower-case code shown in upper case, a sign that names the currency', (code, amount, written) => {
    expect(money(amount, currencyOf(code))).toBe(written);
  });

  it('writes an amount without a sign when Whop does not say the currency', () => {
    expect(money(1250, currencyOf(null))).toBe('1,250.00');
  });

  it('never writes a bare $ for a currency other than USD', () => {
    for (const code of WHOP_CURRENCIES.filter((c) => c !== 'usd')) expect(money(1, currencyOf(code))).not.toMatch(/^\$/);
  });
});

describe('currencyOf', () => {
  it('reads Whop’s codes in any case as one upper-case form, and nothing else as a code', () => {
    expect(currencyOf('usd')).toBe('USD');
    expect(currencyOf('Eur')).toBe('EUR');
    expect(currencyOf('whop_usd')).toBe('WHOP_USD');
    for (const notACode of [null, undefined, '', 'u', '<!channel>', 'us d', '12', 'a0', 'dollars']) expect(currencyOf(notACode)).toBeNull();
  });
});

describe('numbers that are none', () => {
  it('are shown as — (a change from next to nothing as new), never as NaN or ∞', () => {
    expect(money(Infinity, currencyOf('usd'))).toBe('—');
    expect([count(NaN), decimal(Infinity), percent(NaN), ratio(-Infinity)]).toEqual(['—', '—', '—', '—']);
    expect(delta(1, 5e-324)).toBe('new');
    expect(delta(4.5e15, 1e-300)).toBe('new');
  });
});
