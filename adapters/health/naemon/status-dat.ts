/**
 * The `status.dat` Naemon and Nagios write every few seconds: `hoststatus { … }` and
 * `servicestatus { … }` blocks of `\tkey=value` lines. The file is scanned as bytes and only
 * the fields lab reads are looked up (one `indexOf` each inside their block) and decoded, so a
 * file of 10k hosts and 80k services (over 100 MB) is never decoded whole. Never throws on what
 * the daemon wrote: a block it cannot read is skipped.
 */
import type { NaemonStatus } from "./naemon-health.js";

const NEWLINE = 0x0a;
const OPEN = Buffer.from("status {\n");
const TAB_CLOSE = Buffer.from("\n\t}");
const BARE_CLOSE = Buffer.from("\n}");
const HOST = Buffer.from("host");
const SERVICE = Buffer.from("service");

/** `\n\t<key>=` for each field read. */
const KEYS = Object.fromEntries(
  [
    "host_name",
    "service_description",
    "current_state",
    "plugin_output",
    "last_check",
    "has_been_checked",
    "state_type",
  ].map((key) => [key, Buffer.from(`\n\t${key}=`)]),
) as Record<string, Buffer>;

/**
 * Reads fields of the block data[start, end) in the order given: each is looked for from where
 * the one before it was found (nagios4 writes them in this order, so the block is scanned about
 * once), and from the block's start when it is not there (another daemon's order).
 */
interface BlockReader {
  text(key: string): string | null;
  /** A non-negative integer value read from its digits (0 when absent or not a number). */
  int(key: string): number;
}

function blockReader(data: Buffer, start: number, end: number): BlockReader {
  let cursor = start;
  /** Where the value of `key` is, [from, to); null when the block does not have it. */
  const find = (key: string): [number, number] | null => {
    const needle = KEYS[key]!;
    let at = data.indexOf(needle, cursor);
    if (at === -1 || at >= end) at = data.indexOf(needle, start);
    if (at === -1 || at >= end) return null;
    const from = at + needle.length;
    let to = data.indexOf(NEWLINE, from);
    if (to === -1 || to > end) to = end;
    cursor = to;
    return [from, to];
  };
  return {
    text(key) {
      const at = find(key);
      return at === null ? null : data.toString("utf8", at[0], at[1]);
    },
    int(key) {
      const at = find(key);
      if (at === null) return 0;
      let n = 0;
      for (let i = at[0]; i < at[1]; i++) {
        const digit = data[i]! - 0x30;
        if (digit < 0 || digit > 9) return i === at[0] ? 0 : n;
        n = n * 10 + digit;
      }
      return n;
    },
  };
}

/** Where the block opened at `start` closes: its `\t}` line (or a bare `}` one). */
function blockEnd(data: Buffer, start: number): number {
  const tab = data.indexOf(TAB_CLOSE, start);
  if (tab !== -1) return tab;
  const bare = data.indexOf(BARE_CLOSE, start);
  return bare === -1 ? data.length : bare;
}

function entry(data: Buffer, start: number, end: number, service: boolean): NaemonStatus | null {
  const block = blockReader(data, start, end);
  const host = block.text("host_name");
  if (host === null) return null;
  if (service) {
    // nagios4's order in a servicestatus block.
    const description = block.text("service_description");
    if (description === null) return null;
    const checked = block.int("has_been_checked") === 1;
    const state = block.int("current_state");
    const hard = block.int("state_type") === 1;
    const output = block.text("plugin_output") ?? "";
    const lastCheck = block.int("last_check");
    return { host, service: description, state, output, lastCheck, checked, hard };
  }
  // nagios4's order in a hoststatus block.
  const checked = block.int("has_been_checked") === 1;
  const state = block.int("current_state");
  const output = block.text("plugin_output") ?? "";
  const lastCheck = block.int("last_check");
  const hard = block.int("state_type") === 1;
  return { host, service: null, state, output, lastCheck, checked, hard };
}

/** Whether data[lineStart, at) is exactly `word`. */
function kindIs(data: Buffer, lineStart: number, at: number, word: Buffer): boolean {
  return at - lineStart === word.length && data.compare(word, 0, word.length, lineStart, at) === 0;
}

/** Every host and service status in the file, in file order. */
export function parseStatusDat(input: Buffer | string): NaemonStatus[] {
  const data = typeof input === "string" ? Buffer.from(input, "utf8") : input;
  const out: NaemonStatus[] = [];
  let at = data.indexOf(OPEN);
  while (at !== -1) {
    const lineStart = at === 0 ? 0 : data.lastIndexOf(NEWLINE, at - 1) + 1;
    const start = at + OPEN.length - 1; // at the newline, so the first field matches "\n\t"
    const end = blockEnd(data, start);
    const service = kindIs(data, lineStart, at, SERVICE);
    if (service || kindIs(data, lineStart, at, HOST)) {
      const status = entry(data, start, end, service);
      if (status) out.push(status);
    }
    at = data.indexOf(OPEN, end);
  }
  return out;
}
