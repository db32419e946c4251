/** Why a file or directory could not be read, in a few words rather than a system message. */

const ERRNO_WORDS: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "it disappeared while the repo was read",
  ENOTDIR: "a parent is not a directory",
  EISDIR: "it is a directory",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the name is too long",
  EMFILE: "too many open files",
  ENFILE: "too many open files in the system",
  EIO: "input/output error",
  ESTALE: "stale file handle",
  EBUSY: "resource busy",
};

/** `permission denied (EACCES)` for a system error; the message itself for anything else. */
export function ioReason(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z0-9]+$/.test(code)) {
      return `${ERRNO_WORDS[code] ?? "system error"} (${code})`;
    }
    return err.message;
  }
  return String(err);
}
