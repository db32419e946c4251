/** What only the native Git source promises: one `git cat-file --batch` process per source. */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitSource } from "../core/git-source.js";
import type { RemoteHarness } from "./git-harness.js";
import { makeRemote } from "./git-harness.js";

/** The command lines of running processes that contain every one of `parts`. */
async function processesWith(...parts: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    const line = cmdline.split("\0").join(" ");
    if (parts.every((p) => line.includes(p))) found.push(line);
  }
  return found;
}

describe("native GitSource", () => {
  let remote: RemoteHarness;
  let source: GitSource;
  const files: Record<string, string> = {};
  for (let i = 0; i < 300; i++) files[`servers/s-${i}.yaml`] = `servers: { s-${i}: {} }\n`;

  beforeAll(async () => {
    remote = await makeRemote("path");
    await remote.commit(files);
    source = await remote.open("native");
  });
  afterAll(() => remote.dispose());

  it("reads a whole tree through one git cat-file --batch process, ended by close()", async () => {
    const { revision } = await source.fetch("default");
    const tree = await source.tree(revision);
    const listing = await tree.list();
    expect(listing.files).toHaveLength(300);
    const read = await Promise.all(listing.files.map((f) => tree.read(f.path)));
    expect(read.map((b) => Buffer.from(b).toString())).toEqual(
      listing.files.map((f) => files[f.path]),
    );
    // A second tree of the same source shares the process.
    await (await source.tree(revision)).read("servers/s-7.yaml");
    const mirror = `--git-dir=${remote.lastCache ?? "?"}`;
    const running = await processesWith("cat-file", "--batch", mirror);
    expect(running).toHaveLength(1);
    await source.close();
    expect(await processesWith("cat-file", "--batch", mirror)).toEqual([]);
  });

  it("sources made at once on one empty cache folder each get a whole copy (one is made, not two half ones)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-mirror-race-"));
    try {
      const cache = join(dir, "mirror.git");
      const sources = await Promise.all(
        Array.from({ length: 6 }, () => remote.open("native", { cache })),
      );
      const fetched = await Promise.all(sources.map((s) => s.fetch("default")));
      expect(new Set(fetched.map((f) => f.revision)).size).toBe(1);
      const lists = await Promise.all(
        sources.map(async (s) => (await (await s.tree(fetched[0]!.revision)).list()).files.length),
      );
      expect(lists).toEqual([300, 300, 300, 300, 300, 300]);
      expect((await readdir(dir)).sort()).toEqual(["mirror.git"]);
      await Promise.all(sources.map((s) => s.close()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
