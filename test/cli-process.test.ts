/** `bin/lab.js` as a real process: the built CLI, its exit codes and its streams. */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../cli/version.js";
import {
  copyExample,
  EXAMPLE,
  removeTemps,
  ROOT,
  SMALL_REPO,
  tempDir,
  writeRepo,
} from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";

const BIN = join(ROOT, "bin", "lab.js");

beforeAll(buildIfStale, 180_000);
afterAll(removeTemps);

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("bin/lab.js", () => {
  it("--version, exit 0", () => {
    expect(run(["--version"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });

  it("lists servers as JSON from LAB_REPO", () => {
    const r = run(["get", "servers", "-o", "json"], { LAB_REPO: copyExample() });
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { items: unknown[] }).items).toHaveLength(23);
  });

  it("exit 2 for a usage mistake, exit 1 for a broken repo — never a stack trace", () => {
    const usage = run(["get", "servers", "-o", "xml"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain(
      "error: option '-o, --output <format>' argument 'xml' is invalid",
    );
    const broken = writeRepo({
      ...SMALL_REPO,
      "servers.yaml": "servers:\n  web-1: { provider: nope }\n",
    });
    const r = run(["--repo", broken, "render"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('run "lab validate" for details');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const read = run(["--repo", broken, "get", "servers"]);
    expect(read.code).toBe(1);
    expect(read.stderr).toMatch(/^warning: the repo has 1 error; /);
    expect(read.stderr).not.toMatch(/\n\s+at /);
  });
});

describe("an output path that cannot be written", () => {
  /** Runs the built CLI as a user who cannot write `dir` (nobody, when the tests run as root). */
  function runLocked(args: string[]) {
    const asRoot = process.getuid?.() === 0;
    const command = asRoot ? "runuser" : process.execPath;
    const argv = asRoot ? ["-u", "nobody", "--", process.execPath, BIN, ...args] : [BIN, ...args];
    const r = spawnSync(command, argv, { encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it("is a clear error naming the path and the reason, exit 1, quickly (real permissions)", () => {
    const base = tempDir();
    chmodSync(base, 0o755);
    const repo = join(base, "repo");
    cpSync(EXAMPLE, repo, { recursive: true, filter: (src) => !src.includes("/.lab") });
    const locked = join(base, "locked");
    mkdirSync(locked, { mode: 0o755 });
    if (process.getuid?.() !== 0) chmodSync(locked, 0o555);
    for (const p of [base, repo]) chmodSync(p, 0o755);
    execFileSync("chmod", ["-R", "a+rX", repo]);
    const started = Date.now();
    const r = runLocked(["--repo", repo, "render", "--out", join(locked, "out")]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: `error: cannot write to ${locked}: permission denied (EACCES)\n`,
    });
    expect(readdirSync(locked)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it("a file, a path below a file, and a folder the kernel refuses: named, exit 1, no loop", () => {
    const repo = copyExample();
    const file = join(tempDir(), "plain");
    writeFileSync(file, "x");
    const cases: [string, string][] = [
      [file, `error: cannot write the rendered tree to ${file}: it is a file, not a directory\n`],
      [
        join(file, "sub", "out"),
        `error: cannot write to ${join(file, "sub")}: ${file} is not a directory (needed for ${join(file, "sub")})\n`,
      ],
      ["/proc/lab-nope", "error: cannot write to /proc: no such file or directory (ENOENT)\n"],
    ];
    for (const [out, stderr] of cases) {
      const started = Date.now();
      const r = run(["--repo", repo, "render", "--out", out]);
      expect([out, r]).toEqual([out, { code: 1, stdout: "", stderr }]);
      expect(Date.now() - started).toBeLessThan(20_000);
    }
  });
});

describe("a checkout that is not ready", () => {
  it("unbuilt: says to run npm run build, exit 1, no stack trace", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "bin"));
    cpSync(BIN, join(dir, "bin", "lab.js"));
    const r = spawnSync(process.execPath, [join(dir, "bin", "lab.js"), "--version"], {
      encoding: "utf8",
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `error: lab is not built: run "npm run build" in ${dir}\n`,
    ]);
  });

  it("without its npm packages: says to run npm ci, exit 1, no stack trace", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "bin"));
    cpSync(BIN, join(dir, "bin", "lab.js"));
    cpSync(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
    const r = spawnSync(process.execPath, [join(dir, "bin", "lab.js"), "--version"], {
      encoding: "utf8",
    });
    expect([r.status, r.stdout, r.stderr]).toEqual([
      1,
      "",
      `error: lab's npm packages are not installed: run "npm ci" in ${dir}\n`,
    ]);
  });
});
