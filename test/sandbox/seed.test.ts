import { describe, expect, it } from 'vitest';
import { AUDIENCE_TOO_NARROW, accountTotals, CAMPAIGN_FLAGGED, demoAccount, PAYMENT_FAILED, PERSONAL_ATTRIBUTES_REJECTION, TARGETING_REJECTED } from '../../src/sandbox';

const now = () => new Date('2025-11-28T15:30:00Z');

describe('demo account', () => {
  const account = demoAccount({ now });

  it('starts with the three story campaigns and their 8 ad groups as they always were', () => {
    const story = account.campaigns.slice(0, 3);
    const groups = account.adGroups.filter((g) => story.some((c) => c.id === g.ad_campaign_id));

    expect(story.map((c) => c.title)).toEqual(['Black Friday – Prospecting', 'Retargeting – Cart abandoners', 'Brand awareness']);
    expect(groups).toHaveLength(8);
    expect(account.adGroups.slice(0, 8)).toEqual(groups);
    expect(groups.filter((g) => g.budget_amount === null).map((g) => g.title)).toEqual(['Reach – US & CA']);
    expect(groups.filter((g) => g.status === 'paused').map((g) => g.title)).toEqual(['Lead magnet – Size guide']);
    expect(groups.filter((g) => g.budget_type === 'lifetime').map((g) => g.title)).toEqual(['Site visitors – 30 days']);
    expect(account.ads.filter((a) => groups.some((g) => g.id === a.ad_group_id))).toHaveLength(20);
  });

  it('then one campaign for each other state Whop reports, every campaign status once at least', () => {
    expect(account.campaigns).toHaveLength(15);
    expect(new Set(account.campaigns.map((c) => c.status)).size).toBe(11);
  });

  it('has open issues at every level, with one rejection message shared by several ads', () => {
    const byType = (type: string) => account.issues.filter((i) => i.resource_type === type);
    const rejections = account.issues.filter((i) => i.message === PERSONAL_ATTRIBUTES_REJECTION);

    expect(rejections.length).toBeGreaterThanOrEqual(2);
    expect(rejections.every((i) => account.ads.find((a) => a.id === i.resource_id)?.status === 'rejected')).toBe(true);
    expect(byType('ad_group').map((i) => i.message)).toEqual([AUDIENCE_TOO_NARROW, TARGETING_REJECTED]);
    expect(byType('ad_campaign').map((i) => i.message)).toEqual([PAYMENT_FAILED, CAMPAIGN_FLAGGED]);
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
