/**
 * Replacing a file so that it is never half-written: the new text goes to a temporary file in
 * the same folder, is flushed to disk, and is renamed over the old one (the folder flushed
 * too). A failure leaves the old file as it was and removes the temporary one.
 */
import { randomBytes } from "node:crypto";
import { access, constants, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LabError } from "../../../core/errors.js";
import { errnoCode, ioReason } from "../../../core/io-reason.js";

/** Write `text` to `path` atomically; `shown` names the file in errors. Keeps an existing mode. */
export async function writeFileAtomic(
  path: string,
  text: string,
  shown: string,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  const dir = dirname(path);
  let mode = 0o644;
  try {
    mode = (await stat(path)).mode & 0o7777;
    await access(path, constants.W_OK);
  } catch (err) {
    if (errnoCode(err) !== "ENOENT") {
      throw new LabError("IO", `cannot write ${shown}: ${ioReason(err)}`, { cause: err });
    }
  }
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      await handle.writeFile(text, { encoding: "utf8", signal });
      await handle.sync();
    } finally {
      await handle.close();
    }
    signal?.throwIfAborted();
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (signal?.aborted) throw err;
    throw new LabError("IO", `cannot write ${shown}: ${ioReason(err)}`, { cause: err });
  }
  const folder = await open(dir, "r").catch(() => null);
  if (folder) {
    await folder.sync().catch(() => undefined);
    await folder.close();
  }
}
