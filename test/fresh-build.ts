/** The build the process suites run (bin/lab.js → dist/), rebuilt when a source is newer. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./example-repo.js";

/** The folders dist/ is built from. */
const SOURCES = ["core", "schemas", "reconciler", "renderers", "adapters", "cli"];

/** Newest modification time of the TypeScript sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (name.endsWith(".ts")) newest = Math.max(newest, info.mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than a source (for a suite run on its own). */
export function buildIfStale(): void {
  const main = join(ROOT, "dist", "cli", "main.js");
  const newest = Math.max(...SOURCES.map((dir) => newestSource(join(ROOT, dir))));
  if (existsSync(main) && statSync(main).mtimeMs >= newest) return;
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
}
