/**
 * Decrypting and encrypting a whole SOPS file: every value with the data key (the MAC verified
 * on the way in, made on the way out), and the ciphertext of each value that did not change
 * kept as it was, so that a change is a one-line diff.
 */
import type { FoundIdentities } from "./age-identities.js";
import { unwrapDataKey, wrapDataKey } from "./age-data-key.js";
import type { SopsFormat } from "./secret-files.js";
import type { PlainLeaf } from "./sops-crypto.js";
import { decryptLeaf, encryptLeaf, SopsValueError, valueOf } from "./sops-crypto.js";
import type { SopsDocument } from "./sops-document.js";
import { parseSopsDotenv } from "./sops-dotenv.js";
import { SopsFileError } from "./sops-errors.js";
import { parseSopsJson } from "./sops-json.js";
import { encryptMac, lastModifiedNow, macHash, macMatches } from "./sops-mac.js";
import type { SopsMetadata } from "./sops-metadata.js";
import { readMetadata, updateMetadata } from "./sops-metadata.js";
import type { EncryptionRules, SopsMapNode, SopsScalarNode } from "./sops-tree.js";
import { aadOf, mapLeaves, plainLeafOf, scalar } from "./sops-tree.js";
import { parseSopsYaml } from "./sops-yaml.js";

/** What a value was in the file before: its encrypted node and its plaintext. */
interface Previous {
  node: SopsScalarNode;
  leaf: PlainLeaf;
  aad: string;
}

export interface DecryptedFile {
  file: string;
  doc: SopsDocument;
  meta: SopsMetadata;
  dataKey: Uint8Array;
  /** The file's data with every value decrypted. */
  plain: SopsMapNode;
  previous: ReadonlyMap<string, Previous>;
}

export function parseSopsText(file: string, text: string, format: SopsFormat): SopsDocument {
  const body = text.startsWith("\uFEFF") ? text.slice(1) : text;
  if (format === "json") return parseSopsJson(file, body);
  if (format === "dotenv") return parseSopsDotenv(file, body);
  return parseSopsYaml(file, body);
}

function plainNode(leaf: PlainLeaf): SopsScalarNode {
  const value = valueOf(leaf);
  return scalar(value, leaf.type === "float");
}

/** The file's values decrypted with `dataKey`, its MAC verified; a tampered file is refused. */
export function decryptWithKey(
  file: string,
  doc: SopsDocument,
  meta: SopsMetadata,
  dataKey: Uint8Array,
): { plain: SopsMapNode; previous: Map<string, Previous> } {
  const mac = macHash(meta.rules.macOnlyEncrypted === true);
  const previous = new Map<string, Previous>();
  const plain = mapLeaves(doc.data, meta.rules, ({ path, position, node, encrypted }) => {
    const where = path.join("/");
    if (!encrypted) {
      mac.add(plainLeafOf(node), false);
      return node;
    }
    if (typeof node.value !== "string") {
      throw new SopsFileError(file, "is not encrypted though the file's rules say it must be", {
        key: where,
      });
    }
    const aad = aadOf(path);
    let leaf: PlainLeaf;
    try {
      leaf = decryptLeaf(node.value, dataKey, aad);
      mac.add(leaf, true);
      previous.set(position, { node, leaf, aad });
      return plainNode(leaf);
    } catch (err) {
      if (!(err instanceof SopsValueError)) throw err;
      throw new SopsFileError(file, `its value ${err.message}`, { key: where });
    }
  });
  let matches: boolean;
  try {
    matches = macMatches(meta.mac, mac.digest(), dataKey, meta.lastModified);
  } catch (err) {
    if (!(err instanceof SopsValueError)) throw err;
    throw new SopsFileError(
      file,
      "its MAC does not decrypt: sops.mac or sops.lastmodified was changed outside sops",
    );
  }
  if (!matches) {
    throw new SopsFileError(
      file,
      "its MAC does not match its values: a value was changed, added or removed outside sops",
    );
  }
  return { plain, previous };
}

/** Parse, unwrap the data key with the identities found, decrypt and verify a file. */
export async function decryptSopsDocument(
  file: string,
  doc: SopsDocument,
  found: FoundIdentities,
): Promise<DecryptedFile> {
  const meta = readMetadata(file, doc.meta);
  const dataKey = await unwrapDataKey(file, meta, found);
  return { file, doc, meta, dataKey, ...decryptWithKey(file, doc, meta, dataKey) };
}

export interface EncryptInput {
  doc: SopsDocument;
  /** The metadata section to start from (the file's, or a new one's). */
  meta: SopsMapNode;
  rules: EncryptionRules;
  dataKey: Uint8Array;
  plain: SopsMapNode;
  previous?: ReadonlyMap<string, Previous>;
  /** Recipients to wrap the data key for; omitted, the file's wrapped keys stay. */
  recipients?: readonly string[];
  now?: Date;
}

/** The file's new text: values encrypted (unchanged ones as they were), MAC and date updated. */
export async function encryptSopsDocument(input: EncryptInput): Promise<string> {
  const mac = macHash(input.rules.macOnlyEncrypted === true);
  const data = mapLeaves(input.plain, input.rules, ({ path, position, node, encrypted }) => {
    const leaf = plainLeafOf(node);
    mac.add(leaf, encrypted);
    if (!encrypted) return node;
    const aad = aadOf(path);
    const old = input.previous?.get(position);
    if (old && old.aad === aad && old.leaf.type === leaf.type && old.leaf.text === leaf.text) {
      return old.node;
    }
    return scalar(encryptLeaf(leaf, input.dataKey, aad));
  });
  const lastModified = lastModifiedNow(input.now);
  const age = input.recipients ? await wrapDataKey(input.dataKey, input.recipients) : undefined;
  const meta = updateMetadata(input.meta, {
    ...(age ? { age } : {}),
    lastModified,
    mac: encryptMac(mac.digest(), input.dataKey, lastModified),
  });
  return input.doc.emit(data, meta);
}
