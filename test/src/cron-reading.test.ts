import { describe, expect, it } from 'vitest';
import { nextRunAfter, scheduleInWords } from '../../src/cron-reading';

const NY = 'America/New_York';

describe('a schedule in words', () => {
  it.each([
    ['0 9 * * 1-5', 'weekdays at 9:00 America/New_York'],
    ['0 9 * * *', 'every day at 9:00 America/New_York'],
    ['30 8 * * 1', 'Mondays at 8:30 America/New_York'],
    ['0 9 * * 0,6', 'weekends at 9:00 America/New_York'],
    ['0 9 * * 1,3,5', 'Mon, Wed, Fri at 9:00 America/New_York'],
    ['0 9,17 * * *', 'every day at 9:00 and 17:00 America/New_York'],
    ['*/15 * * * *', 'every 15 minutes America/New_York'],
    ['*/15 * * * 1-5', 'every 15 minutes on weekdays America/New_York'],
    ['5 * * * *', 'every hour at :05 America/New_York'],
    ['*/10 * * * * *', 'every 10 seconds America/New_York'],
    ['0 9 1 * *', 'day 1 of each month at 9:00 America/New_York'],
    ['0 9 * 1 *', 'cron `0 9 * 1 *` America/New_York'],
    ['0 9 1-7 * 1', 'cron `0 9 1-7 * 1` America/New_York'],
  ])('%s reads "%s"', (expression, words) => {
    expect(scheduleInWords(expression, NY)).toBe(words);
  });
});

describe('the next run, from a given moment', () => {
  it('is the next matching wall-clock time in the zone, strictly after the moment', () => {
    const tuesday = new Date('2026-11-24T15:42:00Z');
    expect(nextRunAfter('0 9 * * 1-5', NY, tuesday)).toEqual(new Date('2026-11-25T14:00:00Z'));
    expect(nextRunAfter('*/15 * * * *', NY, tuesday)).toEqual(new Date('2026-11-24T15:45:00Z'));
    expect(nextRunAfter('*/15 * * * *', NY, new Date('2026-11-24T15:45:00Z'))).toEqual(new Date('2026-11-24T16:00:00Z'));
    expect(nextRunAfter('0 9 * * 5', NY, tuesday)).toEqual(new Date('2026-11-27T14:00:00Z'));
  });

  it('skips a time the clock jumps over and keeps its zone offset across a DST change', () => {
    // 2027-03-14: New York goes from 02:00 to 03:00, so 02:30 does not happen that day.
    expect(nextRunAfter('30 2 * * *', NY, new Date('2027-03-13T12:00:00Z'))).toEqual(new Date('2027-03-15T06:30:00Z'));
    expect(nextRunAfter('0 9 * * *', NY, new Date('2027-03-13T15:00:00Z'))).toEqual(new Date('2027-03-14T13:00:00Z'));
  });

  it('is null when nothing matches within a year', () => {
    // February 29th: none between now and the end of 2027.
    expect(nextRunAfter('0 9 29 2 *', NY, new Date('2026-11-24T15:42:00Z'))).toBeNull();
  });
});
