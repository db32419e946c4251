/**
 * Root causes first. A config file (or a section of one) that did not load leaves out what it
 * defined, so "unknown size xlarge" elsewhere may only follow from it: such a diagnostic is marked
 * with `followsFrom` (the root cause) and sorted after every root cause. Pure.
 */
import { compareDiagnostics, type Diagnostic, type DiagnosticCode } from "../core/diagnostics.js";
import type { UnloadedPart } from "../core/model.js";

/** Codes that say a name is not defined (or a selection came out empty because of one). */
const MISSING_NAME: ReadonlySet<DiagnosticCode> = new Set([
  "LAB200",
  "LAB201",
  "LAB202",
  "LAB203",
  "LAB204",
  "LAB205",
  "LAB208",
]);

/** A selector matching nothing may be empty because the servers it wants did not load. */
const EMPTY_SELECTION: ReadonlySet<DiagnosticCode> = new Set(["LAB230"]);

/** The part whose failure explains `d`, if any. */
function causeOf(d: Diagnostic, parts: readonly UnloadedPart[]): UnloadedPart | undefined {
  if (EMPTY_SELECTION.has(d.code)) return parts[0];
  if (!MISSING_NAME.has(d.code) || d.name === undefined) return undefined;
  const name = d.name;
  return parts.find((p) => p.opaque || p.names.includes(name));
}

export interface Ordered {
  /** Root causes (sorted), then the diagnostics that follow from them (sorted). */
  diagnostics: Diagnostic[];
  /** How many of them follow from another. */
  consequences: number;
}

/** Marks the diagnostics that follow from a part that did not load and puts them last. */
export function orderByCause(
  diagnostics: readonly Diagnostic[],
  unloaded: readonly UnloadedPart[],
): Ordered {
  const roots: Diagnostic[] = [];
  const follows: Diagnostic[] = [];
  for (const d of diagnostics) {
    const part = unloaded.length ? causeOf(d, unloaded) : undefined;
    if (!part) {
      roots.push(d);
      continue;
    }
    const { file, line, col, code } = part.cause;
    follows.push({ ...d, followsFrom: { file, line, col, code } });
  }
  roots.sort(compareDiagnostics);
  follows.sort(compareDiagnostics);
  return { diagnostics: [...roots, ...follows], consequences: follows.length };
}
