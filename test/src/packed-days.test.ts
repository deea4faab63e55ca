import { describe, expect, it } from 'vitest';
import { between, type GroupDay, type Totals } from '../../src/alerts/hourly-history';
import { packDays, unpackDays } from '../../src/alerts/packed-days';
import { currencyOf } from '../../src/currency';

const hour = (h: number): Totals => ({ spend: h * 0.1 + 0.07, impressions: h * 13, clicks: h % 5, results: h % 7 === 3 ? null : h % 3 });
const HOURS = 48;
const groups = new Map<string, GroupDay>([
  ['adgrp_a', { hours: Array.from({ length: HOURS }, (_, h) => hour(h)), currency: currencyOf('usd') }],
  ['adgrp_b', { hours: Array.from({ length: HOURS }, (_, h) => hour(HOURS - h)), currency: null }],
]);

describe('a week packed by the history worker', () => {
  const unpacked = unpackDays(structuredClone(packDays(groups, HOURS)));

  it('sums every span of hours to the same totals as the hours it was made of, an hour without a result count included', () => {
    for (const [id, day] of groups) {
      const read = unpacked.get(id);
      expect(read?.currency).toBe(day.currency);
      for (let from = -2; from <= HOURS + 1; from += 3) for (let to = from; to <= HOURS + 2; to += 5) expect(between(read!, from, to)).toEqual(between(day, from, to));
      expect(read?.hours).toEqual(day.hours);
    }
  });

  it('knows only the ad groups it was made of', () => {
    expect(unpacked.get('adgrp_missing')).toBeUndefined();
  });
});
