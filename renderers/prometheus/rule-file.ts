/**
 * The rule-file format Prometheus 2.42 reads (no group `labels`, no `query_offset`), written by a
 * small emitter for this one shape: the generic YAML writer costs ~50× more per rule, which
 * matters at thousands of alerts. Keys are sorted (as the canonical writer would); scalars are
 * plain where that is unambiguous in YAML 1.1 and 1.2, else single-quoted, else JSON-quoted.
 */

/** One alerting rule. */
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: string };
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

function mapping(indent: string, entries: Record<string, string>): string {
  return Object.keys(entries)
    .sort()
    .map((key) => `${indent}${key}: ${yamlScalar(entries[key]!)}\n`)
    .join("");
}

function ruleYaml(rule: AlertingRule): string {
  const pad = "        ";
  let out = `      - alert: ${yamlScalar(rule.alert)}\n`;
  out += `${pad}annotations:\n${mapping(`${pad}  `, rule.annotations)}`;
  out += `${pad}expr: ${yamlScalar(rule.expr)}\n`;
  if (rule.for !== undefined) out += `${pad}for: ${yamlScalar(rule.for)}\n`;
  out += `${pad}labels:\n${mapping(`${pad}  `, rule.labels)}`;
  return out;
}

/** A rule file holding one group of alerting rules. */
export function ruleFile(group: string, rules: readonly AlertingRule[]): string {
  const body =
    rules.length === 0 ? "    rules: []\n" : `    rules:\n${rules.map(ruleYaml).join("")}`;
  return `groups:\n  - name: ${yamlScalar(group)}\n${body}`;
}
