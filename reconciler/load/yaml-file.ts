/**
 * One config file: parsed once with positions, turned into plain data by a single walk that also
 * finds duplicate keys and bounds alias expansion (YAML bombs).
 */
import {
  LineCounter,
  parseDocument,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from "yaml";
import { compareDiagnostics, type Diagnostic } from "../../core/diagnostics.js";
import type { FilePositions } from "./positions.js";
import { CORE_TAGS, yamlProblems } from "./yaml-problems.js";
import { diagnosticAt, nodePos, offsetOf, WalkAbort, Walker } from "./yaml-walker.js";

export { formatPos, MAX_ALIAS_EXPANSION, MAX_DEPTH, scalarKey } from "./yaml-walker.js";

/** A file while it is parsed; only its compact positions are kept afterwards. */
interface YamlFile {
  path: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export interface ParsedFile {
  path: string;
  /** Where everything in `sections` is; null when the file is broken or not a mapping. */
  positions: FilePositions | null;
  /** Top-level keys as plain data; null when the file is broken or not a mapping. */
  sections: Record<string, unknown> | null;
  /** The file has a top-level `sops:` key: it belongs to the secrets backend. */
  sops: boolean;
  diagnostics: Diagnostic[];
  /** Why the file did not load (the first of the problems that drop it); null when it loaded. */
  cause: Diagnostic | null;
}

/**
 * How every config file is parsed: YAML 1.2 (or 1.1 where the file says `%YAML 1.1`) with only
 * the core schema's tags, so that every other tag (`!!binary`, `!!set`, `!!timestamp`, `!Ref`, …)
 * is reported where it is written instead of turning into bytes, dates or sets; no merge keys;
 * duplicate keys are found by the walk.
 */
export const YAML_PARSE_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  uniqueKeys: false,
  prettyErrors: false,
  merge: false,
  resolveKnownTags: false,
  customTags: (tags) => tags.filter((tag) => typeof tag !== "string" && CORE_TAGS.has(tag.tag)),
};

/** Problems that drop a file rather than one of its values. */
function dropping(d: Diagnostic): boolean {
  return d.severity === "error" && d.code !== "LAB005";
}

/** A file that did not load: its diagnostics, and the first that drops it as the cause. */
export function brokenFile(path: string, diagnostics: Diagnostic[]): ParsedFile {
  const causes = diagnostics.filter(dropping).sort(compareDiagnostics);
  return {
    path,
    positions: null,
    sections: null,
    sops: false,
    diagnostics,
    cause: causes[0] ?? null,
  };
}

/** Parses one file's text. Never throws on bad input: every problem is a diagnostic. */
export function parseYamlFile(path: string, raw: string): ParsedFile {
  const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...YAML_PARSE_OPTIONS, lineCounter: lines });
  const yaml: YamlFile = { path, doc, lines };
  const problems = yamlProblems({ path, text, lineStarts: lines.lineStarts }, doc);
  const tagged = (): Diagnostic[] => problems.tags.map((t) => t.diagnostic);
  if (problems.fatal.length > 0) {
    return brokenFile(path, [...problems.fatal, ...tagged(), ...problems.warnings]);
  }
  const walker = new Walker(yaml, problems.tags);
  let value: unknown;
  try {
    value = walker.toValue(doc.contents, 0);
  } catch (err) {
    if (err instanceof WalkAbort) {
      return brokenFile(path, [err.diagnostic, ...tagged(), ...problems.warnings]);
    }
    throw err;
  }
  if (problems.tags.length > 0) {
    return brokenFile(path, [...tagged(), ...walker.diagnostics, ...problems.warnings]);
  }
  const positions: FilePositions = {
    path,
    lineStarts: lines.lineStarts,
    root: offsetOf(doc.contents),
    value,
    containers: walker.containers,
  };
  return toParsedFile(yaml, positions, [...walker.diagnostics, ...problems.warnings]);
}

function toParsedFile(
  yaml: YamlFile,
  positions: FilePositions,
  diagnostics: Diagnostic[],
): ParsedFile {
  const value = positions.value;
  const base = { path: yaml.path, positions, diagnostics, cause: null };
  if (value === null || value === undefined) return { ...base, sections: {}, sops: false };
  if (typeof value !== "object" || Array.isArray(value)) {
    const got = Array.isArray(value) ? "a list" : `the ${typeof value} ${JSON.stringify(value)}`;
    const d = diagnosticAt(
      nodePos(yaml, yaml.doc.contents),
      "LAB002",
      "",
      `a config file must be a mapping of sections (lab, labels, groups, alerts, sizes, servers, secrets), got ${got}`,
    );
    return brokenFile(yaml.path, [...diagnostics, d]);
  }
  const sections = value as Record<string, unknown>;
  return { ...base, sections, sops: Object.hasOwn(sections, "sops") };
}
