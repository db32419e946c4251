/** Amounts of memory and disk as the repo writes them (`8GB`, `8192MB`, `0.5 GiB`). */

const UNIT_MB: Readonly<Record<string, number>> = {
  MB: 1,
  MiB: 1,
  GB: 1024,
  GiB: 1024,
  TB: 1024 * 1024,
  TiB: 1024 * 1024,
};

/** `8GB`, `8192MB`, `0.5 GiB` -> megabytes (binary units, as operators write them); null if malformed. */
export function parseMemoryMb(text: string): number | null {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(MB|GB|TB|MiB|GiB|TiB)$/.exec(text.trim());
  if (!m) return null;
  return Math.round(Number(m[1]) * UNIT_MB[m[2]!]!);
}
