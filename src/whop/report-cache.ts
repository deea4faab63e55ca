// Past days' hourly reports, kept in the process: a settled day's figures no longer change, and the alert check asks
// for the same past days every hour (the same weekday of four weeks, and the day before each). Only ranges the
// caller marks final are kept; today and the hours still settling are always asked for again.
import type { ReportRow } from './types';

/** A check with `weeks: 12` and a three-day trend reads 48 past days per report scope; room for that and a second account. */
export const REPORT_CACHE_ENTRIES = 128;

/** Least recently used first out, so the days a check keeps reading stay while older ones go. */
export class ReportCache {
  private readonly entries = new Map<string, ReportRow[]>();

  constructor(private readonly limit = REPORT_CACHE_ENTRIES) {}

  get(key: string): ReportRow[] | undefined {
    const rows = this.entries.get(key);
    if (rows === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, rows);
    return rows;
  }

  set(key: string, rows: ReportRow[]): void {
    this.entries.delete(key);
    this.entries.set(key, rows);
    // biome-ignore lint/style/noNonNullAssertion: the map is larger than the limit, so it has a first key
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
