/**
 * The rule-file format Prometheus 2.42 reads (no group `labels`, no `query_offset`). The layout
 * is core/canonical.ts's `canonicalYaml` (keys sorted, two-space indent; rule-file.test.ts checks
 * the bytes are the same where the strings are written alike); the scalars are not: a string is
 * plain only where YAML 1.1 and 1.2 both read it back as that string, else single-quoted, else
 * JSON-quoted. `canonicalYaml` serves one version at a time (with `version: "1.1"` it writes
 * `0o17` plain, which 1.2 reads as 15) and writes PromQL such as `up{job="x"} == 0` plain, so
 * the rule files keep this writer and their checked-in bytes.
 */

/** One alerting rule. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  /** `severity`, and `lab_size` on the per-size rules of a sized check. */
  labels: { severity: string; lab_size?: string };
  annotations: Record<string, string>;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_./()<>=!%+*:-]*(?: [A-Za-z0-9_./()<>=!%+*:-]+)*$/;
const DURATION = /^(?:[0-9]+(?:ms|s|m|h|d|w|y))+$/;
const KEYWORDS = /^(?:true|false|yes|no|on|off|y|n|null|nan|inf)$/i;
const PRINTABLE = /^[^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]*$/;

/** A YAML scalar that reads back as exactly `value` (a string) in YAML 1.1 and 1.2. */
export function yamlScalar(value: string): string {
  if (DURATION.test(value)) return value;
  if (PLAIN.test(value) && !KEYWORDS.test(value) && !/:(?: |$)/.test(value)) return value;
  if (PRINTABLE.test(value) && value.trim() === value && value !== "") {
    return `'${value.replace(/'/g, "''")}'`;
  }
  return JSON.stringify(value);
}

/** `name:` and its entries, sorted, one level deeper; `name: {}` when there are none. */
function mapping(pad: string, name: string, entries: Readonly<Record<string, string>>): string {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return `${pad}${name}: {}\n`;
  let out = `${pad}${name}:\n`;
  for (const key of keys) out += `${pad}  ${key}: ${yamlScalar(entries[key]!)}\n`;
  return out;
}

function ruleYaml(rule: AlertingRule): string {
  const pad = "        ";
  let out = `      - alert: ${yamlScalar(rule.alert)}\n`;
  out += mapping(pad, "annotations", rule.annotations);
  out += `${pad}expr: ${yamlScalar(rule.expr)}\n`;
  if (rule.for !== undefined) out += `${pad}for: ${yamlScalar(rule.for)}\n`;
  out += mapping(pad, "labels", rule.labels);
  return out;
}

/** A rule file holding one group of alerting rules. */
export function ruleFile(group: string, rules: readonly AlertingRule[]): string {
  const body =
    rules.length === 0 ? "    rules: []\n" : `    rules:\n${rules.map(ruleYaml).join("")}`;
  return `groups:\n  - name: ${yamlScalar(group)}\n${body}`;
}
