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
 * The candidates closest to `wanted` (up to `max`, ties by name): within a third of the longer
 * name's length in edits, or containing it (3+ characters); only those at the best score.
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
  const best = scored[0]?.[0];
  return scored
    .filter(([score]) => score === best)
    .slice(0, max)
    .map(([, c]) => c);
}

/**
 * The one "did you mean" formatter: ` (did you mean "x"?)`, ` (did you mean "x" or "y"?)`, or
 * "" when there is nothing close — ready to append to a message.
 */
export function hintFor(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return "";
  const quoted = suggestions.map((x) => `"${x}"`);
  const last = quoted.pop()!;
  return ` (did you mean ${quoted.length ? `${quoted.join(", ")} or ${last}` : last}?)`;
}

/** `hintFor` of the candidates closest to `wanted`. */
export function didYouMean(wanted: string, candidates: Iterable<string>): string {
  return hintFor(suggest(wanted, candidates));
}
