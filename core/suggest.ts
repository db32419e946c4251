/** "Did you mean" — close matches for a misspelt name. */

/** Optimal-string-alignment edit distance (a transposition counts as one edit). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1).fill(0);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n]!;
}

/**
 * Up to `max` candidates close to `wanted`, closest first (ties by name): within a third of the
 * longer name's length in edits, or sharing a prefix/substring of 3+ characters.
 */
export function suggest(wanted: string, candidates: Iterable<string>, max = 3): string[] {
  const w = wanted.toLowerCase();
  const scored: [number, string][] = [];
  for (const c of candidates) {
    const lc = c.toLowerCase();
    const d = editDistance(w, lc);
    const limit = Math.max(1, Math.floor(Math.max(w.length, lc.length) / 3));
    const contains = w.length >= 3 && (lc.includes(w) || (lc.length >= 3 && w.includes(lc)));
    if (d <= limit || contains) scored.push([contains ? Math.min(d, limit) : d, c]);
  }
  scored.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return scored.slice(0, max).map(([, c]) => c);
}

/** ` (did you mean "x"?)` or "" — ready to append to a message. */
export function didYouMean(wanted: string, candidates: Iterable<string>): string {
  const s = suggest(wanted, candidates);
  return s.length ? ` (did you mean ${s.map((x) => `"${x}"`).join(", ")}?)` : "";
}
