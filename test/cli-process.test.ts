/** `bin/lab.js` as a real process: the built CLI, its exit codes and its streams. */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VERSION } from "../cli/version.js";
import { copyExample, removeTemps, ROOT, SMALL_REPO, writeRepo } from "./cli-harness.js";

const BIN = join(ROOT, "bin", "lab.js");
const MAIN = join(ROOT, "dist", "cli", "main.js");

/** Newest modification time of the CLI's sources, to tell a stale build. */
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

beforeAll(() => {
  const stale = !existsSync(MAIN) || statSync(MAIN).mtimeMs < newestSource(join(ROOT, "cli"));
  if (stale)
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
}, 180_000);
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
    const r = run(["--repo", broken, "get", "servers"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('run "lab validate" for details');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
