/** Why a file or directory of the repo could not be read, in a few words. */
import { ioReason as reason } from "../../core/io-reason.js";

/** A file the listing found and the read did not: it went away in between. */
const READ_WORDS: Readonly<Record<string, string>> = {
  ENOENT: "it disappeared while the repo was read",
};

/** `permission denied (EACCES)` for a system error; the message itself for anything else. */
export function ioReason(err: unknown): string {
  return reason(err, READ_WORDS);
}
