import { describe, expect, it } from 'vitest';
import { INPUT_LIMITS } from '../../blocks/limits';
import { amountSchema, parseAdGroupCommand, parseAdsCommand } from '../../src/slack/commands/parse';

const { amount: MAX_AMOUNT_CHARS, adGroupCommand: MAX_ADGROUP_TEXT, adsCommand: MAX_ADS_TEXT } = INPUT_LIMITS;

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

  it(`refuses more than ${MAX_ADGROUP_TEXT} characters before reading any word of it`, () => {
    const tooLong = { kind: 'invalid', problem: `\`/adgroup\` takes ${MAX_ADGROUP_TEXT} characters at most, and search words 100 characters at most` };
    expect(parseAdGroupCommand(`budget adgrp_Ab1 ${'1'.repeat(3_000)}`)).toEqual(tooLong);
    expect(parseAdGroupCommand(`budget adgrp_Ab1 ${', '.repeat(1_500)}`)).toEqual(tooLong);
    expect(parseAdGroupCommand(' '.repeat(MAX_ADGROUP_TEXT + 1))).toEqual(tooLong);
    expect(parseAdGroupCommand(`budget adgrp_Ab1 ${' '.repeat(MAX_ADGROUP_TEXT - 30)} 150`)).toMatchObject({ kind: 'budget', amount: { amount: 150 } });
  });

  it('echoes what was typed escaped, so a problem message pings nobody', () => {
    const parsed = parseAdGroupCommand('budget <!channel> 5');
    expect(parsed).toMatchObject({ kind: 'invalid' });
    expect(JSON.stringify(parsed)).not.toContain('<!channel>');
  });
});

describe('the budget form’s amount', () => {
  it.each([
    ['  150  ', 150, null],
    ['\t$ 1,250.50\n', 1250.5, null],
    ['USD   80', 80, 'USD'],
    ['80    eur ', 80, 'EUR'],
    ['ca$\u00a0 80', 80, 'CAD'],
  ])('reads %j, spaces around and between its parts as typed', (typed, amount, currency) => {
    expect(amountSchema.parse(typed)).toEqual({ amount, currency });
  });

  it(`refuses more than ${MAX_AMOUNT_CHARS} characters in plain words, whatever they are, without echoing them`, () => {
    for (const typed of [' '.repeat(3_000), `${' '.repeat(1_500)}1${' '.repeat(1_500)}x`, '1'.repeat(3_000), ', '.repeat(1_500), `150${' '.repeat(MAX_AMOUNT_CHARS)}`]) {
      const parsed = amountSchema.safeParse(typed);
      expect(parsed.success).toBe(false);
      expect(parsed.error!.issues.map((i) => i.message)).toEqual([`An amount is ${MAX_AMOUNT_CHARS} characters at most: write it like 150, $1,250.50 or 200 USD`]);
    }
    expect(amountSchema.parse(`${' '.repeat(MAX_AMOUNT_CHARS - 3)}150`)).toEqual({ amount: 150, currency: null });
  });

  it('refuses the shapes that made the old pattern backtrack, within the limit, as no amount', () => {
    for (const typed of [`${' '.repeat(18)}1${' '.repeat(18)}x`, `USD${' '.repeat(30)}$ x`, '1,000,000,000,000,000,000,000,000,00']) {
      expect(amountSchema.safeParse(typed).error?.issues[0]?.message).toContain('is not an amount');
    }
  });
});

describe('/ads parsing', () => {
  it('reads digest windows and defaults to yesterday', () => {
    expect(parseAdsCommand('digest')).toEqual({ kind: 'digest', window: 'yesterday' });
    expect(parseAdsCommand(' Status ')).toEqual({ kind: 'status' });
    expect(parseAdsCommand('status now')).toMatchObject({ kind: 'invalid', problem: '`/ads status` takes nothing after it' });
    expect(parseAdsCommand('DIGEST Last_30d')).toEqual({ kind: 'digest', window: 'last_30d' });
    expect(parseAdsCommand('digest today extra')).toMatchObject({ kind: 'invalid' });
    expect(parseAdsCommand('<@U123>')).toMatchObject({ kind: 'invalid', problem: "I don't know “&lt;@U123&gt;”" });
    expect(parseAdsCommand(`digest ${'today'.repeat(MAX_ADS_TEXT)}`)).toEqual({
      kind: 'invalid',
      problem: `\`/ads\` takes ${MAX_ADS_TEXT} characters at most, like \`/ads digest yesterday\``,
    });
  });

  it('rules simulate takes 1 to 28 days, 7 unless given; anything else is a usage answer', () => {
    expect(parseAdsCommand('rules simulate')).toEqual({ kind: 'simulate', days: 7 });
    expect(parseAdsCommand('Rules SIMULATE 28')).toEqual({ kind: 'simulate', days: 28 });
    expect(parseAdsCommand('rules simulate 1')).toEqual({ kind: 'simulate', days: 1 });
    const usage = '`/ads rules simulate [days]` takes a number of days from 1 to 28 (default 7)';
    for (const bad of ['0', '29', '7.5', '-3', 'week', '007x'])
      expect(parseAdsCommand(`rules simulate ${bad}`)).toEqual({ kind: 'invalid', problem: `“${bad}” is not a number of days: ${usage}` });
    expect(parseAdsCommand('rules simulate 7 14')).toEqual({ kind: 'invalid', problem: usage });
    expect(parseAdsCommand('rules')).toEqual({ kind: 'invalid', problem: usage });
    expect(parseAdsCommand('rules <!here>')).toEqual({ kind: 'invalid', problem: `I don't know \`/ads rules &lt;!here&gt;\`: ${usage}` });
  });
});
