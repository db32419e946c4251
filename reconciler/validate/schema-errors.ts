/** Turns ajv's errors into one clear problem per location, with stable codes. */
import type { ErrorObject } from "ajv";
import type { DiagnosticCode } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import { didYouMean } from "../../core/suggest.js";
import { fieldOf, listNames, placeOf, showValue, typeWords } from "./describe.js";

/** A schema problem before it is located in the YAML. */
export interface SchemaProblem {
  code: DiagnosticCode;
  pointer: string;
  /** Locate the key rather than the value (unknown keys, bad names). */
  key: boolean;
  message: string;
  fix?: string;
}

type Schema = Record<string, unknown>;
type Defs = Readonly<Record<string, unknown>>;

/** What the patterns of the schemas mean, in words. */
const PATTERN_WORDS: Readonly<Record<string, string>> = {
  "^[A-Za-z0-9][A-Za-z0-9_.-]*$":
    "letters, digits, '.', '_' and '-', starting with a letter or digit",
  "^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$":
    "a host name: letters, digits, '.' and '-', starting and ending with a letter or digit",
  "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$": "a path such as mail/tls-cert",
  "^(::)?[a-z][a-z0-9_]*(::[a-z][a-z0-9_]*)*$": "a Puppet class name such as postgresql::server",
  "^[0-9]+(\\.[0-9]+)?\\s*(MB|GB|TB|MiB|GiB|TiB)$": "an amount such as 8GB, 8192MB or 1TB",
  "^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$": "a MAC address such as aa:bb:cc:dd:ee:01",
  "^[a-zA-Z_][a-zA-Z0-9_]*$": "letters, digits and '_', not starting with a digit",
  "^[a-z0-9_]+$": "lowercase letters, digits and '_'",
};

function deref(schema: unknown, defs: Defs): Schema {
  const s = (schema ?? {}) as Schema;
  const ref = typeof s.$ref === "string" ? /^#\/\$defs\/(.+)$/.exec(s.$ref) : null;
  return ref ? deref(defs[ref[1]!], defs) : s;
}

function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function typeAccepts(type: unknown, actual: string): boolean {
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + "/");
}

/**
 * Whether an error at a oneOf's own location comes from a branch other than `own` (the one the
 * value's type picks): a failed `type`, or an `enum`/`const` that `own` does not have. Other
 * keywords only apply to the value's own type, so they come from `own`.
 */
function fromOtherBranch(e: ErrorObject, own: Schema): boolean {
  if (e.keyword === "type") return true;
  if (e.keyword === "enum" || e.keyword === "const") return !(e.keyword in own);
  return false;
}

/** `One name or a list of names (any of them).` -> `one name or a list of names`. */
function oneOfWords(schema: Schema, defs: Defs): string {
  if (typeof schema.description === "string") {
    const d = schema.description.replace(/\s*\(.*\)\.?$/, "").replace(/\.$/, "");
    return d.charAt(0).toLowerCase() + d.slice(1);
  }
  const branches = (schema.oneOf as unknown[]).map((b) => typeWords(deref(b, defs).type));
  return branches.join(" or ");
}

/**
 * ajv reports every failed branch of a `oneOf`. When the value's type picks one branch, only
 * that branch's errors are kept; when it picks none, one "expected X or Y" problem replaces them.
 */
function collapseOneOf(
  errors: ErrorObject[],
  defs: Defs,
): { rest: ErrorObject[]; problems: SchemaProblem[] } {
  let rest = errors;
  const problems: SchemaProblem[] = [];
  for (const e of errors.filter((x) => x.keyword === "oneOf")) {
    const at = e.instancePath;
    const parent = (e.parentSchema ?? {}) as Schema;
    const branches = ((parent.oneOf as unknown[] | undefined) ?? []).map((b) => deref(b, defs));
    const actual = jsonType(e.data);
    const matching = branches.filter((b) => typeAccepts(b.type, actual));
    if (matching.length === 1) {
      const own = matching[0]!;
      rest = rest.filter((x) => x !== e && !(x.instancePath === at && fromOtherBranch(x, own)));
      continue;
    }
    rest = rest.filter((x) => x.propertyName !== undefined || !under(x.instancePath, at));
    problems.push({
      code: "LAB101",
      pointer: at,
      key: false,
      message: `${placeOf(at)}: expected ${oneOfWords(parent, defs)}, got ${showValue(e.data)}`,
    });
  }
  return { rest, problems };
}

function propertyNameProblem(e: ErrorObject): SchemaProblem {
  const name = e.propertyName ?? "";
  const pointer = `${e.instancePath}/${escapeToken(name)}`;
  const where = placeOf(e.instancePath);
  if (e.keyword === "enum") {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
    return {
      code: "LAB103",
      pointer,
      key: true,
      message: `${where}: key "${name}" is not allowed${didYouMean(name, allowed)}; valid: ${allowed.join(", ")}`,
    };
  }
  return {
    code: "LAB104",
    pointer,
    key: true,
    message: `${where}: invalid name "${name}": ${detail(e)}`,
  };
}

function detail(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "pattern": {
      const pattern = String(p.pattern);
      return `expected ${PATTERN_WORDS[pattern] ?? `text matching ${pattern}`}`;
    }
    case "maxLength":
      return `longer than ${String(p.limit)} characters`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `must be ${String(p.comparison)} ${String(p.limit)}`;
    default:
      return e.message ?? e.keyword;
  }
}

function additionalProblem(e: ErrorObject): SchemaProblem {
  const extra = (e.params as { additionalProperty: string }).additionalProperty;
  const allowed = Object.keys(((e.parentSchema ?? {}) as Schema).properties ?? {});
  return {
    code: "LAB100",
    pointer: `${e.instancePath}/${escapeToken(extra)}`,
    key: true,
    message: `${placeOf(e.instancePath)}: unknown key "${extra}"${didYouMean(extra, allowed)}; allowed keys: ${listNames(allowed)}`,
  };
}

function requiredProblem(e: ErrorObject, defs: Defs): SchemaProblem {
  const missing = (e.params as { missingProperty: string }).missingProperty;
  const props = (((e.parentSchema ?? {}) as Schema).properties ?? {}) as Record<string, unknown>;
  const values = deref(props[missing], defs).enum as unknown[] | undefined;
  const fix = values
    ? `add ${missing}: one of ${values.map(String).join(", ")}`
    : `add ${missing}: …`;
  return {
    code: "LAB102",
    pointer: `${e.instancePath}/${escapeToken(missing)}`,
    key: true,
    message: `${placeOf(e.instancePath)}: missing required key "${missing}"`,
    fix,
  };
}

function valueProblem(e: ErrorObject): SchemaProblem {
  const at = e.instancePath;
  const base = { pointer: at, key: false };
  if (e.keyword === "type") {
    const type = (e.params as { type: unknown }).type;
    return {
      ...base,
      code: "LAB101",
      message: `${placeOf(at)}: expected ${typeWords(type)}, got ${showValue(e.data)}`,
    };
  }
  if (e.keyword === "enum") {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
    const bad = String(e.data);
    return {
      ...base,
      code: "LAB103",
      message: `${placeOf(at)}: ${fieldOf(at)} "${bad}" is not allowed${didYouMean(bad, allowed)}; valid: ${allowed.join(", ")}`,
    };
  }
  return {
    ...base,
    code: "LAB104",
    message: `${placeOf(at)}: ${showValue(e.data)} does not fit: ${detail(e)}`,
  };
}

/** One problem per ajv error that still matters, de-duplicated, in a stable order. */
export function mapSchemaErrors(errors: readonly ErrorObject[], defs: Defs): SchemaProblem[] {
  const useful = errors.filter((e) => e.keyword !== "propertyNames");
  const { rest, problems } = collapseOneOf(useful, defs);
  const mistyped = new Set(rest.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const e of rest) {
    if (e.keyword !== "type" && e.propertyName === undefined && mistyped.has(e.instancePath)) {
      continue;
    }
    if (e.propertyName !== undefined) problems.push(propertyNameProblem(e));
    else if (e.keyword === "additionalProperties") problems.push(additionalProblem(e));
    else if (e.keyword === "required") problems.push(requiredProblem(e, defs));
    else problems.push(valueProblem(e));
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.code} ${p.pointer} ${p.message}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
