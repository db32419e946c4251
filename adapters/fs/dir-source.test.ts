import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileListing } from "../../core/file-source.js";
import { dirSource } from "./dir-source.js";
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

describe("dirSource", () => {
  it("lists regular files with sizes, skipping .git, node_modules and symlinks", async () => {
    expect(sorted(await dirSource(root).list())).toEqual({
      files: [
        { path: ".sops.yaml", size: 19 },
        { path: "deep/er/still/x.yml", size: 11 },
        { path: "lab.yaml", size: 17 },
        { path: "latin1.yaml", size: 5 },
        { path: "servers/web.yaml", size: 35 },
      ],
      unreadable: [],
    });
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
    for (const path of ["ok.yaml", "locked/a.yaml", "locked/deeper/b.yaml", "blind/c.yaml"]) {
      await mkdir(join(repo, path, ".."), { recursive: true });
      await writeFile(join(repo, path), "labels: {}\n");
    }
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
      files: [{ path: "ok.yaml", size: 11 }],
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
