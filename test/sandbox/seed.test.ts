import { describe, expect, it } from 'vitest';
import { AUDIENCE_TOO_NARROW, PERSONAL_ATTRIBUTES_REJECTION, accountTotals, demoAccount } from '../../src/sandbox';

const now = () => new Date('2025-11-28T15:30:00Z');

describe('demo account', () => {
  const account = demoAccount({ now });

  it('has 3 campaigns and 8 ad groups: one budgeted by its campaign, one paused, one on a lifetime budget', () => {
    expect(account.campaigns).toHaveLength(3);
    expect(account.adGroups).toHaveLength(8);
    expect(account.adGroups.filter((g) => g.budget_amount === null)).toHaveLength(1);
    expect(account.adGroups.filter((g) => g.status === 'paused')).toHaveLength(1);
    expect(account.adGroups.filter((g) => g.budget_type === 'lifetime')).toHaveLength(1);
    expect(account.ads.length).toBeGreaterThanOrEqual(18);
  });

  it('has open issues at every level, with one rejection message shared by several ads', () => {
    const byType = (type: string) => account.issues.filter((i) => i.resource_type === type);
    const rejections = account.issues.filter((i) => i.message === PERSONAL_ATTRIBUTES_REJECTION);

    expect(rejections.length).toBeGreaterThanOrEqual(2);
    expect(rejections.every((i) => account.ads.find((a) => a.id === i.resource_id)?.status === 'rejected')).toBe(true);
    expect(byType('ad_group').map((i) => i.message)).toEqual([AUDIENCE_TOO_NARROW]);
    expect(byType('ad_campaign')).toHaveLength(1);
  });

  it('has ads that sell and ads that do not, over 60 days of history', () => {
    const sold = (ad: (typeof account.ads)[number]) => accountTotals({ ...account, ads: [ad] }).purchases > 0;

    expect(account.ads.every((ad) => ad.daily.values.length === 60 * 11)).toBe(true);
    expect(account.ads.filter(sold).length).toBeGreaterThan(5);
    expect(account.ads.filter((ad) => !sold(ad)).length).toBeGreaterThan(3);
  });

  it('is the same for the same seed and clock', () => {
    const again = demoAccount({ now });

    expect(again.ads.map((a) => a.id)).toEqual(account.ads.map((a) => a.id));
    expect(accountTotals(again)).toEqual(accountTotals(account));
  });

  it('refuses a Whop currency it has no exchange rate for', () => {
    expect(() => demoAccount({ currency: 'xau' })).toThrow(/exchange rate/);
  });
});
