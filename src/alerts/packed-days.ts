// A week of GroupDays as one Float64Array, so the history worker hands it to the event loop without copying
// (transferred) and without the hundreds of thousands of objects a structured clone of Totals would rebuild there.
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

/** The GroupDays of a packed week: each ad group's hours made on its first read and kept for the next. */
export function unpackDays(packed: PackedDays): GroupDays {
  const index = new Map(packed.ids.map((id, i) => [id, i]));
  const made = new Map<string, GroupDay>();
  return {
    get: (id) => {
      const known = made.get(id);
      if (known) return known;
      const i = index.get(id);
      if (i === undefined) return undefined;
      const base = i * packed.hours * FIELDS;
      const hours: Totals[] = Array.from({ length: packed.hours }, (_, h) => {
        const at = base + h * FIELDS;
        const results = packed.values[at + 3] as number;
        return {
          spend: packed.values[at] as number,
          impressions: packed.values[at + 1] as number,
          clicks: packed.values[at + 2] as number,
          results: Number.isNaN(results) ? null : results,
        };
      });
      const day = { hours, currency: packed.currencies[i] ?? null };
      made.set(id, day);
      return day;
    },
  };
}
