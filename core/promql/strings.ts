/** PromQL string literals: "…" and '…' with Go's escapes, `…` raw. */

const SIMPLE: Readonly<Record<string, string>> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
};

function hexEscape(body: string, i: number, digits: number): [string, number] | null {
  const hex = body.slice(i, i + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const code = parseInt(hex, 16);
  if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return [String.fromCodePoint(code), i + digits];
}

/** One escape after a backslash at `i` (pointing past it): the text and the next index. */
function escapeAt(body: string, i: number, quote: string): [string, number] | null {
  const c = body[i];
  if (c === undefined) return null;
  if (c === quote) return [quote, i + 1];
  if (Object.hasOwn(SIMPLE, c)) return [SIMPLE[c]!, i + 1];
  if (c === "x") return hexEscape(body, i + 1, 2);
  if (c === "u") return hexEscape(body, i + 1, 4);
  if (c === "U") return hexEscape(body, i + 1, 8);
  if (/[0-7]/.test(c)) {
    const oct = body.slice(i, i + 3);
    if (!/^[0-7]{3}$/.test(oct) || parseInt(oct, 8) > 255) return null;
    return [String.fromCharCode(parseInt(oct, 8)), i + 3];
  }
  return null;
}

/**
 * The value of a string literal as written (with its quotes), or an error message and the
 * offset of the bad escape inside the literal.
 */
export function unquote(literal: string): { value: string } | { offset: number; message: string } {
  const quote = literal[0] ?? "";
  const body = literal.slice(1, -1);
  if (quote === "`") return { value: body };
  let out = "";
  for (let i = 0; i < body.length;) {
    const c = body[i]!;
    if (c !== "\\") {
      out += c;
      i++;
      continue;
    }
    const esc = escapeAt(body, i + 1, quote);
    if (!esc) {
      return { offset: i + 1, message: `unknown escape "\\${body[i + 1] ?? ""}" in a string` };
    }
    out += esc[0];
    i = esc[1];
  }
  return { value: out };
}

/** A PromQL double-quoted string holding `value` (JSON's escapes are a subset of Go's). */
export function quote(value: string): string {
  return JSON.stringify(value);
}
