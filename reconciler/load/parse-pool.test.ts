import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  batchJobs,
  parseFiles,
  parseOnThread,
  poolSize,
  POOL_MIN_CHARS,
  type ParseJob,
} from "./parse-pool.js";
import { isPlainData, parseForTransfer } from "./parse-worker.js";
import { MAX_DEPTH, parseYamlFile } from "./yaml-file.js";

const temp = mkdtempSync(join(tmpdir(), "lab-parse-pool-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const JOBS: ParseJob[] = [
  { path: "b.yaml", text: "servers:\n  web-01: { provider: aws }\n" },
  { path: "a.yaml", text: "labels:\n  x: { classes: [a] }\n  x: {}\n" },
  { path: "c.yaml", text: "servers: [\n" },
  { path: "d.yaml", text: "- a list\n" },
];

describe("poolSize", () => {
  const big = [
    { path: "a.yaml", text: "x".repeat(POOL_MIN_CHARS / 2) },
    { path: "b.yaml", text: "y".repeat(POOL_MIN_CHARS / 2) },
  ];

  it("uses no worker below the size threshold", () => {
    expect(poolSize(big.slice(0, 1))).toBe(0);
    expect(poolSize(JOBS)).toBe(0);
  });

  it("uses min(cores, 4, jobs) workers above it, and none unless that is at least 2", () => {
    const cores = availableParallelism();
    expect(poolSize(big)).toBe(cores >= 2 ? 2 : 0);
    expect(poolSize(JOBS, { minChars: 0 })).toBe(Math.min(cores, 4) >= 2 ? Math.min(cores, 4) : 0);
    expect(poolSize(JOBS, { minChars: 0, maxWorkers: 1 })).toBe(0);
  });
});

describe("batchJobs", () => {
  it("sends the biggest files first, small ones together, every job once", () => {
    const jobs = [
      { path: "small-1", text: "a".repeat(10) },
      { path: "huge", text: "b".repeat(200_000) },
      { path: "small-2", text: "c".repeat(20) },
      { path: "mid", text: "d".repeat(70_000) },
    ];
    expect(batchJobs(jobs)).toEqual([[1], [3], [2, 0]]);
    expect(batchJobs([])).toEqual([]);
  });
});

describe("parseFiles on the calling thread", () => {
  it("falls back silently when the compiled worker script is not beside the module", async () => {
    expect(existsSync(new URL("./parse-worker.js", import.meta.url))).toBe(false);
    const outcome = await parseFiles(JOBS, { minChars: 0 });
    expect(outcome.workers).toBe(0);
    expect(outcome.files).toEqual(JOBS.map((job) => parseYamlFile(job.path, job.text)));
  });

  it("keeps the order of the jobs", async () => {
    const { files } = await parseFiles(JOBS);
    expect(files.map((f) => f.path)).toEqual(["b.yaml", "a.yaml", "c.yaml", "d.yaml"]);
    expect(files.map((f) => f.diagnostics.map((d) => d.code))).toEqual([
      [],
      ["LAB005"],
      ["LAB001"],
      ["LAB002"],
    ]);
  });

  it("falls back when the worker script is missing or fails to start", async () => {
    const failing = join(temp, "failing-worker.mjs");
    writeFileSync(failing, 'throw new Error("cannot start");\n');
    const missing = new URL("missing-worker.mjs", pathToFileURL(`${temp}/`));
    for (const workerUrl of [missing, pathToFileURL(failing)]) {
      const outcome = await parseFiles(JOBS, { minChars: 0, workerUrl });
      expect(outcome.workers).toBe(0);
      expect(outcome.files).toEqual(JOBS.map((job) => parseYamlFile(job.path, job.text)));
    }
  });

  it("parses what a dying worker was given on the calling thread", async () => {
    const dying = join(temp, "dying-worker.mjs");
    writeFileSync(
      dying,
      'import { parentPort } from "node:worker_threads";\n' +
        "parentPort.on('message', () => process.exit(3));\n",
    );
    const outcome = await parseFiles(JOBS, { minChars: 0, workerUrl: pathToFileURL(dying) });
    expect(outcome.workers).toBe(0);
    expect(outcome.files).toEqual(JOBS.map((job) => parseYamlFile(job.path, job.text)));
  });

  it("rejects with the signal's reason when aborted", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(parseFiles(JOBS, { signal: controller.signal })).rejects.toBe(reason);
  });
});

describe("parseForTransfer (the worker's side)", () => {
  it("hands back an ordinary file as parseYamlFile parses it", () => {
    for (const job of JOBS) {
      expect(parseForTransfer(job)).toEqual(parseYamlFile(job.path, job.text));
    }
  });

  it("leaves files that hit a nesting limit to the calling thread", () => {
    const deep = "a: " + "[".repeat(MAX_DEPTH + 5) + "]".repeat(MAX_DEPTH + 5) + "\n";
    expect(parseForTransfer({ path: "deep.yaml", text: deep })).toBeNull();
  });

  it("leaves values that would not clone as themselves to the calling thread", () => {
    const binary = "%YAML 1.1\n---\nlabels:\n  blob: !!binary aGVsbG8=\n";
    const labels = parseOnThread({ path: "b.yaml", text: binary }).sections?.labels;
    expect(Buffer.isBuffer((labels as { blob: unknown }).blob)).toBe(true);
    expect(parseForTransfer({ path: "b.yaml", text: binary })).toBeNull();
    const dates = "%YAML 1.1\n---\nlabels:\n  when: 2001-12-14\n";
    expect(parseForTransfer({ path: "d.yaml", text: dates })).toBeNull();
  });

  it("tells plain data from the rest", () => {
    const shared = { a: [1, "x", null, true, 2n] };
    expect(isPlainData({ one: shared, two: shared, n: -0 })).toBe(true);
    const proto: Record<string, unknown> = {};
    Object.defineProperty(proto, "__proto__", { value: { a: 1 }, enumerable: true });
    expect(isPlainData(proto)).toBe(true);
    expect(isPlainData({ a: new Date(0) })).toBe(false);
    expect(isPlainData([new Uint8Array(1)])).toBe(false);
    expect(isPlainData({ f: () => 1 })).toBe(false);
    expect(isPlainData(Object.create(null))).toBe(false);
  });
});
