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
import { LabError } from "../../core/errors.js";
import { contentHash } from "../../core/renderer.js";
import { diffTree, type TreeDiff } from "../../reconciler/tree-diff.js";
import { ensureDirectory } from "./fs-steps.js";
import { listTree, MANIFEST, readTreeState } from "./tree-state.js";
import { writeTree, type TreeFile } from "./tree-write.js";

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

function file(path: string, content: string): TreeFile {
  return { path, content, hash: contentHash(content) };
}

async function diffAt(root: string, files: readonly TreeFile[]): Promise<TreeDiff> {
  return diffTree((await readTreeState(root)).hashes, files, ownsA);
}

/** Diff and write, as `lab render` does. */
async function write(root: string, files: readonly TreeFile[]): Promise<TreeDiff> {
  const state = await readTreeState(root);
  const diff = diffTree(state.hashes, files, ownsA);
  await writeTree(root, files, state, diff, {
    owned: ownsA,
    record: { scope: { kind: "full" }, sources: {}, servers: null },
  });
  return diff;
}

describe("diffTree", () => {
  it("sorts files into added, changed, removed (owned only) and unchanged", async () => {
    const root = join(parentDir(), "out");
    put(root, { "a/same": "1\n", "a/edit": "old\n", "a/gone": "x\n", "b/other": "keep\n" });
    const files = [file("a/same", "1\n"), file("a/edit", "new\n"), file("a/new", "n\n")];
    expect(await diffAt(root, files)).toEqual({
      added: ["a/new"],
      changed: ["a/edit"],
      removed: ["a/gone"],
      unchanged: ["a/same"],
    });
  });

  it("treats a missing tree as empty", async () => {
    const root = join(parentDir(), "missing");
    expect(await listTree(root)).toEqual([]);
    expect((await diffAt(root, [file("a/x", "")])).added).toEqual(["a/x"]);
  });
});

describe("writeTree", () => {
  it("replaces owned files, keeps the others, and unchanged files keep inode and mtime", async () => {
    const parent = parentDir();
    const root = join(parent, "out");
    put(root, { "a/same": "1\n", "a/edit": "old\n", "a/gone": "x\n", "b/other": "keep\n" });
    const before = statSync(join(root, "a/same"));
    const files = [file("a/same", "1\n"), file("a/edit", "new\n"), file("a/sub/new", "n\n")];
    await write(root, files);
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
      await write(root, [file("a/x", content)]);
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
      await write(root, [file("a/x", `${i}\n`)]);
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
    await write(root, [file("a/x", "new\n")]);
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("new\n");
    expect(readFileSync(join(mine, "a/x"), "utf8")).toBe("mine\n");
  });

  it("a failure part-way leaves the old tree as it was and no temp dir behind", async () => {
    const parent = parentDir();
    const root = join(parent, "out");
    put(root, { "a/x": "old\n" });
    // "a/x" as a file and "a/x/y" below it cannot both exist: the write fails after a/x.
    const files = [file("a/x", "new\n"), file("a/x/y", "boom\n")];
    await expect(write(root, files)).rejects.toThrow(LabError);
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("old\n");
    expect(readdirSync(parent)).toEqual(["out"]);
  });

  it("creates the tree and its parents when there is none", async () => {
    const root = join(parentDir(), "deep", "out");
    await write(root, [file("a/x", "1\n")]);
    expect(readFileSync(join(root, "a/x"), "utf8")).toBe("1\n");
  });
});

describe("the manifest", () => {
  it("records every file's hash and the tree's scope, and is not part of the tree", async () => {
    const root = join(parentDir(), "out");
    await write(root, [file("a/x", "1\n"), file("a/y", "2\n")]);
    const manifest = JSON.parse(readFileSync(join(root, MANIFEST), "utf8")) as {
      scope: unknown;
      files: Record<string, { hash: string }>;
    };
    expect(manifest.scope).toEqual({ kind: "full" });
    expect(Object.keys(manifest.files)).toEqual(["a/x", "a/y"]);
    expect(manifest.files["a/x"]!.hash).toBe(contentHash("1\n"));
    expect(await listTree(root)).toEqual(["a/x", "a/y"]);
  });

  it("decides without reading files whose size and mtime match, and reads those that differ", async () => {
    const root = join(parentDir(), "out");
    await write(root, [file("a/x", "1\n"), file("a/y", "2\n")]);
    // A file edited by hand (other size) is read again and seen as changed.
    writeFileSync(join(root, "a/y"), "edited by hand\n");
    const state = await readTreeState(root);
    expect(state.scope).toEqual({ kind: "full" });
    expect(diffTree(state.hashes, [file("a/x", "1\n"), file("a/y", "2\n")], ownsA)).toEqual({
      added: [],
      changed: ["a/y"],
      removed: [],
      unchanged: ["a/x"],
    });
    // A manifest that lies about a file whose stat matches is believed: hashes decide.
    const manifestPath = join(root, MANIFEST);
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      files: Record<string, { hash: string }>;
    };
    m.files["a/x"]!.hash = "0".repeat(64);
    writeFileSync(manifestPath, JSON.stringify(m));
    expect((await readTreeState(root)).hashes.get("a/x")).toBe("0".repeat(64));
  });

  it("a tree without one (or with a broken one) is hashed file by file", async () => {
    const root = join(parentDir(), "out");
    put(root, { "a/x": "1\n", [MANIFEST]: "{not json" });
    const state = await readTreeState(root);
    expect(state.scope).toBeNull();
    expect([...state.hashes]).toEqual([["a/x", contentHash("1\n")]]);
  });
});

describe("paths that cannot be written", () => {
  it("a file where the tree should be is named, and nothing is written", async () => {
    const parent = parentDir();
    put(parent, { plain: "x" });
    await expect(readTreeState(join(parent, "plain"))).rejects.toThrow(
      `cannot write the rendered tree to ${join(parent, "plain")}: it is a file, not a directory`,
    );
  });

  it("a file among the parents is named", async () => {
    const parent = parentDir();
    put(parent, { plain: "x" });
    const root = join(parent, "plain", "deeper", "out");
    await expect(write(root, [file("a/x", "1\n")])).rejects.toThrow(
      `cannot write to ${join(parent, "plain", "deeper")}: ${join(parent, "plain")} is not a directory`,
    );
  });

  it("a folder the kernel will not create fails at once with the reason, no loop", async () => {
    const started = Date.now();
    await expect(ensureDirectory("/proc/lab-no-such/out")).rejects.toThrow(
      /^cannot create the directory \/proc\/lab-no-such: no such file or directory \(ENOENT\)$/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
