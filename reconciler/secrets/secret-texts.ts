/**
 * The raw texts of a revision's SOPS files under secrets/ (the loader skips them), for the plan's
 * value changes. Read through the side's FileSource; a file that cannot be read is left out.
 */
import { cmp } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import { secretFilePrefix, type SecretText } from "./sops-values.js";

/** At most this many bytes per file: a SOPS file is small; a bigger one is not read. */
export const MAX_SECRET_FILE_BYTES = 4 * 1024 * 1024;

const UTF8 = new TextDecoder("utf-8");

export async function readSecretTexts(
  source: FileSource,
  signal?: AbortSignal,
): Promise<SecretText[]> {
  const listing = await source.list(signal);
  const files = listing.files
    .filter((f) => secretFilePrefix(f.path) !== null && f.size <= MAX_SECRET_FILE_BYTES)
    .map((f) => f.path)
    .sort(cmp);
  const texts = await Promise.all(
    files.map(async (file) => {
      try {
        return { file, text: UTF8.decode(await source.read(file, signal)) };
      } catch (err) {
        if (signal?.aborted) throw err;
        return null;
      }
    }),
  );
  return texts.filter((t): t is SecretText => t !== null);
}
