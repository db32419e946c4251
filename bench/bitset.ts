/** Fixed-size bit sets over server indexes: group and alert membership at 50k servers stays small. */

export type Bits = Uint32Array;

export function emptyBits(size: number): Bits {
  return new Uint32Array(Math.ceil(size / 32));
}

export function addBit(bits: Bits, i: number): void {
  const w = i >>> 5;
  bits[w] = (bits[w] ?? 0) | (1 << (i & 31));
}

export function hasBit(bits: Bits, i: number): boolean {
  return ((bits[i >>> 5] ?? 0) & (1 << (i & 31))) !== 0;
}

/** `into |= other`. */
export function orInto(into: Bits, other: Bits): void {
  for (let w = 0; w < into.length; w++) into[w] = (into[w] ?? 0) | (other[w] ?? 0);
}

/** A new set: `a & ~b`. */
export function minus(a: Bits, b: Bits): Bits {
  const out = new Uint32Array(a.length);
  for (let w = 0; w < a.length; w++) out[w] = (a[w] ?? 0) & ~(b[w] ?? 0);
  return out;
}

export function countBits(bits: Bits): number {
  let n = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w] ?? 0;
    while (v !== 0) {
      v &= v - 1;
      n++;
    }
  }
  return n;
}

/** The indexes in the set, ascending. */
export function bitIndexes(bits: Bits): number[] {
  const out: number[] = [];
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w] ?? 0;
    while (v !== 0) {
      const low = v & -v;
      out.push(w * 32 + 31 - Math.clz32(low));
      v ^= low;
    }
  }
  return out;
}
