/**
 * One cache entry on disk: a small header (magic, payload length, CRC-32 of the payload) and a
 * node:v8 serialization of the value, which keeps Maps, shared objects and numbers as they are.
 * Written to a temporary file and renamed into place, so a reader sees a whole entry or none; an
 * entry that is missing, truncated, corrupt or unreadable reads as a miss, never as an error.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { deserialize, serialize } from "node:v8";
import { crc32 } from "node:zlib";

const MAGIC = Buffer.from("LABCACHE1\n", "latin1");
const HEADER = MAGIC.length + 8;

/** The bytes of an entry holding `value`; throws (DataCloneError) for a value v8 cannot copy. */
export function encodeEntry(value: unknown): Buffer {
  const payload = serialize(value);
  const header = Buffer.alloc(HEADER);
  MAGIC.copy(header, 0);
  header.writeUInt32LE(payload.length, MAGIC.length);
  header.writeUInt32LE(crc32(payload), MAGIC.length + 4);
  return Buffer.concat([header, payload]);
}

/** The value of an entry's bytes; undefined when they are not a whole, intact entry. */
export function decodeEntry(bytes: Buffer): unknown {
  if (bytes.length < HEADER || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const length = bytes.readUInt32LE(MAGIC.length);
  const payload = bytes.subarray(HEADER);
  if (payload.length !== length || crc32(payload) !== bytes.readUInt32LE(MAGIC.length + 4)) {
    return undefined;
  }
  try {
    return deserialize(payload);
  } catch {
    return undefined;
  }
}

/** An entry's value, or undefined when there is no usable entry at `path`. */
export function readEntry(path: string): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  return decodeEntry(bytes);
}

/** Writes an entry atomically (temporary file in the same folder, then rename). Throws on IO. */
export function writeEntry(path: string, bytes: Buffer): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(temp, bytes);
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
