/**
 * What the `yaml` package reports about a file, sorted into lab's diagnostics: the first syntax
 * error (LAB001; what follows one is mostly the parser losing its way), a second document
 * (LAB008), each tag lab does not read (LAB009), nesting too deep to parse (LAB003), and the
 * warnings that leave the file loadable.
 */
import type { Document, ErrorCode, YAMLError } from "yaml";
import type { Diagnostic, DiagnosticCode, Severity } from "../../core/diagnostics.js";
import { positionAt } from "./positions.js";
import { wordYamlProblem, type YamlProblem } from "./yaml-wording.js";

/** The tags lab reads: YAML 1.2's core schema. Every other tag is LAB009. */
export const CORE_TAGS: ReadonlySet<string> = new Set(
  ["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`),
);

/** A tag problem at its offset; the walk fills in the pointer of the node it is on. */
export interface TagProblem {
  offset: number;
  diagnostic: Diagnostic;
}

export interface YamlProblems {
  /** Problems that leave no document to read (LAB001, LAB003, LAB008). */
  fatal: Diagnostic[];
  /** Tags lab does not read (LAB009), by offset, one per tag. */
  tags: TagProblem[];
  /** Warnings (LAB001, severity warning): the file still loads. */
  warnings: Diagnostic[];
}

/** Warnings of the package that are style, not doubt about what the file says. */
function ignoredWarning(w: YAMLError): boolean {
  return w.code === "BAD_INDENT" && /^Flow end indicator/.test(w.message);
}

const TAG_CODES: ReadonlySet<ErrorCode> = new Set(["TAG_RESOLVE_FAILED", "BAD_COLLECTION_TYPE"]);

interface Place {
  path: string;
  text: string;
  lineStarts: readonly number[];
}

function at(
  place: Place,
  offset: number,
  code: DiagnosticCode,
  message: string,
  fix?: string,
  severity: Severity = "error",
): Diagnostic {
  const pos = positionAt(place.path, place.lineStarts, offset);
  const d: Diagnostic = { ...pos, severity, code, pointer: "", message };
  return fix ? { ...d, fix } : d;
}

function problem(place: Place, e: YAMLError): YamlProblem {
  return { code: e.code, message: e.message, start: e.pos[0], end: e.pos[1], text: place.text };
}

function syntax(place: Place, e: YAMLError, severity: Severity): Diagnostic {
  const worded = wordYamlProblem(problem(place, e));
  const offset = worded.at ?? e.pos[0];
  const message = severity === "error" ? `YAML syntax error: ${worded.message}` : worded.message;
  return at(place, offset, "LAB001", message, worded.fix, severity);
}

function secondDocument(place: Place, e: YAMLError): Diagnostic {
  const dashes = place.text.startsWith("---", e.pos[0]);
  return at(
    place,
    e.pos[0],
    "LAB008",
    "a config file holds one YAML document; a second one starts here",
    dashes
      ? 'lab merges all config files, so put this document in a file of its own, or remove the "---" if it continues the one before'
      : 'lab merges all config files, so put this document in a file of its own, or remove the "..." before it',
  );
}

/** Sorts the package's errors and warnings of one document into lab's diagnostics. */
export function yamlProblems(
  place: Place,
  doc: Pick<Document.Parsed, "errors" | "warnings">,
): YamlProblems {
  const out: YamlProblems = { fatal: [], tags: [], warnings: [] };
  const tagAt = new Set<number>();
  const addTag = (e: YAMLError): void => {
    if (tagAt.has(e.pos[0])) return;
    tagAt.add(e.pos[0]);
    out.tags.push({ offset: e.pos[0], diagnostic: tagDiagnostic(place, e) });
  };
  let first: YAMLError | null = null;
  let second: YAMLError | null = null;
  for (const e of doc.errors) {
    if (TAG_CODES.has(e.code)) addTag(e);
    else if (e.code === "MULTIPLE_DOCS") second ??= e;
    else if (!first || e.pos[0] < first.pos[0]) first = e;
  }
  for (const w of doc.warnings) {
    if (TAG_CODES.has(w.code)) addTag(w);
    else if (!ignoredWarning(w)) out.warnings.push(syntax(place, w, "warning"));
  }
  if (first?.code === "RESOURCE_EXHAUSTION") {
    out.fatal.push(at(place, first.pos[0], "LAB003", "nesting too deep to parse"));
  } else if (first) {
    out.fatal.push(syntax(place, first, "error"));
  }
  if (second) out.fatal.push(secondDocument(place, second));
  out.tags.sort((a, b) => a.offset - b.offset);
  return out;
}

const KNOWN_TYPES: Readonly<Record<string, { what: string; fix: string }>> = {
  binary: {
    what: "base64-encoded bytes",
    fix: "remove the tag to keep the text as a string",
  },
  set: { what: "a set", fix: 'write a list instead, e.g. "[a, b]"' },
  omap: {
    what: "an ordered mapping",
    fix: "write a plain mapping instead (lab keeps the order of keys)",
  },
  pairs: {
    what: "a list of pairs",
    fix: "write a plain mapping instead (lab keeps the order of keys)",
  },
  timestamp: {
    what: "a date or time",
    fix: 'remove the tag: lab reads dates and times as strings, e.g. "2001-12-14"',
  },
};

const READS =
  "a config value is a string, number, boolean, null, list or mapping, written without a tag";

function tagDiagnostic(place: Place, e: YAMLError): Diagnostic {
  const source = place.text.slice(e.pos[0], e.pos[1]).trim() || "!";
  const resolved = /^Unresolved tag: (.*)$/.exec(e.message)?.[1];
  const say = (message: string, fix: string): Diagnostic =>
    at(place, e.pos[0], "LAB009", message, fix);
  if (e.code === "BAD_COLLECTION_TYPE" || (resolved !== undefined && CORE_TAGS.has(resolved))) {
    return say(
      `the tag ${source} does not fit the value it is on`,
      'remove the tag: lab reads values by their form (42 is a number, true a boolean, "42" a string)',
    );
  }
  if (resolved === undefined) {
    return say(`${source} is not a valid YAML tag; ${READS}`, "remove it");
  }
  const standard = /^tag:yaml\.org,2002:(.*)$/.exec(resolved)?.[1];
  const known = standard === undefined ? undefined : KNOWN_TYPES[standard];
  if (known) {
    return say(`lab does not read ${source} values (${known.what}); ${READS}`, known.fix);
  }
  return say(`lab does not read YAML tags such as ${source}; ${READS}`, "remove the tag");
}
