/**
 * Whether a value from the config fits a Puppet data type as a class parameter declares it:
 * `String[1]`, `Optional[Integer[0, 100]]`, `Enum['a', 'b']`, `Array[String]`, `Variant[…]` …
 * Types it does not know (`Stdlib::Port`, resource types) give null: not checked.
 */

export interface TypeNode {
  name: string;
  args: (TypeNode | number | string)[];
}

/** Parses a type expression; null when it is not one this checker reads. */
export function parseType(text: string): TypeNode | null {
  const p = { text, i: 0 };
  const node = typeAt(p);
  skipSpace(p);
  return node && p.i === text.length ? node : null;
}

type Cursor = { text: string; i: number };

function skipSpace(p: Cursor): void {
  while (p.i < p.text.length && /\s/.test(p.text[p.i]!)) p.i++;
}

function typeAt(p: Cursor): TypeNode | null {
  skipSpace(p);
  const m = /^[A-Z][A-Za-z0-9_]*(::[A-Z][A-Za-z0-9_]*)*/.exec(p.text.slice(p.i));
  if (!m) return null;
  p.i += m[0].length;
  const node: TypeNode = { name: m[0], args: [] };
  skipSpace(p);
  if (p.text[p.i] !== "[") return node;
  p.i++;
  for (;;) {
    skipSpace(p);
    const arg = argAt(p);
    if (arg === null) return null;
    node.args.push(arg);
    skipSpace(p);
    const c = p.text[p.i++];
    if (c === "]") return node;
    if (c !== ",") return null;
  }
}

function argAt(p: Cursor): TypeNode | number | string | null {
  const rest = p.text.slice(p.i);
  const num = /^-?\d+(\.\d+)?/.exec(rest);
  if (num) {
    p.i += num[0].length;
    return Number(num[0]);
  }
  const quote = rest[0];
  if (quote === "'" || quote === '"' || quote === "/") {
    let j = 1;
    let value = "";
    while (j < rest.length && rest[j] !== quote) {
      if (rest[j] === "\\" && quote !== "/") j++;
      value += rest[j] ?? "";
      j++;
    }
    p.i += j + 1;
    return quote === "/" ? `/${value}/` : value;
  }
  if (rest.startsWith("default")) {
    p.i += "default".length;
    return "default";
  }
  if (rest[0] === "{") return null; // Struct[{…}]: not read here
  return typeAt(p);
}

function bounds(args: TypeNode["args"], from: number): [number, number] {
  const lo = args[from];
  const hi = args[from + 1];
  return [typeof lo === "number" ? lo : -Infinity, typeof hi === "number" ? hi : Infinity];
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** All of `results`: false if any is false, else null if any is null, else true. */
function all(results: readonly (boolean | null)[]): boolean | null {
  if (results.includes(false)) return false;
  return results.includes(null) ? null : true;
}

const ANY = new Set(["Any", "Data", "RichData", "Variant", "Default"]);

/** True, false, or null when the type is one this checker does not know. */
export function fits(type: TypeNode, value: unknown): boolean | null {
  const { name, args } = type;
  const sub = (i: number): TypeNode | null => {
    const arg = args[i];
    return arg !== undefined && typeof arg === "object" ? arg : null;
  };
  switch (name) {
    case "Optional":
      return value === null ? true : sub(0) ? fits(sub(0)!, value) : true;
    case "NotUndef":
      return value === null ? false : sub(0) ? fits(sub(0)!, value) : true;
    case "Undef":
      return value === null;
    case "String": {
      if (typeof value !== "string") return false;
      const [min, max] = bounds(args, 0);
      return value.length >= min && value.length <= max;
    }
    case "Integer":
    case "Float":
    case "Numeric": {
      if (typeof value !== "number" || (name === "Integer" && !Number.isInteger(value))) {
        return false;
      }
      const [min, max] = bounds(args, 0);
      return value >= min && value <= max;
    }
    case "Boolean":
      return typeof value === "boolean";
    case "Enum":
      return typeof value === "string" && args.some((a) => a === value);
    case "Pattern":
      return typeof value === "string" ? null : false;
    case "Scalar":
    case "ScalarData":
      return ["string", "number", "boolean"].includes(typeof value);
    case "Array":
    case "Tuple": {
      if (!Array.isArray(value)) return false;
      const item = name === "Array" ? sub(0) : null;
      return item ? all(value.map((v) => fits(item, v))) : name === "Array" ? true : null;
    }
    case "Hash":
    case "Struct": {
      if (!isMapping(value)) return false;
      const of = name === "Hash" ? sub(1) : null;
      return of ? all(Object.values(value).map((v) => fits(of, v))) : name === "Hash" ? true : null;
    }
    default: {
      if (name === "Variant") {
        const results = args.map((a) => (typeof a === "object" ? fits(a, value) : null));
        return results.includes(true) ? true : results.includes(null) ? null : false;
      }
      return ANY.has(name) ? true : null;
    }
  }
}

/** `a whole number`, `a string`, … — the kind of a config value, for messages. */
export function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number") return `the number ${value}`;
  return typeof value === "boolean" ? String(value) : typeof value;
}
