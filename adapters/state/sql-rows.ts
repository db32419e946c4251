/** What the SQL store's queries share: row normalization (pg returns bigint as strings) and context. */
import type { Kysely, RawBuilder } from "kysely";
import { sql } from "kysely";
import type { Clock } from "../../core/state-store.js";
import { isoTime } from "../../core/state-store-util.js";
import type { StateDatabase } from "./schema.js";

export interface SqlContext {
  db: Kysely<StateDatabase>;
  clock: Clock;
  /** Checks the store is open and the signal not aborted, runs `work`, names driver errors. */
  guard: <T>(signal: AbortSignal | undefined, work: () => Promise<T>) => Promise<T>;
  /** Now, for lease decisions: the clock, or the database's own `now()`. */
  leaseNow: () => RawBuilder<number>;
}

export function num(value: number | string): number {
  return typeof value === "number" ? value : Number(value);
}

export function numOrNull(value: number | string | null): number | null {
  return value === null ? null : num(value);
}

export function timeOrNull(value: number | string | null): string | null {
  return value === null ? null : isoTime(num(value));
}

export function parseJson(text: string): unknown {
  return JSON.parse(text) as unknown;
}

/** A bigint parameter both databases type the same way. */
export function bigint(value: number): RawBuilder<number> {
  return sql<number>`cast(${value} as bigint)`;
}
