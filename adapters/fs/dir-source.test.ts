import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileListing } from "../../core/file-source.js";
import { dirSource, repoDirSource } from "./dir-source.js";
import { asUnprivileged } from "../../test/unprivileged.js";

let root = "";
let outside = "";

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "lab-dir-source-"));
  outside = await mkdtemp(join(tmpdir(), "lab-dir-outside-"));
  await writeFile(join(outside, "secret.yaml"), "servers: {}\n");
  const files: Record<string, string> = {
    "lab.yaml": "lab: { name: t }\n",
    "servers/web.yaml": "servers:\n  wéb: { provider: aws }\n",
    ".sops.yaml": "creation_rules: []\n",
    ".git/config": "[core]\n",
    "node_modules/x/a.yaml": "a: 1\n",
    "deep/er/still/x.yml": "labels: {}\n",
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(join(root, path), text);
  }
  await writeFile(join(root, "latin1.yaml"), Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]));
  await symlink(join(outside, "secret.yaml"), join(root, "linked.yaml"));
  await symlink(outside, join(root, "linked-dir"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

function sorted(listing: FileListing): FileListing {
  const byPath = (a: { path: string }, b: { path: string }): number =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  return {
    files: [...listing.files].sort(byPath),
    unreadable: [...listing.unreadable].sort(byPath),
  };
}

/** The blob id the real git computes for a file. */
function hashObject(path: string): string {
  return execFileSync("git", ["hash-object", "--no-filters", "--", path], {
    encoding: "utf8",
  }).trim();
}

describe("dirSource", () => {
  it("lists regular files with sizes, skipping .git, node_modules and symlinks", async () => {
    const listing = sorted(await dirSource(root).list());
    expect(listing.files.map(({ path, size }) => ({ path, size }))).toEqual([
      { path: ".sops.yaml", size: 19 },
      { path: "deep/er/still/x.yml", size: 11 },
      { path: "lab.yaml", size: 17 },
      { path: "latin1.yaml", size: 5 },
      { path: "servers/web.yaml", size: 35 },
    ]);
    expect(listing.unreadable).toEqual([]);
  });

  it("gives every file git's blob id, as `git hash-object` computes it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-dir-ids-"));
    try {
      const files: Record<string, Uint8Array> = {
        "empty.yaml": new Uint8Array(0),
        "crlf.yaml": Buffer.from("a: 1\r\nb: 2\r\n"),
        "binary.bin": Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256),
        "no-newline.yml": Buffer.from("servers: {}"),
      };
      for (const [path, bytes] of Object.entries(files)) await writeFile(join(dir, path), bytes);
      const listing = sorted(await dirSource(dir).list());
      expect(listing.files).toEqual(
        Object.keys(files)
          .sort()
          .map((path) => ({
            path,
            size: files[path]!.length,
            id: hashObject(join(dir, path)),
          })),
      );
      // The well-known id of the empty blob, so the test does not only compare with itself.
      expect(listing.files.find((f) => f.path === "empty.yaml")?.id).toBe(
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("as a config repo: dot-folders are not walked, only config and Puppet files are read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-dir-repo-"));
    try {
      const files: Record<string, string> = {
        "lab.yaml": "lab: { name: t }\n",
        "README.md": "# infra\n",
        ".sops.yaml": "creation_rules: []\n",
        ".lab/outputs/enc/nodes/web-1.yaml": "classes: {}\n",
        ".github/workflows/ci.yml": "on: push\n",
        "puppet/modules/x/manifests/init.pp": "class x {}\n",
        "puppet/README.md": "code\n",
      };
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(dir, path, ".."), { recursive: true });
        await writeFile(join(dir, path), text);
      }
      const listing = sorted(await repoDirSource(dir).list());
      expect(listing.files).toEqual([
        { path: ".sops.yaml", size: 19 },
        { path: "README.md", size: 8 },
        { path: "lab.yaml", size: 17, id: hashObject(join(dir, "lab.yaml")) },
        { path: "puppet/README.md", size: 5 },
        {
          path: "puppet/modules/x/manifests/init.pp",
          size: 11,
          id: hashObject(join(dir, "puppet/modules/x/manifests/init.pp")),
        },
      ]);
      // What the loader reads it still can, listed or not.
      expect(Buffer.from(await repoDirSource(dir).read(".sops.yaml")).toString()).toBe(
        "creation_rules: []\n",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("reads files as bytes, exactly as stored", async () => {
    const bytes = await dirSource(root).read("servers/web.yaml");
    expect(Buffer.from(bytes).toString("utf8")).toBe("servers:\n  wéb: { provider: aws }\n");
    expect([...(await dirSource(root).read("latin1.yaml"))]).toEqual([
      0x61, 0x3a, 0x20, 0xe9, 0x0a,
    ]);
  });

  it("refuses paths outside the root", async () => {
    await expect(dirSource(root).read("../x.yaml")).rejects.toMatchObject({ code: "IO" });
  });

  it("rejects a missing file and an aborted read", async () => {
    await expect(dirSource(root).read("nope.yaml")).rejects.toMatchObject({ code: "ENOENT" });
    const controller = new AbortController();
    controller.abort();
    await expect(dirSource(root).read("lab.yaml", controller.signal)).rejects.toThrow();
    await expect(dirSource(root).list(controller.signal)).rejects.toThrow();
  });

  it("fails on a root that does not exist or is not a directory", async () => {
    await expect(dirSource(join(root, "missing")).list()).rejects.toMatchObject({ code: "IO" });
    await expect(dirSource(join(root, "lab.yaml")).list()).rejects.toMatchObject({ code: "IO" });
  });
});

describe("dirSource on directories it may not read (mode 000 and 444, as an unprivileged user)", () => {
  let repo = "";

  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), "lab-dir-locked-"));
    for (const path of [
      "ok.yaml",
      "sealed.yaml",
      "locked/a.yaml",
      "locked/deeper/b.yaml",
      "blind/c.yaml",
    ]) {
      await mkdir(join(repo, path, ".."), { recursive: true });
      await writeFile(join(repo, path), "labels: {}\n");
    }
    await chmod(join(repo, "sealed.yaml"), 0o000);
    await mkdir(join(repo, "blind", "sub"));
    await chmod(repo, 0o755);
    await chmod(join(repo, "locked"), 0o000);
    await chmod(join(repo, "blind"), 0o444);
  });

  afterAll(async () => {
    await chmod(join(repo, "locked"), 0o755);
    await chmod(join(repo, "blind"), 0o755);
    await rm(repo, { recursive: true, force: true });
  });

  it("reports what it cannot list or examine, and lists the rest", async () => {
    const listing = await asUnprivileged(() => dirSource(repo).list());
    expect(sorted(listing)).toEqual({
      files: [
        { path: "ok.yaml", size: 11, id: hashObject(join(repo, "ok.yaml")) },
        // Examined but not readable: listed with its size and no id; the loader reports it.
        { path: "sealed.yaml", size: 11 },
      ],
      unreadable: [
        { path: "blind/c.yaml", kind: "file", reason: "permission denied (EACCES)" },
        { path: "blind/sub", kind: "directory", reason: "permission denied (EACCES)" },
        { path: "locked", kind: "directory", reason: "permission denied (EACCES)" },
      ],
    });
  });

  it("reports an unreadable root as the directory '.'", async () => {
    const listing = await asUnprivileged(() => dirSource(join(repo, "locked")).list());
    expect(listing).toEqual({
      files: [],
      unreadable: [{ path: ".", kind: "directory", reason: "permission denied (EACCES)" }],
    });
  });
});
