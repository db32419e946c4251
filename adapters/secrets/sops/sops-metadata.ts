/**
 * The `sops` section of a file, read into what lab needs (age recipients and their wrapped data
 * keys, the MAC, `lastmodified`, the encryption rules) and written back field by field, so the
 * fields lab does not change keep their place and text.
 */
import { SopsFileError } from "./sops-errors.js";
import type { EncryptionRules, SopsMapNode, SopsNode } from "./sops-tree.js";
import { entryOf, scalar } from "./sops-tree.js";

/** The version lab writes in new files: the sops file format it follows. */
export const SOPS_FORMAT_VERSION = "3.9.4";

export interface AgeStanza {
  recipient: string;
  /** The data key encrypted to `recipient`, armored. */
  enc: string;
}

export interface SopsMetadata {
  age: AgeStanza[];
  lastModified: string;
  mac: string;
  rules: EncryptionRules;
  version: string;
  /** Other key kinds the file names (kms, pgp …), which lab cannot use. */
  otherKeys: string[];
}

const OTHER_KEY_KINDS = ["kms", "gcp_kms", "azure_kv", "hc_vault", "pgp"];
type RuleField = "unencryptedSuffix" | "encryptedSuffix" | "unencryptedRegex" | "encryptedRegex";
const RULE_FIELDS: readonly [RuleField, string][] = [
  ["unencryptedSuffix", "unencrypted_suffix"],
  ["encryptedSuffix", "encrypted_suffix"],
  ["unencryptedRegex", "unencrypted_regex"],
  ["encryptedRegex", "encrypted_regex"],
];

function text(node: SopsNode | undefined): string | undefined {
  return node?.kind === "scalar" && node.value !== null ? String(node.value) : undefined;
}

function ageStanzas(file: string, node: SopsNode | undefined): AgeStanza[] {
  if (!node || (node.kind === "scalar" && node.value === null)) return [];
  if (node.kind !== "list") throw new SopsFileError(file, "sops.age is not a list");
  return node.items.map((item) => {
    const recipient = item.kind === "map" ? text(entryOf(item, "recipient")?.value) : undefined;
    const enc = item.kind === "map" ? text(entryOf(item, "enc")?.value) : undefined;
    if (!recipient || !enc)
      throw new SopsFileError(file, "sops.age holds an entry without recipient or enc");
    return { recipient, enc };
  });
}

/** The metadata of a file, or an error naming it when the `sops` section is missing or broken. */
export function readMetadata(file: string, meta: SopsMapNode): SopsMetadata {
  if (meta.entries.length === 0)
    throw new SopsFileError(file, "has no sops metadata (is it encrypted?)");
  const field = (key: string): SopsNode | undefined => entryOf(meta, key)?.value;
  const lastModified = text(field("lastmodified"));
  const mac = text(field("mac"));
  if (!lastModified) throw new SopsFileError(file, "has no sops.lastmodified");
  if (!mac) throw new SopsFileError(file, "has no sops.mac");
  const rules: EncryptionRules = {};
  for (const [prop, key] of RULE_FIELDS) {
    const value = text(field(key));
    if (value) rules[prop] = value;
  }
  const macOnly = field("mac_only_encrypted");
  if (macOnly?.kind === "scalar" && (macOnly.value === true || macOnly.value === "true")) {
    rules.macOnlyEncrypted = true;
  }
  const otherKeys = OTHER_KEY_KINDS.filter((kind) => {
    const node = field(kind);
    return node?.kind === "list" && node.items.length > 0;
  });
  return {
    age: ageStanzas(file, field("age")),
    lastModified,
    mac,
    rules,
    version: text(field("version")) ?? "",
    otherKeys,
  };
}

function ageNode(stanzas: readonly AgeStanza[]): SopsNode {
  return {
    kind: "list",
    items: stanzas.map((s) => ({
      kind: "map",
      entries: [
        { key: "recipient", value: scalar(s.recipient) },
        { key: "enc", value: scalar(s.enc) },
      ],
    })),
  };
}

/** `meta` with the fields given set: in place where they are, else appended. */
export function updateMetadata(
  meta: SopsMapNode,
  changes: { age?: readonly AgeStanza[]; lastModified?: string; mac?: string },
): SopsMapNode {
  const entries = meta.entries.map((e) => ({ ...e }));
  const put = (key: string, value: SopsNode): void => {
    const at = entries.findIndex((e) => e.key === key);
    if (at >= 0) entries[at] = { key, value };
    else entries.push({ key, value });
  };
  if (changes.age) put("age", ageNode(changes.age));
  if (changes.lastModified) put("lastmodified", scalar(changes.lastModified));
  if (changes.mac) put("mac", scalar(changes.mac));
  return { kind: "map", entries };
}

/** The `sops` section of a new file, in the order sops writes it. */
export function newMetadata(rules: EncryptionRules): SopsMapNode {
  const entries: SopsMapNode["entries"] = [
    { key: "age", value: { kind: "list", items: [] } },
    { key: "lastmodified", value: scalar("") },
    { key: "mac", value: scalar("") },
  ];
  for (const [prop, key] of RULE_FIELDS) {
    const value = rules[prop];
    if (typeof value === "string" && value) entries.push({ key, value: scalar(value) });
  }
  if (rules.macOnlyEncrypted) entries.push({ key: "mac_only_encrypted", value: scalar(true) });
  const hasRule = RULE_FIELDS.some(([prop]) => Boolean(rules[prop]));
  if (!hasRule) entries.push({ key: "unencrypted_suffix", value: scalar("_unencrypted") });
  entries.push({ key: "version", value: scalar(SOPS_FORMAT_VERSION) });
  return { kind: "map", entries };
}
