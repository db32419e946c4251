/**
 * Both parse paths side by side: what a ParsedFile says, in a form two separate parses can be
 * compared by (positions are keyed by object identity, so they are listed by pointer).
 */
import type { ContainerPos } from "../reconciler/load/positions.js";
import { parseYamlFast } from "../reconciler/load/yaml-fast.js";
import { parseYamlFile, type ParsedFile } from "../reconciler/load/yaml-file.js";

export interface ParsedDigest {
  path: string;
  sops: boolean;
  diagnostics: unknown;
  cause: unknown;
  /** The data written out with its types: -0, NaN, infinities and key order included. */
  sections: string;
  lineStarts: readonly number[] | null;
  root: number | null;
  containers: { pointer: string; keys?: string[]; at: number[] }[];
}

function listContainers(
  value: unknown,
  pointer: string,
  containers: ReadonlyMap<object, ContainerPos>,
  out: ParsedDigest["containers"],
): void {
  if (value === null || typeof value !== "object") return;
  const pos = containers.get(value);
  out.push(
    pos
      ? { pointer, ...(pos.keys ? { keys: [...pos.keys] } : {}), at: [...pos.at] }
      : { pointer, at: [-1] },
  );
  for (const [k, v] of Object.entries(value)) listContainers(v, `${pointer}/${k}`, containers, out);
}

/** A value as text that tells every type apart (JSON would merge -0 and 0, NaN and null). */
export function canonical(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "number") return Object.is(value, -0) ? "num:-0" : `num:${value}`;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean" || typeof value === "bigint") return `${typeof value}:${value}`;
  if (typeof value !== "object") return typeof value;
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const entries = Object.keys(value).map(
    (k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`,
  );
  return `{${entries.join(",")}}`;
}

export function digest(file: ParsedFile): ParsedDigest {
  const containers: ParsedDigest["containers"] = [];
  if (file.positions)
    listContainers(file.positions.value, "", file.positions.containers, containers);
  return {
    path: file.path,
    sops: file.sops,
    diagnostics: file.diagnostics,
    cause: file.cause,
    sections: canonical(file.sections),
    lineStarts: file.positions ? [...file.positions.lineStarts] : null,
    root: file.positions?.root ?? null,
    containers,
  };
}

/** What the fast path did with a text: parsed it (and the digest), or left it to the reference. */
export interface Comparison {
  fast: boolean;
  reference: ParsedDigest;
  /** The fast path's digest, or the reference's when it fell back. */
  actual: ParsedDigest;
}

export function compareParse(path: string, text: string): Comparison {
  const reference = digest(parseYamlFile(path, text));
  const fast = parseYamlFast(path, text);
  return { fast: fast !== null, reference, actual: fast ? digest(fast) : reference };
}
