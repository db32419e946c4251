/**
 * A SOPS file's data as an ordered tree (keys keep their order and stay strings, so `"123"` and
 * `1` are keys like any other), and the walk sops makes over it: which leaves are encrypted
 * (`unencrypted_suffix` and friends), their additional data (the key path, `a:b:`), and the
 * bytes the MAC hashes.
 */
import type { PlainLeaf } from "./sops-crypto.js";
import { leafOf } from "./sops-crypto.js";

export type SopsScalar = string | number | boolean | null;

export interface SopsScalarNode {
  kind: "scalar";
  value: SopsScalar;
  /** A number written as a float (`1.0`), or read from a `type:float` value. */
  float?: boolean;
}

export interface SopsEntry {
  key: string;
  value: SopsNode;
}

export interface SopsMapNode {
  kind: "map";
  entries: SopsEntry[];
}

export interface SopsListNode {
  kind: "list";
  items: SopsNode[];
}

export type SopsNode = SopsScalarNode | SopsMapNode | SopsListNode;

/** Which values sops encrypts (the file's metadata); with none set, `_unencrypted` is the suffix. */
export interface EncryptionRules {
  unencryptedSuffix?: string;
  encryptedSuffix?: string;
  unencryptedRegex?: string;
  encryptedRegex?: string;
  macOnlyEncrypted?: boolean;
}

export const DEFAULT_UNENCRYPTED_SUFFIX = "_unencrypted";

export function scalar(value: SopsScalar, float = false): SopsScalarNode {
  return float ? { kind: "scalar", value, float } : { kind: "scalar", value };
}

/** Whether sops encrypts the value at `path` (all keys above it), as sops's tree walk decides. */
export function shouldEncrypt(path: readonly string[], rules: EncryptionRules): boolean {
  let encrypted = true;
  const none =
    !rules.unencryptedSuffix &&
    !rules.encryptedSuffix &&
    !rules.unencryptedRegex &&
    !rules.encryptedRegex;
  const unencryptedSuffix = none ? DEFAULT_UNENCRYPTED_SUFFIX : rules.unencryptedSuffix;
  if (unencryptedSuffix && path.some((k) => k.endsWith(unencryptedSuffix))) encrypted = false;
  if (rules.encryptedSuffix) {
    const suffix = rules.encryptedSuffix;
    encrypted = path.some((k) => k.endsWith(suffix));
  }
  if (rules.unencryptedRegex) {
    const re = new RegExp(rules.unencryptedRegex);
    if (path.some((k) => re.test(k))) encrypted = false;
  }
  if (rules.encryptedRegex) {
    const re = new RegExp(rules.encryptedRegex);
    encrypted = path.some((k) => re.test(k));
  }
  return encrypted;
}

/** One leaf of the walk: where it is and what is there. */
export interface LeafVisit {
  /** The keys above it (list items share their list's path, as in sops). */
  path: readonly string[];
  /** The keys and list indexes above it: where the same value is in another version. */
  position: string;
  node: SopsScalarNode;
  encrypted: boolean;
}

/**
 * A copy of `tree` with every leaf replaced by `onLeaf`'s answer, visited in document order
 * (nulls are not leaves and stay as they are, as in sops).
 */
export function mapLeaves(
  tree: SopsMapNode,
  rules: EncryptionRules,
  onLeaf: (visit: LeafVisit) => SopsScalarNode,
): SopsMapNode {
  function walk(node: SopsNode, path: string[], position: string): SopsNode {
    if (node.kind === "map") {
      return {
        kind: "map",
        entries: node.entries.map((e) => ({
          key: e.key,
          value: walk(e.value, [...path, e.key], `${position}\0k${e.key}`),
        })),
      };
    }
    if (node.kind === "list") {
      return { kind: "list", items: node.items.map((n, i) => walk(n, path, `${position}\0i${i}`)) };
    }
    if (node.value === null) return node;
    return onLeaf({ path, position, node, encrypted: shouldEncrypt(path, rules) });
  }
  return walk(tree, [], "") as SopsMapNode;
}

/** sops's additional data for a value: its key path joined and ended by `:`. */
export function aadOf(path: readonly string[]): string {
  return `${path.join(":")}:`;
}

/** The plaintext leaf of a plain (decrypted or unencrypted) scalar. */
export function plainLeafOf(node: SopsScalarNode): PlainLeaf {
  if (node.value === null) throw new Error("a null is not a leaf");
  return leafOf(node.value, node.float === true);
}

/** The entry of `key` in a map, or undefined. */
export function entryOf(map: SopsMapNode, key: string): SopsEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** The tree as plain JavaScript data (for tests and JSON; objects do not keep numeric keys' order). */
export function toPlainData(node: SopsNode): unknown {
  if (node.kind === "scalar") return node.value;
  if (node.kind === "list") return node.items.map(toPlainData);
  return Object.fromEntries(node.entries.map((e) => [e.key, toPlainData(e.value)]));
}
