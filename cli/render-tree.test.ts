import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffTree, listTree, writeTree, type TreeFile } from "./render-tree.js";

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

function parentDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-render-tree-"));
  temps.push(dir);
  return dir;
}

function put(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const ownsA = (p: string) => p.startsWith("a/");

describe("diffTree", () => {
  it("sorts files into added, changed, removed (owned only) and unchanged", async () => {
    const root = join(parentDir(), "out");
    put(root, { "a/same": "1\n", "a/edit": "old\n", "a/gone": "x\n", "b/other": "keep\n" });
    const files: TreeFile[] = [
      { path: "a/same", content: "1\n" },
      { path: "a/edit", content: "new\n" },
      { path: "a/new", content: "n\n" },
    ];
    expect(await diffTree(root, files, ownsA)).toEqual({
      added: ["a/new"],
      changed: ["a/edit"],
      removed: ["a/gone"],
      unchanged: ["a/same"],
    });
  });

  it("treats a missing tree as empty", async () => {
    const root = join(parentDir(), "missing");
    expect(await listTree(root)).toEqual([]);
    expect((await diffTree(root, [{ path: "a/x", content: "" }], ownsA)).added).toEqual(["a/x"]);
  });
});

describe("writeTree", () => {
  it("replaces owned files, keeps the others, and unchanged files keep inode and mtime", async () => {
    const parent = parentDir();
    const root = join(parent, "out");
    put(root, { "a/same": "1\n", "a/edit": "old\n", "a/gone": "x\n", "b/other": "keep\n" });
    const before = statSync(join(root, "a/same"));
    const files: TreeFile[] = [
      { path: "a/same", content: "1\n" },
      { path: "a/edit", content: "new\n" },
      { path: "a/sub/new", content: "n\n" },
    ];
    const diff = await diffTree(root, files, ownsA);
    await writeTree(root, files, diff, ownsA);
    expect(await listTree(root)).toEqual(["a/edit", "a/same", "a/sub/new", "b/other"]);
    expect(readFileSync(join(root, "a/edit"), "utf8")).toBe("new\n");
    expect(readFileSync(join(root, "b/other"), "utf8")).toBe("keep\n");
    const after = statSync(join(root, "a/same"));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    // `out` is now a symlink to the one version folder beside it; the plain folder is gone.
    const [version, ...rest] = readdirSync(parent).filter((n) => n !== "out");
    expect(rest).toEqual([]);
    expect(version).toMatch(/^\.out\.[0-9a-f]{12}$/);
    expect(lstatSync(root).isSymbolicLink()).toBe(true);
    expect(readlinkSync(root)).toBe(version);
  });

  it("a second write swaps the symlink and removes the previous version folder", async () => {
    const parent = parentDir();
    const root = join(parent, "out");
    for (const content of ["1\n", "2\n", "3\n"]) {
      const files = [{ path: "a/x", content }];
      await writeTree(root, files, await diffTree(root, files, ownsA), ownsA);
    }
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("3\n");
    const others = readdirSync(parent).filter((n) => n !== "out");
    expect(others).toEqual([readlinkSync(root)]);
  });

  it("a reader during many writes always finds the tree (old or new, never missing)", async () => {
    const root = join(parentDir(), "out");
    let writing = true;
    const seen = new Set<string>();
    const misses: string[] = [];
    const reader = (async () => {
      while (writing) {
        try {
          seen.add(readFileSync(join(root, "a/x"), "utf8"));
        } catch (err) {
          if (seen.size > 0) misses.push((err as NodeJS.ErrnoException).code ?? String(err));
        }
        await new Promise((r) => setImmediate(r));
      }
    })();
    for (let i = 0; i < 40; i++) {
      const files = [{ path: "a/x", content: `${i}\n` }];
      await writeTree(root, files, await diffTree(root, files, ownsA), ownsA);
    }
    writing = false;
    await reader;
    expect(misses).toEqual([]);
    expect(seen.size).toBeGreaterThan(1);
  });

  it("leaves a symlink it did not make pointing where it pointed, target untouched", async () => {
    const parent = parentDir();
    const mine = join(parent, "elsewhere");
    put(mine, { "a/x": "mine\n" });
    const root = join(parent, "out");
    symlinkSync("elsewhere", root);
    const files = [{ path: "a/x", content: "new\n" }];
    await writeTree(root, files, await diffTree(root, files, ownsA), ownsA);
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("new\n");
    expect(readFileSync(join(mine, "a/x"), "utf8")).toBe("mine\n");
  });

  it("a failure part-way leaves the old tree as it was and no temp dir behind", async () => {
    const parent = parentDir();
    const root = join(parent, "out");
    put(root, { "a/x": "old\n" });
    // "a/x" as a file and "a/x/y" below it cannot both exist: the write fails after a/x.
    const files: TreeFile[] = [
      { path: "a/x", content: "new\n" },
      { path: "a/x/y", content: "boom\n" },
    ];
    const diff = await diffTree(root, files, ownsA);
    await expect(writeTree(root, files, diff, ownsA)).rejects.toThrow();
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("old\n");
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("creates the tree and its parents when there is none", async () => {
    const root = join(parentDir(), "deep", "out");
    const files = [{ path: "a/x", content: "1\n" }];
    await writeTree(root, files, await diffTree(root, files, ownsA), ownsA);
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("1\n");
  });
});
