/** Prometheus durations (`30s`, `1h30m`, `500ms`) as numbers; validate checks their form. */

const UNIT_MS: Readonly<Record<string, number>> = {
  y: 365 * 86_400_000,
  w: 7 * 86_400_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/** A Prometheus duration in milliseconds; null when the text is not one. */
export function durationMs(text: string): number | null {
  if (text === "0") return 0;
  if (!/^(?:\d+(?:ms|[ywdhms]))+$/.test(text)) return null;
  let total = 0;
  for (const m of text.matchAll(/(\d+)(ms|[ywdhms])/g)) total += Number(m[1]) * UNIT_MS[m[2]!]!;
  return total;
}
