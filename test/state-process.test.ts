/**
 * The SQLite store across real processes: two processes racing for leases on one file, and the
 * apply journal after a process is killed with SIGKILL between intent and done. The children run
 * the store compiled from this checkout (tsc into node_modules/.cache, only the store's modules).
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../adapters/state/sqlite-open.js";
import type { StateStore } from "../core/state-store.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
let out: string;
let dir: string;
let storeModule: string;

beforeAll(() => {
  out = mkdtempSync(join(ROOT, "node_modules", ".cache-lab-state-"));
  dir = mkdtempSync(join(tmpdir(), "lab-state-process-"));
  execFileSync(
    process.execPath,
    [
      join(ROOT, "node_modules", "typescript", "bin", "tsc"),
      ...["--outDir", out, "--rootDir", ROOT, "--module", "nodenext", "--target", "es2023"],
      ...[
        "--moduleResolution",
        "nodenext",
        "--skipLibCheck",
        "--types",
        "node",
        "--ignoreConfig",
        "--noCheck",
      ],
      join(ROOT, "adapters", "state", "sqlite-open.ts"),
    ],
    { cwd: ROOT, stdio: "pipe" },
  );
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  storeModule = join(out, "adapters", "state", "sqlite-open.js");
}, 120_000);

afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

/** What a child runs: `race HOLDER ROUNDS START_FILE`, `mutex …` or `apply STOP_AT EFFECT_FILE`. */
const CHILD = `
import { appendFileSync } from "node:fs";
const [module, path, mode, ...args] = process.argv.slice(1);
const { openSqliteStore } = await import(module);
const { store } = await openSqliteStore({ path });
if (mode === "race") {
  const [holder, rounds, startFile] = args;
  // Ready, then wait for the go: both start together however long each took to load.
  process.stdout.write("ready\\n");
  const { existsSync } = await import("node:fs");
  while (!existsSync(startFile)) await new Promise((r) => setTimeout(r, 1));
  const won = [];
  for (let n = 0; n < Number(rounds); n++) {
    // The two processes walk the targets in opposite orders and meet in the middle.
    const i = holder === "process-a" ? n : Number(rounds) - 1 - n;
    if (await store.acquireLease("target-" + i, holder, 600000)) won.push(i);
  }
  process.stdout.write(JSON.stringify(won.sort((x, y) => x - y)) + "\\n");
  await store.close();
} else if (mode === "mutex") {
  const [holder, wins, startAt, log] = args;
  while (Date.now() < Number(startAt)) await new Promise((r) => setTimeout(r, 1));
  let won = 0;
  while (won < Number(wins)) {
    if (await store.acquireLease("shared", holder, 600000)) {
      won++;
      appendFileSync(log, "enter " + holder + "\\n");
      await new Promise((r) => setTimeout(r, 2));
      appendFileSync(log, "leave " + holder + "\\n");
      await store.releaseLease("shared", holder);
    }
    await new Promise((r) => setTimeout(r, Math.random() * 3));
  }
  process.stdout.write("done\\n");
  await store.close();
} else {
  const [stopAt, effect] = args;
  const hang = (point) => {
    if (stopAt !== point) return false;
    process.stdout.write(point + "\\n");
    setInterval(() => {}, 1000);
    return true;
  };
  const run = await store.startRun({ revision: "r1", trigger: "poll" });
  await store.journalIntent(run, "prometheus", "reload", "sha-1");
  if (!hang("after-intent")) {
    appendFileSync(effect, "reload sha-1\\n");
    if (!hang("after-effect")) {
      await store.journalDone("prometheus", "reload", "sha-1");
      hang("after-done");
    }
  }
}
`;

function child(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--input-type=module", "-e", CHILD, storeModule, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Resolves with the first line the child prints; rejects with its stderr if it exits first. */
function firstLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    proc.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const end = stdout.indexOf("\n");
      if (end !== -1) resolve(stdout.slice(0, end));
    });
    proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    proc.on("exit", (code, signal) =>
      reject(new Error(`child exited (${code ?? signal}): ${stderr}`)),
    );
  });
}

/** The child's first line, and its first `n` lines; both reject with its stderr if it exits first. */
function lines(proc: ChildProcess, n: number): { first: Promise<string>; all: Promise<string[]> } {
  let stdout = "";
  let stderr = "";
  let firstDone: (line: string) => void = () => undefined;
  let allDone: (got: string[]) => void = () => undefined;
  let failed: (err: Error) => void = () => undefined;
  const first = new Promise<string>((resolve, reject) => {
    firstDone = resolve;
    failed = reject;
  });
  const all = new Promise<string[]>((resolve, reject) => {
    allDone = resolve;
    const earlier = failed;
    failed = (err) => (earlier(err), reject(err));
  });
  proc.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
    const got = stdout.split("\n").slice(0, -1);
    if (got.length >= 1) firstDone(got[0]!);
    if (got.length >= n) allDone(got.slice(0, n));
  });
  proc.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  proc.on("exit", (code, signal) =>
    failed(new Error(`child exited (${code ?? signal}): ${stderr}`)),
  );
  return { first, all };
}

function killed(proc: ChildProcess): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    proc.on("exit", (_code, signal) => resolve(signal));
    proc.kill("SIGKILL");
  });
}

/** The next process's apply: skip what is done, ensure (check, then do) what may be half-done. */
async function applyAgain(store: StateStore, effect: string): Promise<string> {
  const run = await store.startRun({ revision: "r1", trigger: "poll" });
  const state = await store.journalIntent(run, "prometheus", "reload", "sha-1");
  if (state === "done") return state;
  const already = existsSync(effect) && readFileSync(effect, "utf8").includes("reload sha-1\n");
  if (state === "new" || !already) appendFileSync(effect, "reload sha-1\n");
  await store.journalDone("prometheus", "reload", "sha-1");
  return state;
}

describe("SQLite state store across processes", () => {
  it("gives each lease to exactly one of two processes racing on one file (200 rounds)", async () => {
    const path = join(dir, "race.db");
    await (await openSqliteStore({ path })).store.close(); // the schema exists before the race
    const rounds = 200;
    const go = join(dir, "race.go");
    const a = child([path, "race", "process-a", String(rounds), go]);
    const b = child([path, "race", "process-b", String(rounds), go]);
    const [outA, outB] = [lines(a, 2), lines(b, 2)];
    await Promise.all([outA.first, outB.first]);
    writeFileSync(go, "");
    const [wonA, wonB] = (await Promise.all([outA.all, outB.all])).map(
      (out) => JSON.parse(out[1]!) as number[],
    );
    const winners = Array.from(
      { length: rounds },
      (_, i) => [wonA!, wonB!].filter((w) => w.includes(i)).length,
    );
    expect(winners).toEqual(Array.from({ length: rounds }, () => 1));
    expect([wonA!.length > 0, wonB!.length > 0]).toEqual([true, true]);
    const { store } = await openSqliteStore({ path });
    for (const i of [0, 57, 199]) {
      expect((await store.lease(`target-${i}`))?.holder).toBe(
        wonA!.includes(i) ? "process-a" : "process-b",
      );
    }
    await store.close();
  });

  it("lets one process at a time hold a contended lease (enter/leave never overlap)", async () => {
    const path = join(dir, "mutex.db");
    const log = join(dir, "mutex.log");
    writeFileSync(log, "");
    await (await openSqliteStore({ path })).store.close();
    const startAt = String(Date.now() + 1500);
    const procs = ["process-a", "process-b", "process-c"].map((holder) =>
      child([path, "mutex", holder, "15", startAt, log]),
    );
    expect(await Promise.all(procs.map(firstLine))).toEqual(["done", "done", "done"]);
    const lines = readFileSync(log, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(90);
    const overlaps = lines.filter((line, i) => {
      const [verb, holder] = line.split(" ");
      const expected = i % 2 === 0 ? "enter" : "leave";
      return verb !== expected || (verb === "leave" && lines[i - 1] !== `enter ${holder}`);
    });
    expect(overlaps).toEqual([]);
  });

  const cases = [
    { stopAt: "after-intent", pending: true, state: "pending", effectBefore: "" },
    { stopAt: "after-effect", pending: true, state: "pending", effectBefore: "reload sha-1\n" },
    { stopAt: "after-done", pending: false, state: "done", effectBefore: "reload sha-1\n" },
  ] as const;

  it.each(cases)(
    "killed with SIGKILL $stopAt: the next process sees it and converges with one side effect",
    async ({ stopAt, pending, state, effectBefore }) => {
      const path = join(dir, `${stopAt}.db`);
      const effect = join(dir, `${stopAt}.effect`);
      writeFileSync(effect, "");
      const proc = child([path, "apply", stopAt, effect]);
      expect(await firstLine(proc)).toBe(stopAt);
      expect(await killed(proc)).toBe("SIGKILL");
      expect(readFileSync(effect, "utf8")).toBe(effectBefore);
      const { store, corrupt } = await openSqliteStore({ path });
      expect(corrupt).toBeNull();
      const intents = await store.pendingIntents();
      expect(intents.map((e) => [e.runId, e.target, e.step, e.key])).toEqual(
        pending ? [[1, "prometheus", "reload", "sha-1"]] : [],
      );
      expect((await store.lastRuns(5)).map((r) => [r.id, r.finishedAt])).toEqual([[1, null]]);
      expect(await applyAgain(store, effect)).toBe(state);
      expect(await store.pendingIntents()).toEqual([]);
      expect(await applyAgain(store, effect)).toBe("done");
      expect(readFileSync(effect, "utf8")).toBe("reload sha-1\n");
      await store.close();
    },
  );
});
