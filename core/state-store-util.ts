/** Small pieces every state store backend shares: times, checks of a caller's arguments, copies. */
import { LabError } from "./errors.js";
import type { PuppetRun } from "./puppet-run.js";
import type { Clock, JournalEntry, PuppetRunRecord } from "./state-store.js";

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

/** A Puppet node name: 1 to 255 characters without control characters, or an INTERNAL error. */
export function checkNode(node: string): void {
  if (
    typeof node !== "string" ||
    node === "" ||
    node.length > 255 ||
    /[\u0000-\u001f\u007f]/.test(node)
  ) {
    throw new LabError("INTERNAL", "a Puppet node name must be 1 to 255 printable characters");
  }
}

/**
 * A run's node checked, and its times in ms: the report's and when it was received; an
 * INTERNAL error when one does not parse (a caller's bug).
 */
export function checkRun(run: PuppetRun): { time: number; received: number } {
  checkNode(run.node);
  const time = Date.parse(run.time);
  const received = Date.parse(run.receivedAt);
  if (Number.isNaN(time) || Number.isNaN(received)) {
    throw new LabError(
      "INTERNAL",
      `a Puppet run's times must be ISO 8601: ${run.time}, ${run.receivedAt}`,
    );
  }
  return { time, received };
}

/** A run as a store keeps it: its own copy, the fields in the contract's order. */
export function puppetCopy(run: PuppetRun): PuppetRun {
  return {
    node: run.node,
    time: run.time,
    status: run.status,
    environment: run.environment,
    configurationVersion: run.configurationVersion,
    puppetVersion: run.puppetVersion,
    failures: run.failures.map((f) => ({
      resource: f.resource,
      message: f.message,
      source: f.source,
    })),
    compileErrors: [...run.compileErrors],
    classes: [...run.classes],
    receivedAt: run.receivedAt,
  };
}

export function puppetRecord(run: PuppetRun, known: boolean): PuppetRunRecord {
  return { ...puppetCopy(run), known };
}
