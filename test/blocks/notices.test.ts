import { describe, expect, it } from 'vitest';
import { LIMITS } from '../../blocks/limits';
import { budgetUnsure, notAllowed, pauseAllUnsure, whopUnsure } from '../../blocks/notices';

describe('what a person is told when Whop did not confirm a change', () => {
  it('a pause that Whop now shows done: it may have gone through, with the status read back', () => {
    expect(whopUnsure('pause', 'ad', 'Hero video', 'ad_1', 'paused')).toBe(
      'Whop did not confirm the pause of ad *Hero video*. It may have gone through: the ad is now :double_vertical_bar: Paused.',
    );
  });

  it('an unpause that Whop does not show yet: it may still go through, look again and click again if needed', () => {
    const text = whopUnsure('unpause', 'ad_group', 'Broad', 'adgrp_1', 'paused');
    expect(text).toContain('Whop did not confirm the unpause of ad group *Broad*. It may still go through; for now it is :double_vertical_bar: Paused.');
    expect(text).toContain('click again if needed');
    expect(text).not.toContain('Nothing was changed');
  });

  it('when the read back failed too, it says so instead of guessing a status', () => {
    const text = whopUnsure('pause', 'ad', null, 'ad_1', null);
    expect(text).toContain('*ad_1*');
    expect(text).toContain('It may have gone through, and I could not read it back');
  });

  it('a budget: the amount read back, the one asked for, or neither', () => {
    expect(budgetUnsure('Broad', 'adgrp_1', '$150.00', '$150.00')).toBe(
      'Whop did not confirm the change of *Broad*’s budget to $150.00. It may have gone through: the budget is now $150.00.',
    );
    expect(budgetUnsure('Broad', 'adgrp_1', '$150.00', '$100.00')).toContain('It may still go through; for now the budget is $100.00. Check `/adgroup adgrp_1`');
    expect(budgetUnsure('Broad', 'adgrp_1', '$150.00', null)).toContain('It may have gone through, and I could not read it back.');
  });

  it('Pause all names at most ten ads, escapes their titles and stays short with hundreds of them', () => {
    const ads = Array.from({ length: 300 }, (_, i) => ({ title: `<!channel> ad ${i} ${'x'.repeat(200)}`, id: `ad_${i}`, status: i % 2 ? 'paused' : null }));
    const text = pauseAllUnsure(ads);
    expect(text).toContain('Whop did not confirm the pause of 300 ads, so it may have gone through');
    expect(text).toContain('is now :double_vertical_bar: Paused');
    expect(text).toContain('could not be read back');
    expect(text).toContain(', and 290 more.');
    expect(text).not.toContain('<!channel>');
    expect(text.length).toBeLessThan(LIMITS.sectionText);
  });

  it('Pause all with one ad says so in the singular', () => {
    expect(pauseAllUnsure([{ title: 'Hero', id: 'ad_1', status: 'active' }])).toContain('the pause of one ad, so');
  });
});

describe('what a person who may not act is told', () => {
  const reasons = ['other_workspace', 'guest', 'not_operator', 'unverified'] as const;

  it.each(reasons)('%s: nothing changed, who may act and where that is set, with operators listed or not', (reason) => {
    const listed = notAllowed(reason, 'pause ads', '<@U0BOSS>, <!subteam^S0ADS>');
    expect(listed).toContain('Nothing was changed.');
    expect(listed).toContain('Those who may act: <@U0BOSS>, <!subteam^S0ADS>.');
    expect(listed).toContain('`access.operators` in ads-bot.yml');
    const everyone = notAllowed(reason, 'pause ads', '');
    expect(everyone).toContain('every member of this workspace may act, guests excepted');
    expect(everyone).toContain('`access.operators` in ads-bot.yml');
    expect(everyone).not.toContain('Those who may act');
  });

  it('each reason is said in its own words', () => {
    const heads = reasons.map((reason) => notAllowed(reason, 'pause ads', '').split(' Nothing was changed.')[0]);
    expect(new Set(heads).size).toBe(reasons.length);
    expect(heads[0]).toContain('another workspace or organisation');
    expect(heads[1]).toContain('Guest accounts may pause ads only when their own user id is listed');
  });
});
