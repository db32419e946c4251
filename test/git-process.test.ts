/**
 * The native Git source in a Node process of its own (the built dist/): reading a tree and closing
 * the source lets the process finish normally, and a source that is never closed does not keep it
 * running.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitFixture } from "./git-fixtures.js";
import { makeGitFixture } from "./git-fixtures.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BUILT = join(ROOT, "dist", "adapters", "git", "native-git-source.js");

function newest(dir: string): number {
  let max = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = statSync(path);
    if (info.isDirectory()) max = Math.max(max, newest(path));
    else if (name.endsWith(".ts")) max = Math.max(max, info.mtimeMs);
  }
  return max;
}

let fixture: GitFixture;

beforeAll(async () => {
  const sources = Math.max(newest(join(ROOT, "adapters", "git")), newest(join(ROOT, "core")));
  if (!existsSync(BUILT) || statSync(BUILT).mtimeMs < sources) {
    // Emits even when files elsewhere do not type-check; what counts is that dist/ is fresh.
    try {
      execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "pipe" });
    } catch {
      // reported by the type-check, not here
    }
  }
  fixture = await makeGitFixture();
  await fixture.commit({ "lab.yaml": "lab: { name: t }\n", "b.yaml": "labels: {}\n" });
}, 180_000);
afterAll(() => fixture.remove());

function script(close: boolean): string {
  return `
    import { nativeGitSource } from ${JSON.stringify(pathToFileURL(BUILT).href)};
    const source = nativeGitSource(${JSON.stringify(fixture.bare)}, { cache: ${JSON.stringify(join(fixture.root, close ? "c1" : "c2"))} });
    const { revision } = await source.fetch("default");
    const tree = await source.tree(revision);
    const names = [];
    for (const f of (await tree.list()).files) names.push(f.path + "=" + (await tree.read(f.path)).length);
    ${close ? "await source.close();" : ""}
    console.log(names.sort().join(","));
  `;
}

describe("the native Git source in its own process", () => {
  for (const close of [true, false]) {
    it(`finishes normally ${close ? "after close()" : "without close()"}`, () => {
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script(close)], {
        encoding: "utf8",
        timeout: 30_000,
      });
      expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
        status: 0,
        stdout: "b.yaml=11,lab.yaml=17\n",
        stderr: "",
      });
    });
  }
});
