import { describe, expect, it } from 'vitest';
import { statsWindow } from '../../src/digest/window';

const iso = (d: Date) => d.toISOString();

describe('digest windows in the team time zone', () => {
  it('yesterday in New York runs midnight to midnight local time, compared with the day before', () => {
    const w = statsWindow('yesterday', new Date('2026-11-25T14:00:00Z'), 'America/New_York');
    expect([iso(w.from), iso(w.to)]).toEqual(['2026-11-24T05:00:00.000Z', '2026-11-25T05:00:00.000Z']);
    expect([iso(w.previous.from), iso(w.previous.to)]).toEqual(['2026-11-23T05:00:00.000Z', '2026-11-24T05:00:00.000Z']);
  });

  it('the day clocks fall back lasts 25 hours', () => {
    const w = statsWindow('yesterday', new Date('2026-11-02T14:00:00Z'), 'America/New_York');
    expect([iso(w.from), iso(w.to)]).toEqual(['2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z']);
    expect(w.to.getTime() - w.from.getTime()).toBe(25 * 3600_000);
  });

  it('the day clocks spring forward lasts 23 hours', () => {
    const w = statsWindow('yesterday', new Date('2026-03-09T14:00:00Z'), 'America/New_York');
    expect(w.to.getTime() - w.from.getTime()).toBe(23 * 3600_000);
    expect(iso(w.previous.to)).toBe(iso(w.from));
  });

  it('last 7 days are the seven full local days before today, across a DST change', () => {
    const w = statsWindow('last_7d', new Date('2026-11-05T12:00:00Z'), 'America/New_York');
    expect([iso(w.from), iso(w.to)]).toEqual(['2026-10-29T04:00:00.000Z', '2026-11-05T05:00:00.000Z']);
    expect(iso(w.previous.to)).toBe(iso(w.from));
    expect(iso(w.previous.from)).toBe('2026-10-22T04:00:00.000Z');
  });

  it('today runs from local midnight to now and compares with yesterday up to the same time', () => {
    const now = new Date('2026-11-25T14:30:00Z');
    const w = statsWindow('today', now, 'America/New_York');
    expect([iso(w.from), iso(w.to)]).toEqual(['2026-11-25T05:00:00.000Z', iso(now)]);
    expect([iso(w.previous.from), iso(w.previous.to)]).toEqual(['2026-11-24T05:00:00.000Z', '2026-11-24T14:30:00.000Z']);
  });

  it('works in zones with a quarter-hour offset', () => {
    const w = statsWindow('yesterday', new Date('2026-11-25T02:30:00Z'), 'Pacific/Chatham');
    expect(iso(w.from)).toBe('2026-11-23T10:15:00.000Z');
  });
});
