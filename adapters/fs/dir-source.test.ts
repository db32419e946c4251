import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "./dir-source.js";

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
  await symlink(join(outside, "secret.yaml"), join(root, "linked.yaml"));
  await symlink(outside, join(root, "linked-dir"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe("dirSource", () => {
  it("lists regular files with sizes, skipping .git, node_modules and symlinks", async () => {
    const entries = await dirSource(root).list();
    expect(entries.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
      { path: ".sops.yaml", size: 19 },
      { path: "deep/er/still/x.yml", size: 11 },
      { path: "lab.yaml", size: 17 },
      { path: "servers/web.yaml", size: 35 },
    ]);
  });

  it("reads files as UTF-8", async () => {
    expect(await dirSource(root).read("servers/web.yaml")).toBe(
      "servers:\n  wéb: { provider: aws }\n",
    );
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

  it("fails on a root that does not exist", async () => {
    await expect(dirSource(join(root, "missing")).list()).rejects.toMatchObject({ code: "IO" });
  });
});
