/** A diagnostic as `-o json` and `-o yaml` print it. */
import type { Diagnostic } from "../core/diagnostics.js";

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file: d.file,
    line: d.line,
    col: d.col,
    severity: d.severity,
    code: d.code,
    pointer: d.pointer,
    message: d.message,
  };
  if (d.fix) out.fix = d.fix;
  if (d.related?.length) out.related = d.related;
  if (d.followsFrom) out.followsFrom = d.followsFrom;
  return out;
}
