/**
 * SOPS's value encryption: AES-256-GCM with a 32-byte random IV per value, the value's key path
 * (`a:b:`) as additional data, written as `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`. The
 * plaintext of a non-string is its Go text (`7`, `3.14`, `True`), as sops writes it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** The value types sops writes in `type:` (comments are not values). */
export type SopsType = "str" | "int" | "float" | "bool" | "bytes" | "comment";

/** A plaintext value as sops sees it: its bytes as text and its type. */
export interface PlainLeaf {
  type: SopsType;
  text: string;
}

export interface EncParts {
  data: Buffer;
  iv: Buffer;
  tag: Buffer;
  type: SopsType;
}

const TYPES: ReadonlySet<string> = new Set(["str", "int", "float", "bool", "bytes", "comment"]);
const ENC_RE =
  /^ENC\[AES256_GCM,data:([A-Za-z0-9+/=]*),iv:([A-Za-z0-9+/=]+),tag:([A-Za-z0-9+/=]+),type:([a-z]+)\]$/;

/** A value that failed to decrypt or is not in sops's format; the caller names file and key. */
export class SopsValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SopsValueError";
  }
}

export function isEncrypted(text: string): boolean {
  return text.startsWith("ENC[");
}

/** The parts of an `ENC[…]` value, or null when it is not one. */
export function parseEnc(text: string): EncParts | null {
  const m = ENC_RE.exec(text);
  if (!m || !TYPES.has(m[4]!)) return null;
  return {
    data: Buffer.from(m[1]!, "base64"),
    iv: Buffer.from(m[2]!, "base64"),
    tag: Buffer.from(m[3]!, "base64"),
    type: m[4] as SopsType,
  };
}

/** The ENC string of `leaf` under `aad` (the key path, `a:b:`) with `key` (the data key). */
export function encryptLeaf(leaf: PlainLeaf, key: Uint8Array, aad: string): string {
  if (leaf.type === "str" && leaf.text === "") return "";
  const iv = randomBytes(32);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.concat([cipher.update(leaf.text, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  const b64 = (b: Buffer): string => b.toString("base64");
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(tag)},type:${leaf.type}]`;
}

/** The plaintext of an ENC string; a value that is not one, or fails to authenticate, throws. */
export function decryptLeaf(text: string, key: Uint8Array, aad: string): PlainLeaf {
  if (text === "") return { type: "str", text: "" };
  const parts = parseEnc(text);
  if (!parts) throw new SopsValueError("is not a SOPS encrypted value (ENC[AES256_GCM,…])");
  if (parts.iv.length === 0 || parts.tag.length !== 16) {
    throw new SopsValueError("has an IV or tag of the wrong size");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, parts.iv);
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(parts.tag);
    const plain = Buffer.concat([decipher.update(parts.data), decipher.final()]);
    return { type: parts.type, text: plain.toString("utf8") };
  } catch {
    throw new SopsValueError("does not decrypt: its data, IV or tag was changed, or it was moved");
  }
}

/** A fresh 32-byte data key. */
export function newDataKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

/** Go's `strconv.FormatFloat(v, 'f', -1, 64)`: the shortest digits, never an exponent. */
export function goFloatText(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN";
  const s = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const [, sign, int = "", frac = "", expText = "0"] = m;
  const exp = Number(expText);
  const digits = int + frac;
  const point = int.length + exp;
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The leaf sops makes of a plain YAML/JSON scalar (null is no leaf). */
export function leafOf(value: string | number | boolean, float = false): PlainLeaf {
  if (typeof value === "string") return { type: "str", text: value };
  if (typeof value === "boolean") return { type: "bool", text: value ? "True" : "False" };
  if (float || !Number.isInteger(value)) return { type: "float", text: goFloatText(value) };
  return { type: "int", text: goFloatText(value) };
}

/** The JavaScript value of a decrypted leaf (a number, a boolean or the text). */
export function valueOf(leaf: PlainLeaf): string | number | boolean {
  switch (leaf.type) {
    case "int":
    case "float": {
      const n = Number(leaf.text);
      if (leaf.text.trim() === "" || Number.isNaN(n)) {
        throw new SopsValueError(`holds "${leaf.type}" that is not a number`);
      }
      return n;
    }
    case "bool": {
      const t = leaf.text.toLowerCase();
      if (t === "true" || t === "1" || t === "t") return true;
      if (t === "false" || t === "0" || t === "f") return false;
      throw new SopsValueError("holds a bool that is neither true nor false");
    }
    default:
      return leaf.text;
  }
}
