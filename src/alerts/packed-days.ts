// A week of GroupDays as one Float64Array, so the history worker hands it to the event loop without copying
// (transferred) and without the hundreds of thousands of objects a structured clone of Totals would rebuild there;
// the rules' sums over spans of hours read the numbers in place, and only a reader of `hours` makes them objects.
import type { Currency } from '../currency';
import type { GroupDay, GroupDays, Totals } from './hourly-history';

/** Every ad group's hours, `hours` each, as spend, impressions, clicks, results (NaN for null) in a row. */
export interface PackedDays {
  ids: string[];
  currencies: (Currency | null)[];
  hours: number;
  values: Float64Array;
}

const FIELDS = 4;

export function packDays(groups: ReadonlyMap<string, GroupDay>, hours: number): PackedDays {
  const ids = [...groups.keys()];
  const currencies: (Currency | null)[] = [];
  const values = new Float64Array(ids.length * hours * FIELDS);
  let at = 0;
  for (const group of groups.values()) {
    currencies.push(group.currency);
    for (let h = 0; h < hours; h++) {
      const totals = group.hours[h];
      values[at++] = totals?.spend ?? 0;
      values[at++] = totals?.impressions ?? 0;
      values[at++] = totals?.clicks ?? 0;
      values[at++] = totals ? (totals.results ?? Number.NaN) : 0;
    }
  }
  return { ids, currencies, hours, values };
}

/** Where Array.prototype.slice would start or stop for `index` in a list of `length`. */
const sliceAt = (index: number, length: number) => {
  const whole = Math.trunc(index) || 0;
  return whole < 0 ? Math.max(length + whole, 0) : Math.min(whole, length);
};

/** One ad group of a packed week, its first value at `base`. */
function packedDay(packed: PackedDays, base: number, currency: Currency | null): GroupDay {
  const { values, hours: length } = packed;
  // As addInto adds them, hour after hour: the same sums to the last bit as over `hours`.
  const sum = (from: number, to: number): Totals => {
    const totals: Totals = { spend: 0, impressions: 0, clicks: 0, results: 0 };
    for (let h = sliceAt(from, length), end = sliceAt(to, length); h < end; h++) {
      const at = base + h * FIELDS;
      totals.spend += values[at] as number;
      totals.impressions += values[at + 1] as number;
      totals.clicks += values[at + 2] as number;
      const results = values[at + 3] as number;
      totals.results = totals.results === null || Number.isNaN(results) ? null : totals.results + results;
    }
    return totals;
  };
  let hours: Totals[] | undefined;
  return {
    currency,
    sum,
    get hours() {
      hours ??= Array.from({ length }, (_, h) => sum(h, h + 1));
      return hours;
    },
  };
}

/** The GroupDays of a packed week: each ad group made on its first read and kept for the next. */
export function unpackDays(packed: PackedDays): GroupDays {
  const index = new Map(packed.ids.map((id, i) => [id, i]));
  const made = new Map<string, GroupDay>();
  return {
    get: (id) => {
      const known = made.get(id);
      if (known) return known;
      const i = index.get(id);
      if (i === undefined) return undefined;
      const day = packedDay(packed, i * packed.hours * FIELDS, packed.currencies[i] ?? null);
      made.set(id, day);
      return day;
    },
  };
}
