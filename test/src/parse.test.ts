import { describe, expect, it } from 'vitest';
import { parseAdGroupCommand, parseAdsCommand } from '../../src/slack/commands/parse';

describe('/adgroup parsing', () => {
  it.each([
    ['150', 150, null],
    ['$1,250.50', 1250.5, null],
    ['200 usd', 200, 'USD'],
    ['EUR 80', 80, 'EUR'],
    ['$ 12.5', 12.5, null],
    ['1,000,000', 1_000_000, null],
    ['150 USD', 150, 'USD'],
    ['€80', 80, 'EUR'],
    ['CA$80.00', 80, 'CAD'],
    ['ca$ 80', 80, 'CAD'],
    ['A$80', 80, 'AUD'],
    ['¥80', 80, null],
    ['80 usdt', 80, 'USDT'],
  ])('reads the amount %s, its currency in upper case whatever was typed', (typed, amount, currency) => {
    expect(parseAdGroupCommand(`budget adgrp_Ab1 ${typed}`)).toEqual({ kind: 'budget', id: 'adgrp_Ab1', amount: { amount, currency } });
  });

  it.each(['0', '0.00', '-5', '−5', 'NaN', 'Infinity', '1e3', '1.234', '12,34', '1,0000', 'ten', '$', '5 usd eur', '0x10', 'USD €5', 'ZZ$5', '5 dollars'])(
    'refuses the amount %s',
    (typed) => {
      expect(parseAdGroupCommand(`budget adgrp_Ab1 ${typed}`).kind).toBe('invalid');
    },
  );

  it('tells lookups, searches, help and bad ids apart', () => {
    expect(parseAdGroupCommand('adgrp_Ab1')).toEqual({ kind: 'lookup', id: 'adgrp_Ab1' });
    expect(parseAdGroupCommand('  black   friday ')).toEqual({ kind: 'search', query: 'black friday' });
    expect(parseAdGroupCommand('HELP')).toEqual({ kind: 'help' });
    expect(parseAdGroupCommand('budget ad_123 5')).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('not an ad group id') });
    expect(parseAdGroupCommand('budget adgrp_1')).toMatchObject({ kind: 'invalid' });
    expect(parseAdGroupCommand('x'.repeat(10_000))).toMatchObject({ kind: 'invalid', problem: expect.stringContaining('100 characters') });
  });

  it('echoes what was typed escaped, so a problem message pings nobody', () => {
    const parsed = parseAdGroupCommand('budget <!channel> 5');
    expect(parsed).toMatchObject({ kind: 'invalid' });
    expect(JSON.stringify(parsed)).not.toContain('<!channel>');
  });
});

describe('/ads parsing', () => {
  it('reads digest windows and defaults to yesterday', () => {
    expect(parseAdsCommand('digest')).toEqual({ kind: 'digest', window: 'yesterday' });
    expect(parseAdsCommand('DIGEST Last_30d')).toEqual({ kind: 'digest', window: 'last_30d' });
    expect(parseAdsCommand('digest today extra')).toMatchObject({ kind: 'invalid' });
    expect(parseAdsCommand('<@U123>')).toMatchObject({ kind: 'invalid', problem: 'I don\'t know “&lt;@U123&gt;”' });
  });
});
