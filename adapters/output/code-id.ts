/**
 * An id of the code that renders: a hash over the files of lab's own modules that decide what a
 * tree holds (core, schemas, reconciler, renderers), as they are installed. A rendered tree is
 * only reused for the same input and the same code, so a new lab never trusts an old tree.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MODULES = ["core", "schemas", "reconciler", "renderers"];

/** lab's own root (the built `dist/`, or the sources when run from them). */
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

let memo: Promise<string> | null = null;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && /\.(js|ts|json)$/.test(e.name) && !/\.test\.|\.map$/.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

async function compute(): Promise<string> {
  const hash = createHash("sha256");
  for (const module of MODULES) {
    for (const file of await filesUnder(join(ROOT, module))) {
      hash.update(`${file.slice(ROOT.length)}\0`);
      hash.update(await readFile(file));
    }
  }
  return hash.digest("hex");
}

/** The code id, computed once per process. */
export function codeId(): Promise<string> {
  memo ??= compute();
  return memo;
}
