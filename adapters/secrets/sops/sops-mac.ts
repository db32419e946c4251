/**
 * sops's MAC: SHA-512 over the plaintext of every value in document order (comments never;
 * unencrypted values too, unless `mac_only_encrypted`, which starts the hash with fixed bytes), as
 * upper-case hex, stored encrypted with
 * the data key and the file's `lastmodified` as additional data.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { PlainLeaf } from "./sops-crypto.js";
import { decryptLeaf, encryptLeaf } from "./sops-crypto.js";

export interface MacHash {
  add(leaf: PlainLeaf, encrypted: boolean): void;
  /** The MAC as sops writes it before encryption: upper-case hex. */
  digest(): string;
}

/**
 * What sops hashes first with `mac_only_encrypted`, so such a MAC never equals one without it:
 * SHA-256 of "sops".
 */
const MAC_ONLY_ENCRYPTED_START = createHash("sha256").update("sops").digest();

export function macHash(macOnlyEncrypted: boolean): MacHash {
  const hash = createHash("sha512");
  if (macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_START);
  return {
    add(leaf, encrypted) {
      if (leaf.type === "comment") return;
      if (macOnlyEncrypted && !encrypted) return;
      hash.update(leaf.text, "utf8");
    },
    digest: () => hash.digest("hex").toUpperCase(),
  };
}

/** The `mac:` value of a file whose values hash to `mac`, written at `lastModified`. */
export function encryptMac(mac: string, key: Uint8Array, lastModified: string): string {
  return encryptLeaf({ type: "str", text: mac }, key, lastModified);
}

/** Whether the file's `mac:` (under its `lastmodified`) is the MAC of its values. */
export function macMatches(
  stored: string,
  computed: string,
  key: Uint8Array,
  lastModified: string,
): boolean {
  const { text } = decryptLeaf(stored, key, lastModified);
  const a = Buffer.from(text, "utf8");
  const b = Buffer.from(computed, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `lastmodified` as sops writes it: RFC 3339 in UTC, whole seconds. */
export function lastModifiedNow(now: Date = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}
