/** What semantic checks share: safe access to the config, schema results, and a reporter. */
import type { Diagnostic, DiagnosticCode, Severity, SourcePos } from "../../core/diagnostics.js";
import { escapeToken, parsePointer, toPointer } from "../../core/json-pointer.js";
import type { LoadedRepo } from "../../core/model.js";

export interface ReportOptions {
  severity?: Severity;
  /** Locate the key rather than the value. */
  key?: boolean;
  fix?: string;
  related?: SourcePos[];
  /** A position outside the config (Puppet code); the pointer is then only informative. */
  at?: SourcePos;
  /** The name the diagnostic is about, when it says a name is not defined. */
  name?: string;
}

export interface CheckContext {
  repo: LoadedRepo;
  /** True when the schema found nothing wrong at, above or below `pointer`. */
  ok(pointer: string): boolean;
  report(code: DiagnosticCode, pointer: string, message: string, options?: ReportOptions): void;
}

export type Json = Readonly<Record<string, unknown>>;

export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const entriesMemo = new WeakMap<object, readonly [string, Json][]>();

/**
 * The entries of a map section that are mappings themselves (others failed the schema). Every
 * rule walks the servers: the list is made once per section object (the config is read-only).
 */
export function entriesOf(section: unknown): readonly [string, Json][] {
  if (!isRecord(section)) return [];
  let entries = entriesMemo.get(section);
  if (!entries) {
    entries = Object.entries(section).filter((e): e is [string, Json] => isRecord(e[1]));
    entriesMemo.set(section, entries);
  }
  return entries;
}

/** The keys of a map section. */
export function namesOf(section: unknown): Set<string> {
  return new Set(isRecord(section) ? Object.keys(section) : []);
}

/** `name` or `[names]` as [value, pointer] pairs; other shapes give nothing. */
export function nameItems(value: unknown, pointer: string): [string, string][] {
  if (typeof value === "string") return [[value, pointer]];
  if (!Array.isArray(value)) return [];
  const out: [string, string][] = [];
  value.forEach((v: unknown, i) => {
    if (typeof v === "string") out.push([v, `${pointer}/${i}`]);
  });
  return out;
}

export function child(pointer: string, ...tokens: (string | number)[]): string {
  return pointer + tokens.map((t) => "/" + escapeToken(t)).join("");
}

/** Pointers that the schema flagged, and every ancestor of them. */
function schemaIndex(pointers: readonly string[]): { flagged: Set<string>; above: Set<string> } {
  const flagged = new Set(pointers);
  const above = new Set<string>();
  for (const p of pointers) {
    const tokens = parsePointer(p);
    for (let i = 0; i < tokens.length; i++) above.add(toPointer(tokens.slice(0, i)));
  }
  return { flagged, above };
}

export function createContext(
  repo: LoadedRepo,
  schemaPointers: readonly string[],
): { context: CheckContext; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { flagged, above } = schemaIndex(schemaPointers);
  const context: CheckContext = {
    repo,
    ok(pointer) {
      if (flagged.size === 0) return true;
      if (above.has(pointer) || flagged.has(pointer)) return false;
      for (let i = pointer.lastIndexOf("/"); i > 0; i = pointer.lastIndexOf("/", i - 1)) {
        if (flagged.has(pointer.slice(0, i))) return false;
      }
      return true;
    },
    report(code, pointer, message, options = {}) {
      const pos = options.at ?? repo.sources.locate(pointer, { key: options.key ?? false });
      diagnostics.push({
        ...pos,
        severity: options.severity ?? "error",
        code,
        pointer,
        message,
        ...(options.fix ? { fix: options.fix } : {}),
        ...(options.related ? { related: options.related } : {}),
        ...(options.name !== undefined ? { name: options.name } : {}),
      });
    },
  };
  return { context, diagnostics };
}
