/**
 * A Puppet report's body (docs/status.md, "Puppet reports") into the run lab keeps. Puppet's
 * `http` report processor posts the YAML dump of a `Puppet::Transaction::Report`, tagged with
 * Ruby's object tags (`!ruby/object:Puppet::Transaction::Report`, `!ruby/sym`, …): every `!ruby/`
 * tag is read as the plain map, list or scalar it tags; any other tag the YAML core schema does
 * not know is refused. The same report as JSON (Puppet's `to_data_hash`, e.g. from a report
 * forwarder) is read too. js-yaml, not the `yaml` package: a report of 10,000 resources (8 MB)
 * reads in about half a second rather than five. Bounded: 16 MB of body, 100 aliases of a map
 * or list. Never throws on a body: a malformed one is a reason.
 */
import yaml from "js-yaml";
import type { PuppetRun } from "../../core/puppet-run.js";
import { reportRun } from "./report-run.js";

/** The largest body read (a report of ten thousand resources is a few MB). */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;
/** Aliases expanded at most: Puppet writes none, a YAML bomb writes many. */
export const MAX_REPORT_ALIASES = 100;

export const REPORT_FORMATS = ["yaml", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The tag Puppet 7 puts on a report's document. */
export const REPORT_TAG = "!ruby/object:Puppet::Transaction::Report";

export type ReportRead =
  | { readonly kind: "run"; readonly run: PuppetRun }
  | { readonly kind: "malformed"; readonly reason: string }
  | { readonly kind: "too-large"; readonly reason: string };

/** The format of a `Content-Type` (parameters ignored), or null for one lab does not read. */
export function reportFormat(contentType: string | undefined): ReportFormat | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (["application/x-yaml", "application/yaml", "text/yaml", "text/x-yaml"].includes(type))
    return "yaml";
  if (type === "application/json") return "json";
  return null;
}

type Parsed = { ok: true; value: unknown } | { ok: false; reason: string };

/** The tag of each map read (the root's says whether it is a report). */
type Tags = WeakMap<object, string>;

function rubySchema(tags: Tags): yaml.Schema {
  const plain = (["mapping", "sequence", "scalar"] as const).map(
    (kind) =>
      new yaml.Type("!ruby/", {
        kind,
        multi: true,
        construct: (data: unknown, tag?: string) => {
          if (typeof data === "object" && data !== null && tag) tags.set(data, tag);
          return data;
        },
      }),
  );
  return yaml.CORE_SCHEMA.extend(plain);
}

class TooManyAliases extends Error {}

function parseYaml(text: string): Parsed {
  const tags: Tags = new WeakMap();
  // An alias gives the very object its anchor made: a map or list seen closing twice is one.
  const seen = new WeakSet<object>();
  let aliases = 0;
  const listener = (event: string, state: { result: unknown }): void => {
    const node = state.result;
    if (event !== "close" || typeof node !== "object" || node === null) return;
    if (!seen.has(node)) seen.add(node);
    else if (++aliases > MAX_REPORT_ALIASES) throw new TooManyAliases();
  };
  let value: unknown;
  try {
    value = yaml.load(text, { schema: rubySchema(tags), listener });
  } catch (err) {
    if (err instanceof TooManyAliases) {
      return { ok: false, reason: `more than ${MAX_REPORT_ALIASES} aliases: not a Puppet report` };
    }
    if (err instanceof yaml.YAMLException) {
      const line = err.mark ? ` (line ${err.mark.line + 1})` : "";
      return { ok: false, reason: `not YAML: ${err.reason}${line}` };
    }
    throw err;
  }
  const tag = typeof value === "object" && value !== null ? tags.get(value) : undefined;
  if (tag !== undefined && tag !== REPORT_TAG) {
    return { ok: false, reason: `not a Puppet report: the document is tagged ${tag}` };
  }
  return { ok: true, value };
}

function parseJson(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, reason: `not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** A report's body as `format`, received at `receivedAt` (ISO 8601), into a run or a reason. */
export function readPuppetReport(
  body: Buffer | string,
  format: ReportFormat,
  receivedAt: string,
): ReportRead {
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.length;
  if (size > MAX_REPORT_BYTES) {
    return { kind: "too-large", reason: `the report is larger than ${MAX_REPORT_BYTES} bytes` };
  }
  const text = typeof body === "string" ? body : body.toString("utf8");
  if (text.trim() === "") return { kind: "malformed", reason: "the body is empty" };
  const parsed = format === "json" ? parseJson(text) : parseYaml(text);
  if (!parsed.ok) return { kind: "malformed", reason: parsed.reason };
  const read = reportRun(parsed.value, receivedAt);
  return "reason" in read ? { kind: "malformed", reason: read.reason } : { kind: "run", run: read };
}
