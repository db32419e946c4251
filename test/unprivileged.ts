/** Running a piece of a test with an unprivileged user's file permissions. */

/**
 * Runs `fn` with an unprivileged user's permissions. Tests run as root here, and root reads a
 * directory of mode 000 anyway; as root, the effective uid and gid become nobody's (65534) while
 * `fn` runs, so the kernel applies the permissions for real. (Needs a process per test file:
 * vitest's `pool: "forks"`.)
 */
export async function asUnprivileged<T>(fn: () => Promise<T>): Promise<T> {
  if (process.geteuid?.() !== 0) return fn();
  process.setegid!(65534);
  process.seteuid!(65534);
  try {
    return await fn();
  } finally {
    process.seteuid!(0);
    process.setegid!(0);
  }
}
