// Seeded randomness: the same seed always builds the same account, so tests and the demo can rely on it.

export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for fake ad data; returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const between = (rng: Rng, min: number, max: number): number => min + (max - min) * rng();

// biome-ignore lint/style/noNonNullAssertion: rng() < 1 keeps the index below items.length, and every caller passes a non-empty list
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/** Rounds up with probability equal to the fraction, so 0.3 purchases a day still add up to ~9 a month. */
export const roundRandomly = (rng: Rng, x: number): number => Math.floor(x + rng());

const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An id shaped like Whop's (`adgrp_` + 14 base-62 characters). */
export function randomId(rng: Rng, prefix: string): string {
  let id = prefix;
  for (let i = 0; i < 14; i++) id += ID_ALPHABET[Math.floor(rng() * ID_ALPHABET.length)];
  return id;
}
