/** A small seeded PRNG (mulberry32) and the draws the generator needs. Deterministic per seed. */

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
}

export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return {
    next(): number {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** An integer in [0, n). */
export function int(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** An integer in [min, max]. */
export function between(rng: Rng, min: number, max: number): number {
  return min + int(rng, max - min + 1);
}

export function chance(rng: Rng, p: number): boolean {
  return rng.next() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[int(rng, items.length)];
  if (item === undefined) throw new RangeError("pick from an empty list");
  return item;
}

/** An index in [0, n) skewed towards 0: a few popular items and a long tail. */
export function skewed(rng: Rng, n: number): number {
  const r = rng.next();
  return Math.floor(n * r * r);
}

/** Picks by weight: `weights` pairs each item with its relative weight. */
export function weighted<T>(rng: Rng, weights: readonly (readonly [T, number])[]): T {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let r = rng.next() * total;
  for (const [item, w] of weights) {
    r -= w;
    if (r < 0) return item;
  }
  const last = weights[weights.length - 1];
  if (last === undefined) throw new RangeError("weighted pick from an empty list");
  return last[0];
}

/** Up to `k` distinct items drawn by `draw` (gives up after a bounded number of tries). */
export function distinct<T>(k: number, draw: () => T): T[] {
  const out = new Set<T>();
  for (let tries = 0; out.size < k && tries < k * 8; tries++) out.add(draw());
  return [...out];
}

/** A Fisher–Yates shuffle into a new array. */
export function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = int(rng, i + 1);
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
