/**
 * A fast YAML writer for the renderer's plain data (mappings, lists of scalars, strings, numbers,
 * booleans): the same bytes as core/canonical.ts's `canonicalYaml` for such data — keys sorted,
 * two-space indent, no folding — at a fraction of the cost, since stack configs hold every server
 * of an environment (at 10,000 servers `canonicalYaml` takes seconds). A string that might need
 * quoting is double-quoted (JSON form, valid YAML); everything else is written plain.
 */
import { cmp } from "../../core/diagnostics.js";
import { LabError } from "../../core/errors.js";

/**
 * Strings YAML reads back as strings when written plain: starting with a letter or digit, no
 * indicators, and a `:` or space only between two ordinary characters (never `: `, ` #`).
 */
const PLAIN_SAFE = /^[A-Za-z0-9](?:[A-Za-z0-9_./@+=,-]|[: ](?=[A-Za-z0-9_./@+=,-]))*$/;

/** Plain scalars YAML 1.2's core schema would read as something other than a string. */
const OTHER_TYPE =
  /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9A-Fa-f_]+|0o[0-7_]+|0b[01_]+|true|True|TRUE|false|False|FALSE|null|Null|NULL|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

type Scalar = string | number | boolean | null;

function isScalar(value: unknown): value is Scalar {
  const t = typeof value;
  return value === null || t === "string" || t === "number" || t === "boolean";
}

function scalar(value: Scalar): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new LabError("INTERNAL", `cannot write number ${value}`);
    return String(value);
  }
  return PLAIN_SAFE.test(value) && !OTHER_TYPE.test(value) ? value : JSON.stringify(value);
}

function writeList(items: readonly unknown[], pad: string, out: string[]): void {
  for (const item of items) {
    if (!isScalar(item)) throw new LabError("INTERNAL", "plainYaml writes lists of scalars only");
    out.push(`${pad}- ${scalar(item)}`);
  }
}

function writeEntry(key: string, value: unknown, pad: string, out: string[]): void {
  const k = scalar(key);
  if (isScalar(value)) {
    out.push(`${pad}${k}: ${scalar(value)}`);
  } else if (Array.isArray(value)) {
    if (!value.length) out.push(`${pad}${k}: []`);
    else {
      out.push(`${pad}${k}:`);
      writeList(value, `${pad}  `, out);
    }
  } else if (typeof value === "object") {
    const lines: string[] = [];
    writeMapping(value, `${pad}  `, lines);
    out.push(lines.length ? `${pad}${k}:` : `${pad}${k}: {}`, ...lines);
  } else {
    throw new LabError("INTERNAL", `plainYaml cannot write a ${typeof value}`);
  }
}

function writeMapping(map: object, pad: string, out: string[]): void {
  const record = map as Readonly<Record<string, unknown>>;
  for (const key of Object.keys(record).sort(cmp)) {
    const value = record[key];
    if (value !== undefined) writeEntry(key, value, pad, out);
  }
}

/** A mapping (any plain object) as YAML with sorted keys and a trailing newline. */
export function plainYaml(document: object): string {
  const out: string[] = [];
  writeMapping(document, "", out);
  return out.length ? out.join("\n") + "\n" : "{}\n";
}
