/**
 * A SOPS file's data key and its age recipients: the 32-byte key is encrypted to each recipient
 * on its own (one armored age file per `sops.age` entry), as sops does; any identity that is one
 * of the recipients unwraps it.
 */
import { armor, Decrypter, Encrypter } from "age-encryption";
import type { FoundIdentities } from "./age-identities.js";
import { SopsFileError } from "./sops-errors.js";
import type { AgeStanza, SopsMetadata } from "./sops-metadata.js";

/** The data key wrapped for each recipient, in the order given. */
export async function wrapDataKey(
  dataKey: Uint8Array,
  recipients: readonly string[],
): Promise<AgeStanza[]> {
  const out: AgeStanza[] = [];
  for (const recipient of recipients) {
    const e = new Encrypter();
    e.addRecipient(recipient);
    out.push({ recipient, enc: armor.encode(await e.encrypt(dataKey)) });
  }
  return out;
}

async function tryUnwrap(stanza: AgeStanza, keys: readonly string[]): Promise<Uint8Array | null> {
  const d = new Decrypter();
  for (const k of keys) d.addIdentity(k);
  let sealed: Uint8Array;
  try {
    sealed = armor.decode(stanza.enc);
  } catch {
    return null;
  }
  try {
    return await d.decrypt(sealed);
  } catch {
    return null;
  }
}

/**
 * The data key of `file`, unwrapped with the first identity that is one of its recipients. No
 * identity found, or none that is a recipient, is an error saying where lab looked and naming
 * the file's recipients.
 */
export async function unwrapDataKey(
  file: string,
  meta: SopsMetadata,
  found: FoundIdentities,
): Promise<Uint8Array> {
  if (meta.age.length === 0) {
    const others = meta.otherKeys.length
      ? ` (it names ${meta.otherKeys.join(", ")} keys, which lab does not use)`
      : "";
    throw new SopsFileError(file, `has no age recipients${others}`, { code: "USAGE" });
  }
  if (found.identities.length === 0) {
    throw new SopsFileError(
      file,
      `no age identity found to decrypt it; looked in: ${found.looked.join(", ")}. ` +
        "Set SOPS_AGE_KEY_FILE to a key file holding one of its recipients' keys",
      { code: "USAGE" },
    );
  }
  const mine = new Set(found.identities.map((i) => i.recipient));
  const ordered = [...meta.age].sort(
    (a, b) => Number(mine.has(b.recipient)) - Number(mine.has(a.recipient)),
  );
  const keys = found.identities.map((i) => i.key);
  for (const stanza of ordered) {
    const key = await tryUnwrap(stanza, keys);
    if (key && key.length === 32) return key;
  }
  const n = found.identities.length;
  throw new SopsFileError(
    file,
    `none of the ${n} age ${n === 1 ? "identity" : "identities"} found (${found.looked.join(", ")}) ` +
      `decrypts its data key; its recipients are ${meta.age.map((a) => a.recipient).join(", ")}`,
    { code: "USAGE" },
  );
}
