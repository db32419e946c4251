/** examples/infra-repo and temp copies of it, for the suites under test/. */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const EXAMPLE = join(ROOT, "examples", "infra-repo");

/** The example's own render output (left there by `npm start`): never part of a copy. */
const EXAMPLE_OUTPUT = join(EXAMPLE, ".lab");

const temps: string[] = [];

/** A new empty temp dir, removed by `removeTemps()`. */
export function tempDir(prefix = "lab-cli-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Removes every dir made by `tempDir()` (and so every copy) so far; for `afterAll`. */
export function removeTemps(): void {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A copy of examples/infra-repo, without its `.lab/` folder, at <temp dir>/infra-repo. */
export function copyExample(prefix?: string): string {
  const dir = join(tempDir(prefix), "infra-repo");
  cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => src !== EXAMPLE_OUTPUT });
  return dir;
}
