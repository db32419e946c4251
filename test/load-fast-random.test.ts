/**
 * Property-style check of the fast parse path: thousands of seeded random YAML documents (block
 * and flow mappings and lists, plain/quoted/block scalars of every core type, comments, odd
 * indentation, unicode, empty values, and now and then a construct the fast path must leave to
 * the reference: tags, anchors, duplicates, tabs, bad indentation). For each, the fast path (or
 * its fallback) must give exactly what the reference path gives.
 */
import { describe, expect, it } from "vitest";
import { int, mulberry32, type Rng } from "../bench/prng.js";
import { compareParse } from "./load-parse-compare.js";

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[int(rng, items.length)]!;
}

const PLAIN = [
  "0",
  "-0",
  "+7",
  "42",
  "007",
  "0o17",
  "0x1F",
  "0b11",
  "1_000",
  "99999999999999999999",
  "1.5",
  "-.5",
  "1.",
  "2e3",
  "+1E-2",
  ".inf",
  "-.Inf",
  ".NaN",
  "true",
  "False",
  "TRUE",
  "yes",
  "off",
  "~",
  "null",
  "Null",
  "2001-12-14",
  "12:30",
  "<<",
  "=",
  "a b c",
  "web-01",
  "k8s::worker",
  "mail/tls-cert",
  "über",
  "日本語",
  "🙂 ok",
  "a#b",
  "a:b",
  "x - y",
  "1.2.3",
  "-",
  "-a",
  "memory_usage_percent > 90",
  "up == 0",
  "a'b",
  'a"b',
  "[no",
  "%x",
  "x%",
  "50%",
];
const KEYS = [
  "a",
  "b",
  "name",
  "web-01",
  "k8s::worker",
  "80",
  "0x10",
  "1.0",
  "true",
  "über",
  "日本",
  "with space",
  "__proto__",
  "<<",
  "-x",
  "a.b",
  "null",
];
const ESCAPES = [
  "\\n",
  "\\t",
  "\\\\",
  '\\"',
  "\\x41",
  "\\u00e9",
  "\\U0001F600",
  "\\0",
  "\\e",
  "\\_",
  "\\N",
  "\\/",
  "\\ ",
];

function quoted(rng: Rng): string {
  const base = pick(rng, PLAIN);
  if (rng.next() < 0.5) return `'${base.replaceAll("'", "''")}'`;
  const esc = rng.next() < 0.5 ? pick(rng, ESCAPES) : "";
  return `"${base.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}${esc}"`;
}

function key(rng: Rng, suffix: number): string {
  const k = `${pick(rng, KEYS)}${suffix}`;
  const r = rng.next();
  if (r < 0.15) return `"${k}"`;
  if (r < 0.25) return `'${k}'`;
  return /^(-x|<<)/.test(k) ? `"${k}"` : k;
}

function scalar(rng: Rng): string {
  const r = rng.next();
  if (r < 0.6)
    return pick(
      rng,
      PLAIN.filter((p) => !/^[-%[]|^-$|#|: /.test(p)),
    );
  if (r < 0.95) return quoted(rng);
  return "";
}

function blockScalar(rng: Rng, indent: number): string {
  const header = pick(rng, ["|", ">", "|-", ">-", "|+", ">+", "|2"]);
  const pad = " ".repeat(indent + (header === "|2" ? 2 : 1 + int(rng, 2)));
  const lines = Array.from({ length: 1 + int(rng, 3) }, () =>
    rng.next() < 0.2 ? "" : pad + pick(rng, PLAIN) + (rng.next() < 0.2 ? "  more" : ""),
  );
  if (rng.next() < 0.2) lines.push("");
  return `${header}\n${lines.join("\n")}`;
}

function flow(rng: Rng, depth: number): string {
  if (depth > 2 || rng.next() < 0.5) return rng.next() < 0.3 ? quoted(rng) : scalar(rng) || "x";
  if (rng.next() < 0.5) {
    const items = Array.from({ length: int(rng, 4) }, () => flow(rng, depth + 1));
    return `[${items.join(pick(rng, [", ", ",", " , "]))}]`;
  }
  const pairs = Array.from(
    { length: int(rng, 4) },
    (_, i) => `${key(rng, i)}: ${flow(rng, depth + 1)}`,
  );
  return `{${pairs.join(", ")}}`;
}

function comment(rng: Rng): string {
  return rng.next() < 0.15 ? `  # ${pick(rng, PLAIN)}` : "";
}

/** A block node's lines under a parent at `indent` (the value of a key or an item). */
function block(rng: Rng, indent: number, depth: number): string[] {
  const step = pick(rng, [2, 2, 2, 1, 3, 4]);
  const pad = " ".repeat(indent + step);
  if (depth > 3 || rng.next() < 0.2) return [];
  if (rng.next() < 0.6) {
    const lines: string[] = [];
    const count = 1 + int(rng, 4);
    for (let i = 0; i < count; i++) lines.push(...entry(rng, pad, key(rng, i), depth));
    return lines;
  }
  const dashPad = rng.next() < 0.3 && indent > 0 ? " ".repeat(indent) : pad;
  return Array.from({ length: 1 + int(rng, 3) }, () => {
    const v = value(rng, dashPad.length, depth);
    return v.inline !== null
      ? [`${dashPad}- ${v.inline}${comment(rng)}`]
      : [`${dashPad}-${comment(rng)}`, ...v.lines];
  }).flat();
}

function value(
  rng: Rng,
  indent: number,
  depth: number,
): { inline: string | null; lines: string[] } {
  const r = rng.next();
  if (r < 0.45) return { inline: scalar(rng), lines: [] };
  if (r < 0.6) return { inline: flow(rng, 0), lines: [] };
  if (r < 0.67) return { inline: blockScalar(rng, indent), lines: [] };
  const lines = block(rng, indent, depth + 1);
  return lines.length ? { inline: null, lines } : { inline: scalar(rng), lines: [] };
}

function entry(rng: Rng, pad: string, k: string, depth: number): string[] {
  const out: string[] = [];
  if (rng.next() < 0.1) out.push(rng.next() < 0.5 ? "" : `${pad}# ${pick(rng, PLAIN)}`);
  const v = value(rng, pad.length, depth);
  if (v.inline !== null) out.push(`${pad}${k}: ${v.inline}${comment(rng)}`.replace(/ +$/, ""));
  else out.push(`${pad}${k}:${comment(rng)}`, ...v.lines);
  return out;
}

/** Constructs the fast path must leave to the reference path, spliced into a document. */
const SPOILERS: ((text: string, rng: Rng) => string)[] = [
  (t) => `${t}a0: 1\na0: 2\n`,
  (t) => `${t}t: !!binary aGk=\n`,
  (t) => `${t}t: !local x\n`,
  (t) => `${t}an: &x [1]\nal: *x\n`,
  (t) => `${t}tab:\n\tx: 1\n`,
  (t) => `${t}bad:\n  x: 1\n y: 2\n`,
  (t) => `---\n${t}`,
  (t) => `${t}---\nz: 1\n`,
  (t) => t.replaceAll("\n", "\r\n"),
  (t) => `${t}? k\n: v\n`,
  (t) => `${t}s: [a, b\n`,
  (t, rng) => t.slice(0, int(rng, t.length)),
];

export function randomDocument(rng: Rng): string {
  const lines: string[] = [];
  if (rng.next() < 0.2) lines.push(`# ${pick(rng, PLAIN)}`);
  const count = 1 + int(rng, 5);
  for (let i = 0; i < count; i++) lines.push(...entry(rng, "", key(rng, i), 0));
  let text = lines.join("\n") + (rng.next() < 0.9 ? "\n" : "");
  if (rng.next() < 0.15) text = pick(rng, SPOILERS)(text, rng);
  return text;
}

describe("the fast parse path on random documents", () => {
  it("gives exactly the reference result for 4,000 seeded random documents", () => {
    let fast = 0;
    const total = 4000;
    for (let seed = 1; seed <= total; seed++) {
      const text = randomDocument(mulberry32(seed));
      const c = compareParse(`r${seed}.yaml`, text);
      expect(c.actual, `seed ${seed}:\n${text}`).toEqual(c.reference);
      if (c.fast) fast += 1;
    }
    // Most documents are plain enough for the fast path: the comparison is not vacuous.
    expect(fast).toBeGreaterThan(total / 2);
  });
});
