/** Where the `pulumi` CLI is: the first executable `pulumi` on a search path (PATH by default). */
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { delimiter, isAbsolute, join } from "node:path";

/** The CLI's absolute path, or null when no directory on `searchPath` holds one. */
export async function findPulumiCli(
  searchPath: string | undefined,
  signal: AbortSignal,
): Promise<string | null> {
  for (const dir of (searchPath ?? "").split(delimiter)) {
    signal.throwIfAborted();
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, "pulumi");
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}
