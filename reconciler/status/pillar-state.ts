/** Ordering pillar states: a known problem outranks not knowing, which outranks ok. */
import type { PillarState } from "../../core/health-source.js";

const RANK: Readonly<Record<PillarState, number>> = { ok: 0, unknown: 1, warn: 2, failed: 3 };

/** The worst of `states` (failed, then warn, then unknown, then ok); `empty` when there is none. */
export function worstState(states: Iterable<PillarState>, empty: PillarState): PillarState {
  let worst: PillarState | null = null;
  for (const s of states) if (worst === null || RANK[s] > RANK[worst]) worst = s;
  return worst ?? empty;
}

/** `2026-03-15 14:22:03` from an ISO 8601 time, for people (UTC). */
export function shortTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** `1 h 5 min`, `3 min`, `12 s`: a duration for people. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return min % 60 ? `${h} h ${min % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} days`;
}
