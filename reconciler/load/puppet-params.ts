/**
 * The parameter list of a Puppet class definition: `class x (Type $name = default, …)`. A small
 * scanner that knows strings, comments and brackets — enough to split the list at its commas and
 * tell each parameter's type, name and whether it has a default. Anything it cannot read gives
 * null (the class's parameters are then not checked), never a wrong list.
 */
export interface ClassParam {
  name: string;
  /** The type as written (`Optional[Integer[0, 100]]`), or null when the parameter has none. */
  type: string | null;
  hasDefault: boolean;
  /** Offset of the `$` in the file's text. */
  offset: number;
}

const OPEN: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };

/** Where the string, comment or regex starting at `i` ends (the index after it). */
function skipLiteral(text: string, i: number): number {
  const c = text[i]!;
  if (c === "#") {
    const nl = text.indexOf("\n", i);
    return nl === -1 ? text.length : nl;
  }
  if (c === "/" && text[i + 1] === "*") {
    const end = text.indexOf("*/", i + 2);
    return end === -1 ? text.length : end + 2;
  }
  // A quoted string, or a /regex/ (in Pattern[]).
  let j = i + 1;
  while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
  return j + 1;
}

function startsLiteral(text: string, i: number): boolean {
  const c = text[i]!;
  if (c === "'" || c === '"' || c === "#") return true;
  if (c !== "/") return false;
  // A regex follows `[` or `,` in a type; a comment starts with /*.
  if (text[i + 1] === "*") return true;
  const before = text.slice(0, i).trimEnd();
  return before.endsWith("[") || before.endsWith(",");
}

/** The parameter chunks between `(` at `open` and its `)`, split at top-level commas. */
function chunks(text: string, open: number): { text: string; offset: number }[] | null {
  const out: { text: string; offset: number }[] = [];
  const stack: string[] = [];
  let start = open + 1;
  for (let i = open + 1; i < text.length;) {
    if (startsLiteral(text, i)) {
      i = skipLiteral(text, i);
      continue;
    }
    const c = text[i]!;
    if (OPEN[c]) stack.push(OPEN[c]);
    else if (c === ")" || c === "]" || c === "}") {
      if (stack.length === 0) {
        if (c !== ")") return null;
        out.push({ text: text.slice(start, i), offset: start });
        return out;
      }
      if (stack.pop() !== c) return null;
    } else if (c === "," && stack.length === 0) {
      out.push({ text: text.slice(start, i), offset: start });
      start = i + 1;
    }
    i += 1;
  }
  return null;
}

/** Blanks out comments, so they cannot be mistaken for a type or a name. */
function withoutComments(chunk: string): string {
  let out = "";
  for (let i = 0; i < chunk.length;) {
    if (chunk[i] === "#" || (chunk[i] === "/" && chunk[i + 1] === "*")) {
      const end = skipLiteral(chunk, i);
      out += " ".repeat(end - i);
      i = end;
    } else if (chunk[i] === "'" || chunk[i] === '"') {
      const end = skipLiteral(chunk, i);
      out += chunk.slice(i, end);
      i = end;
    } else {
      out += chunk[i];
      i += 1;
    }
  }
  return out;
}

const NAME = /^\$([a-z_][a-zA-Z0-9_]*)\s*(=[\s\S]*)?$/;

/** The index of the parameter's `$`: the first one outside brackets and literals. */
function dollarAt(chunk: string): number {
  let depth = 0;
  for (let i = 0; i < chunk.length;) {
    if (startsLiteral(chunk, i)) {
      i = skipLiteral(chunk, i);
      continue;
    }
    const c = chunk[i]!;
    if (OPEN[c]) depth += 1;
    else if (c === ")" || c === "]" || c === "}") depth -= 1;
    else if (c === "$" && depth === 0) return i;
    i += 1;
  }
  return -1;
}

/**
 * The parameters of the class whose name ends at `after` in `text`: [] for a class without a
 * parameter list, null when the list cannot be read.
 */
export function classParams(text: string, after: number): ClassParam[] | null {
  let i = after;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  if (text[i] !== "(") return [];
  const parts = chunks(text, i);
  if (!parts) return null;
  const params: ClassParam[] = [];
  for (const part of parts) {
    const clean = withoutComments(part.text);
    if (clean.trim() === "") continue;
    const at = dollarAt(clean);
    const m = at === -1 ? null : NAME.exec(clean.slice(at).trim());
    if (!m) return null;
    const type = clean.slice(0, at).trim();
    params.push({
      name: m[1]!,
      type: type === "" ? null : type,
      hasDefault: m[2] !== undefined,
      offset: part.offset + at,
    });
  }
  return params;
}
