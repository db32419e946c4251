/**
 * The fast loader and the persistent cache. Parts of one run:
 * - parse-yaml / parse-fast: every config file through the reference (`yaml`) path and through
 *   the fast path with its fallback (what loadRepo uses), side by side;
 * - load-cold: loadRepo with no cache;
 * - load-one-file: loadRepo with a warm LoadCache after one label's classes changed (only that
 *   file is parsed);
 * - check-one-file: the cached check after that change (files from the disk cache, the changed
 *   one parsed, validate and resolve run);
 * - cli-get-servers / cli-validate: `lab get servers` and `lab validate` as processes (node
 *   bin/lab.js, process start included) with a warm cache; cli-get-servers-no-cache the same
 *   without it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkRepoCached } from "../adapters/cache/cached-check.js";
import { openDiskCache } from "../adapters/cache/disk-cache.js";
import { dirSource } from "../adapters/fs/dir-source.js";
import { codeId } from "../adapters/output/code-id.js";
import { parseConfigYaml } from "../reconciler/load/load-file.js";
import { createLoadCache, loadRepo, type LoadCache } from "../reconciler/load/load-repo.js";
import { parseYamlFile } from "../reconciler/load/yaml-file.js";
import type { Parts, Stage } from "./stages.js";

interface Input {
  dir: string;
  texts: { path: string; text: string }[];
  cacheDir: string;
  warm: LoadCache;
  /** The file the one-file change edits, and its two versions. */
  edit: { path: string; before: string; after: string };
  /** Runs so far: each run's edit is new content (a stored check of it cannot exist yet). */
  runs: number;
  lab: string;
}

/** The CLI entry point at the checkout root (this file runs from dist/bench/). */
const LAB = join(import.meta.dirname, "..", "..", "bin", "lab.js");

function timed<T>(parts: Record<string, number>, name: string, run: () => T): T {
  const start = performance.now();
  const value = run();
  parts[name] = performance.now() - start;
  return value;
}

async function timedAsync<T>(
  parts: Record<string, number>,
  name: string,
  run: () => Promise<T>,
): Promise<T> {
  const start = performance.now();
  const value = await run();
  parts[name] = performance.now() - start;
  return value;
}

function cli(input: Input, args: string[], env: Record<string, string>): void {
  execFileSync(process.execPath, [input.lab, "--repo", input.dir, ...args], {
    env: { ...process.env, LAB_CACHE_DIR: input.cacheDir, ...env },
    stdio: ["ignore", "ignore", "ignore"],
  });
}

/** One label's classes changed: the first label file's first class list loses its first entry. */
function editOf(dir: string, files: string[]): Input["edit"] {
  for (const path of files) {
    const before = readFileSync(join(dir, path), "utf8");
    const after = before.replace(/puppet_classes: \[([^,\]]+), /, "puppet_classes: [");
    if (after !== before) return { path, before, after };
  }
  throw new Error(`no label with two classes in ${dir}`);
}

export function cacheStage(configFiles: (dir: string) => Promise<string[]>): Stage<Input> {
  return {
    name: "cache",
    description: "fast vs yaml parse, cold and one-file-change loads, warm CLI processes",
    async prepare(dir) {
      const files = await configFiles(dir);
      const texts = files.map((path) => ({ path, text: readFileSync(join(dir, path), "utf8") }));
      const cacheDir = mkdtempSync(join(tmpdir(), "lab-bench-cache-"));
      const warm = createLoadCache();
      await loadRepo(dirSource(dir), { cache: warm });
      const edit = editOf(dir, files);
      const input: Input = { dir, texts, cacheDir, warm, edit, lab: LAB, runs: 0 };
      // Prime the persistent cache for both verbs.
      cli(input, ["get", "servers"], {});
      cli(input, ["validate"], {});
      return input;
    },
    async run(input) {
      const parts: Parts["parts"] = {};
      const { dir, texts, edit } = input;
      timed(parts, "parse-yaml", () => texts.forEach((t) => parseYamlFile(t.path, t.text)));
      timed(parts, "parse-fast", () => texts.forEach((t) => parseConfigYaml(t.path, t.text)));
      await timedAsync(parts, "load-cold", () => loadRepo(dirSource(dir)));
      const disk = openDiskCache({ dir: input.cacheDir, codeId: await codeId() });
      try {
        input.runs += 1;
        writeFileSync(join(dir, edit.path), `${edit.after}# run ${input.runs}\n`);
        await timedAsync(parts, "load-one-file", () =>
          loadRepo(dirSource(dir), { cache: input.warm }),
        );
        await timedAsync(parts, "check-one-file", () =>
          checkRepoCached(dirSource(dir), dir, disk, { partial: true }),
        );
      } finally {
        writeFileSync(join(dir, edit.path), edit.before);
      }
      await loadRepo(dirSource(dir), { cache: input.warm });
      timed(parts, "cli-get-servers", () => cli(input, ["get", "servers"], {}));
      timed(parts, "cli-validate", () => cli(input, ["validate"], {}));
      timed(parts, "cli-get-servers-no-cache", () =>
        cli(input, ["get", "servers"], { LAB_NO_CACHE: "1" }),
      );
      return { parts };
    },
  };
}
