// What "usual" means for a number seen on the same weekday and hour in past weeks, and how far today is from it.

/** Fewer weeks than this, and nothing is judged: two points make no spread. */
export const MIN_WEEKS = 3;

/**
 * The smallest spread believed, as a share of the mean. Four past Tuesdays can agree to the cent (a capped budget,
 * a flat history), and a sample standard deviation next to zero would make ordinary noise look like 10 σ; a day's
 * numbers move by a tenth without anything being wrong.
 */
export const MIN_SD_SHARE = 0.1;

export interface Usual {
  /** How many past weeks it is made of. */
  weeks: number;
  mean: number;
  /** The sample standard deviation, or MIN_SD_SHARE of the mean when that is larger. */
  sd: number;
  /**
   * The range shown: the lowest and highest of the past weeks. What the team saw on those days, never negative,
   * and readable without statistics; the threshold itself is in standard deviations.
   */
  low: number;
  high: number;
}

/**
 * From past weeks' values (null: a week missing); null when fewer than MIN_WEEKS are present or they are not numbers.
 * `noise(mean)`: the spread chance alone gives today's figure, believed when larger than the past weeks' own.
 */
export function usualOf(past: readonly (number | null)[], noise: (mean: number) => number = () => 0): Usual | null {
  const values = past.filter((v): v is number => v !== null && Number.isFinite(v));
  if (values.length < MIN_WEEKS) return null;
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
  const sd = Math.max(Math.sqrt(variance), MIN_SD_SHARE * Math.abs(mean), noise(mean));
  if (!(sd > 0) || !Number.isFinite(sd)) return null;
  return { weeks: values.length, mean, sd, low: Math.min(...values), high: Math.max(...values) };
}

/** How many standard deviations `value` lies from the mean; positive above it. */
export const zScore = (value: number, usual: Usual): number => (value - usual.mean) / usual.sd;
