/**
 * The real worker path: the compiled `parse-worker.js` in dist/ on worker threads, in this
 * process and in a separate `node` process loading a generated repo, compared with the in-process
 * load of the same files.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateFiles, scaleFor } from "../../bench/generate.js";
import { dumpLoaded } from "./fixtures/dump-loaded.mjs";
import { loadRepo } from "./load-repo.js";
import { memorySource } from "./memory-source.js";
import { parseFiles, parseOnThread, poolSize, type ParseJob } from "./parse-pool.js";
import type { ParsedFile } from "./yaml-file.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const DIST = join(ROOT, "dist");
const WORKER = pathToFileURL(join(DIST, "reconciler", "load", "parse-worker.js"));
const SCRIPT = fileURLToPath(new URL("./fixtures/dump-loaded.mjs", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "lab-parse-workers-"));

/** Files that the worker path must hand back exactly as the calling thread parses them. */
const ODD_FILES: Readonly<Record<string, string>> = {
  "servers/zz-broken.yaml": "servers:\n  broken-1: { provider: aws\n",
  "servers/zz-dup.yaml": "servers:\n  dup-1:\n    provider: aws\n    provider: ssh\n",
  "servers/zz-alias.yaml": "servers:\n  alias-1: &b { provider: ssh }\n  alias-2: *b\n",
  "servers/zz-bom.yaml":
    "\ufeffservers:\n  bom-é: { provider: ssh, note: ünïcode ✓ }\n  bom-é: {}\n",
  "labels/zz-deep.yaml": `labels:\n  deep: ${"[".repeat(300)}${"]".repeat(300)}\n`,
  "labels/zz-binary.yaml": "%YAML 1.1\n---\nlabels:\n  blob: !!binary aGVsbG8=\n  on: 2001-12-14\n",
  "labels/zz-proto.yaml":
    "labels:\n  __proto__: { classes: [x] }\n  nums: [-0, .nan, .inf, 0x1F]\n",
  "groups/zz-list.yaml": "- not a mapping\n",
  "zz-sops.yaml": "data: ENC[x]\nsops: { version: 3 }\n",
  "zz-lab.yaml": 'lab:\n  ignore: ["servers/zz-ignored.yaml"]\n',
  "servers/zz-ignored.yaml": "servers: [\n",
};

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (name.endsWith(".ts") && !name.endsWith(".test.ts")) {
      newest = Math.max(newest, info.mtimeMs);
    }
  }
  return newest;
}

/** dist/ must be newer than the sources the worker and the script run, or it is built. */
function ensureFreshDist(): void {
  const built = statSync(fileURLToPath(WORKER), { throwIfNoEntry: false });
  const sources = Math.max(
    newestMtime(join(ROOT, "reconciler", "load")),
    newestMtime(join(ROOT, "core")),
  );
  if (!built || built.mtimeMs < sources) {
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
  }
}

/** A generated repo over the pool's threshold, with the odd files added. */
function repoFiles(): Record<string, string> {
  const files: Record<string, string> = { ...ODD_FILES };
  for (const [path, text] of generateFiles({ ...scaleFor(6000), seed: 7 })) files[path] = text;
  return files;
}

/** A ParsedFile as text, positions included (container positions in the order of the data). */
function describeParsed(file: ParsedFile): string {
  const containers: unknown[] = [];
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== "object" || seen.has(value)) return;
    seen.add(value);
    containers.push(file.positions?.containers.get(value) ?? "missing");
    for (const item of Object.values(value)) visit(item);
  };
  visit(file.positions?.value);
  const { positions, ...rest } = file;
  const sizes = positions ? [positions.containers.size, seen.size] : null;
  const where = positions ? [positions.path, positions.root, positions.lineStarts] : null;
  return JSON.stringify({
    ...rest,
    where,
    sizes,
    containers,
    shared: file.sections === positions?.value,
  });
}

const canRun = availableParallelism() >= 2;

beforeAll(ensureFreshDist, 180_000);
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe.skipIf(!canRun)("parsing on worker threads", () => {
  const files = repoFiles();
  const jobs: ParseJob[] = Object.entries(files).map(([path, text]) => ({ path, text }));

  it("is over the threshold, so the pool is used", () => {
    expect(poolSize(jobs)).toBeGreaterThanOrEqual(2);
  });

  it("hands back every file as the calling thread parses it, in order", async () => {
    const outcome = await parseFiles(jobs, { workerUrl: WORKER });
    expect(outcome.workers).toBe(poolSize(jobs));
    const expected = jobs.map((job) => describeParsed(parseOnThread(job)));
    expect(outcome.files.map(describeParsed)).toEqual(expected);
  });

  it("stops at once on abort, with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    const parsing = parseFiles(jobs, { workerUrl: WORKER, signal: controller.signal });
    controller.abort(reason);
    await expect(parsing).rejects.toBe(reason);
  });

  it("gives a node process loading the compiled loader the in-process result, byte for byte", async () => {
    const filesJson = join(temp, "files.json");
    writeFileSync(filesJson, JSON.stringify(files));
    const stdout = execFileSync(process.execPath, [SCRIPT, DIST, filesJson], {
      encoding: "utf8",
      maxBuffer: 256 << 20,
      timeout: 120_000,
    });
    const newline = stdout.indexOf("\n");
    expect(Number(stdout.slice(0, newline))).toBe(poolSize(jobs));
    const loaded = await loadRepo(memorySource(files));
    const codes = new Set(loaded.diagnostics.map((d) => d.code));
    expect([...codes].sort()).toEqual(["LAB001", "LAB002", "LAB003", "LAB005"]);
    expect(stdout.slice(newline + 1)).toBe(dumpLoaded(loaded));
  });
});
