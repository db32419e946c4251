import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
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
    expect(readdirSync(parent)).toEqual(["out"]);
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
