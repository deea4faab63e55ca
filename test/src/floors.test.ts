import { describe, expect, it } from 'vitest';
import { belowFloor, countSkip } from '../../src/alerts/floors';
import type { Skipped } from '../../src/model';

describe('floors', () => {
  it('judges an ad group exactly at both floors, and names the spend floor first when it is under both', () => {
    const floors = { min_spend: 10, min_impressions: 1000 };
    expect(belowFloor({ spend: 10, impressions: 1000 }, floors)).toBeNull();
    expect(belowFloor({ spend: 9.99, impressions: 1000 }, floors)).toBe('min_spend');
    expect(belowFloor({ spend: 10, impressions: 999 }, floors)).toBe('min_impressions');
    expect(belowFloor({ spend: 0, impressions: 0 }, floors)).toBe('min_spend');
  });

  it('floors of 0 judge everything, nothing spent and nothing shown included', () => {
    expect(belowFloor({ spend: 0, impressions: 0 }, { min_spend: 0, min_impressions: 0 })).toBeNull();
  });

  it('counts skips per rule and reason', () => {
    const skipped: Skipped = {};
    countSkip(skipped, 'roas', 'min_spend');
    countSkip(skipped, 'roas', 'min_spend');
    countSkip(skipped, 'roas', 'min_impressions');
    countSkip(skipped, 'no_delivery', 'too_new');
    expect(skipped).toEqual({ roas: { min_spend: 2, min_impressions: 1 }, no_delivery: { too_new: 1 } });
  });
});
