/**
 * `.sops.yaml` at the repo root, as sops reads it: the first `creation_rules` entry whose
 * `path_regex` matches the file's path (relative to the repo root; a rule without one matches
 * every file) gives the new file's age recipients and its encryption rules.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { LabError } from "../../../core/errors.js";
import { errnoCode, ioReason } from "../../../core/io-reason.js";
import type { EncryptionRules } from "./sops-tree.js";

export const SOPS_CONFIG = ".sops.yaml";

export interface CreationRule {
  /** Which rule it is (1-based), for messages. */
  index: number;
  pathRegex: string | null;
  recipients: string[];
  rules: EncryptionRules;
}

function bad(message: string): LabError {
  return new LabError("INVALID_REPO", `${SOPS_CONFIG}: ${message}`);
}

/** `age1a, age1b` or a list of them → the recipients. */
function recipientsOf(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  const parts = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : null;
  if (!parts) throw bad(`${where}.age is neither a comma-separated string nor a list`);
  return parts.map((p) => String(p).trim()).filter((p) => p !== "");
}

function ruleOf(raw: unknown, index: number): CreationRule {
  const where = `creation_rules[${index - 1}]`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw bad(`${where} is not a mapping`);
  const r = raw as Record<string, unknown>;
  const recipients = recipientsOf(r.age, where);
  if (Array.isArray(r.key_groups)) {
    r.key_groups.forEach((group: unknown, g) => {
      const age = (group as Record<string, unknown> | null)?.age;
      recipients.push(...recipientsOf(age, `${where}.key_groups[${g}]`));
    });
  }
  const str = (key: string): string | undefined => {
    const v = r[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string") throw bad(`${where}.${key} is not a string`);
    return v;
  };
  const rules: EncryptionRules = {};
  const set = (prop: Exclude<keyof EncryptionRules, "macOnlyEncrypted">, key: string): void => {
    const v = str(key);
    if (v) rules[prop] = v;
  };
  set("unencryptedSuffix", "unencrypted_suffix");
  set("encryptedSuffix", "encrypted_suffix");
  set("unencryptedRegex", "unencrypted_regex");
  set("encryptedRegex", "encrypted_regex");
  if (r.mac_only_encrypted === true) rules.macOnlyEncrypted = true;
  const pathRegex = str("path_regex") ?? null;
  for (const re of [pathRegex, rules.encryptedRegex, rules.unencryptedRegex]) {
    if (re === null || re === undefined) continue;
    try {
      new RegExp(re);
    } catch {
      throw bad(`${where} has a regular expression that is not valid: ${re}`);
    }
  }
  return { index, pathRegex, recipients: [...new Set(recipients)], rules };
}

/** The creation rules of the repo, or null when it has no `.sops.yaml`. */
export async function loadCreationRules(
  repoRoot: string,
  signal?: AbortSignal,
): Promise<CreationRule[] | null> {
  let text: string;
  try {
    text = await readFile(join(repoRoot, SOPS_CONFIG), { encoding: "utf8", signal });
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return null;
    if (signal?.aborted) throw err;
    throw new LabError("IO", `cannot read ${SOPS_CONFIG}: ${ioReason(err)}`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw bad(`is not valid YAML: ${(err as Error).message.split("\n")[0] ?? ""}`);
  }
  const rules = (doc as { creation_rules?: unknown } | null)?.creation_rules;
  if (!Array.isArray(rules)) throw bad("has no creation_rules list");
  return rules.map((raw, i) => ruleOf(raw, i + 1));
}

/** The rule for `file` (repo-relative): the first that matches, as sops chooses. */
export function ruleFor(rules: readonly CreationRule[], file: string): CreationRule | null {
  return rules.find((r) => r.pathRegex === null || new RegExp(r.pathRegex).test(file)) ?? null;
}

/** The rule for a new file, or an error saying what to add to `.sops.yaml`. */
export function requireRuleFor(rules: readonly CreationRule[] | null, file: string): CreationRule {
  if (!rules) {
    throw new LabError(
      "USAGE",
      `${file} does not exist and the repo has no ${SOPS_CONFIG} to say its recipients; add one with a creation rule (path_regex, age)`,
    );
  }
  const rule = ruleFor(rules, file);
  if (!rule)
    throw new LabError(
      "USAGE",
      `no creation rule in ${SOPS_CONFIG} matches ${file}; add one whose path_regex matches it`,
    );
  if (rule.recipients.length === 0) {
    throw new LabError(
      "USAGE",
      `creation rule ${rule.index} in ${SOPS_CONFIG} (for ${file}) names no age recipients`,
    );
  }
  return rule;
}
