/** Small pieces every state store backend shares: times, checks of a caller's arguments, copies. */
import { LabError } from "./errors.js";
import type { Clock, JournalEntry } from "./state-store.js";

export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };

/** How many webhook delivery ids a store keeps (the newest; older ones are pruned). */
export const KEEP_DELIVERIES = 10_000;

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** A positive whole number of milliseconds, or an INTERNAL error (a caller's bug). */
export function checkTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) {
    throw new LabError("INTERNAL", `lease ttl must be a positive integer of ms, got ${ttlMs}`);
  }
}

/** `since` as milliseconds, or an INTERNAL error for a time that does not parse. */
export function sinceMs(since: string | undefined): number {
  if (since === undefined) return Number.NEGATIVE_INFINITY;
  const ms = Date.parse(since);
  if (Number.isNaN(ms)) throw new LabError("INTERNAL", `audit "since" is not a time: ${since}`);
  return ms;
}

export function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key]!;
  return out;
}

/** JSON in, JSON out: the value as a store keeps it (no shared mutable objects). */
export function jsonCopy(value: unknown): unknown {
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}

/** Oldest first, then by target, step and key: the order every backend lists pending intents. */
export function compareIntents(a: JournalEntry, b: JournalEntry): number {
  const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return (
    order(a.intendedAt, b.intendedAt) ||
    order(a.target, b.target) ||
    order(a.step, b.step) ||
    order(a.key, b.key)
  );
}

/** A pull request number: a positive whole number, or an INTERNAL error (a caller's bug). */
export function checkPull(pr: number): void {
  if (!Number.isSafeInteger(pr) || pr <= 0) {
    throw new LabError("INTERNAL", `a pull request number must be a positive integer, got ${pr}`);
  }
}

/** A webhook delivery id: a non-empty string of at most 200 characters, or an INTERNAL error. */
export function checkDelivery(id: string): void {
  if (typeof id !== "string" || id === "" || id.length > 200) {
    throw new LabError("INTERNAL", `a webhook delivery id must be 1 to 200 characters`);
  }
}
