/** Everything wrong with user input is a Diagnostic, never an exception. */

export type Severity = "error" | "warning";

/**
 * Stable diagnostic codes. The number never changes meaning once released; tests under
 * test/invalid/ hold one repo per code with its expected diagnostics.
 */
export const DIAGNOSTIC_CODES = {
  // loading (files, YAML)
  LAB001: "YAML syntax error",
  LAB002: "file is not a mapping of sections",
  LAB003: "file too large",
  LAB004: "too many aliases (YAML bomb)",
  LAB005: "duplicate key in a mapping",
  LAB006: "file cannot be read",
  LAB007: "file is not valid UTF-8",
  LAB008: "file holds more than one YAML document",
  LAB009: "YAML tag or value type lab does not read",
  LAB010: "unknown section",
  LAB011: "defined twice",
  LAB012: "not a config repo",
  // schema (ajv)
  LAB100: "unknown key",
  LAB101: "wrong type",
  LAB102: "missing required key",
  LAB103: "value not allowed",
  LAB104: "value does not match the expected form",
  // references and semantics
  LAB200: "unknown label",
  LAB201: "unknown group",
  LAB202: "unknown server",
  LAB203: "unknown secret",
  LAB204: "unknown size",
  LAB205: "unknown check",
  LAB206: "size has no mapping for the server's provider",
  LAB207: "server lacks what its provider needs to create it",
  LAB208: "unknown environment",
  LAB209: "unknown region",
  LAB210: "group cycle",
  LAB212: "class parameter does not fit the Puppet class",
  LAB213: "server name is not a valid Puppet certname",
  LAB220: "malformed duration",
  LAB221: "malformed condition",
  LAB222: "alert has neither condition nor expr, or both",
  LAB223: "malformed PromQL expression",
  LAB224: "malformed annotation template",
  LAB230: "selector matches nothing",
} as const;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface SourcePos {
  /** Path relative to the repo root, with forward slashes. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

export interface Diagnostic extends SourcePos {
  severity: Severity;
  code: DiagnosticCode;
  /** JSON pointer into the merged config (RFC 6901), e.g. /servers/web-01/size; "" for a whole file. */
  pointer: string;
  /** Names the bad value and the valid choices. */
  message: string;
  /** How to fix it, where known. */
  fix?: string;
  /** Other places involved (the first definition of a duplicate, the members of a cycle). */
  related?: SourcePos[];
  /** The name a "not defined" diagnostic is about (an unknown size's name, …). */
  name?: string;
  /**
   * Set when this diagnostic follows from another (a name that a file which failed to load may
   * define): where that root cause is.
   */
  followsFrom?: SourcePos & { code: DiagnosticCode };
}

export interface Diagnosed<T> {
  value: T;
  diagnostics: Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sort key: file, line, col, code, message — so output never depends on discovery order. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.col - b.col ||
    cmp(a.code, b.code) ||
    cmp(a.pointer, b.pointer) ||
    cmp(a.message, b.message)
  );
}

export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `file:line:col: severity CODE message` — the one-line form `lab validate` prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const fix = d.fix ? ` (fix: ${d.fix})` : "";
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code} ${d.message}${fix}`;
}
