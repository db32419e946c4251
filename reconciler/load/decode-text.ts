/** Bytes to text for config and Puppet files: strict UTF-8, a leading byte-order mark allowed. */
import type { Diagnostic } from "../../core/diagnostics.js";

/** Throws on the first malformed sequence; drops a leading UTF-8 byte-order mark. */
const STRICT = new TextDecoder("utf-8", { fatal: true });
const LOSSY = new TextDecoder("utf-8");
/** Windows-1252's characters for the bytes 0x80-0x9F (the five unassigned ones are blank). */
const WINDOWS_1252_HIGH = "€ ‚ƒ„…†‡ˆ‰Š‹Œ Ž  ‘’“”•–—˜™š›œ žŸ";

/** What a byte would be in Windows-1252 (the same as Latin-1 from 0xA0 on). */
function windows1252(byte: number): string {
  if (byte < 0x80 || byte > 0x9f) return String.fromCharCode(byte);
  const c = WINDOWS_1252_HIGH[byte - 0x80];
  return c === undefined || c === " " ? String.fromCharCode(byte) : c;
}

export type Decoded = { text: string } | { diagnostic: Diagnostic; text: string };

/**
 * The text of a file, or a LAB007 diagnostic at the first byte that is not UTF-8 (with the
 * text decoded with replacement characters, for what it still tells).
 */
export function decodeUtf8(path: string, bytes: Uint8Array): Decoded {
  try {
    return { text: STRICT.decode(bytes) };
  } catch {
    return { diagnostic: notUtf8(path, bytes), text: LOSSY.decode(bytes) };
  }
}

/** Offset of the first byte that does not begin or continue a well-formed UTF-8 character; -1 if none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0xc2) return i;
    if (b < 0xe0) need = 1;
    else if (b < 0xf0) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b < 0xf5) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    const second = bytes[i + 1];
    if (second === undefined || second < lo || second > hi) return i;
    for (let k = 2; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
}

/** 1-based line and column (in characters; a byte-order mark is not one) of a byte offset. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  let col = 1;
  for (let i = lineStart; i < offset; i++) if ((bytes[i]! & 0xc0) !== 0x80) col += 1;
  if (line === 1 && hasUtf8Bom(bytes) && offset >= 3) col -= 1;
  return { line, col };
}

function reencodeFix(path: string, from: string): string {
  return `re-save the file as UTF-8, e.g. \`iconv -f ${from} -t utf-8 ${path} > ${path}.utf8 && mv ${path}.utf8 ${path}\``;
}

function lab007(path: string, at: { line: number; col: number }, message: string, fix: string) {
  const d: Diagnostic = {
    file: path,
    ...at,
    severity: "error",
    code: "LAB007",
    pointer: "",
    message,
    fix,
  };
  return d;
}

function notUtf8(path: string, bytes: Uint8Array): Diagnostic {
  if (hasUtf16Bom(bytes)) {
    return lab007(
      path,
      { line: 1, col: 1 },
      "file is UTF-16 (it starts with a UTF-16 byte-order mark); lab reads config files as UTF-8",
      reencodeFix(path, "utf-16"),
    );
  }
  const offset = Math.max(firstInvalidUtf8(bytes), 0);
  const byte = bytes[offset] ?? 0;
  const hex = byte.toString(16).toUpperCase().padStart(2, "0");
  const from = byte >= 0xa0 ? "latin1" : "windows-1252";
  return lab007(
    path,
    bytePosition(bytes, offset),
    `file is not valid UTF-8: byte 0x${hex} here does not begin or continue a UTF-8 character ` +
      `(in ${from === "latin1" ? "Latin-1" : "Windows-1252"} it would be ${JSON.stringify(windows1252(byte))}); ` +
      "lab reads config files as UTF-8",
    reencodeFix(path, from),
  );
}
