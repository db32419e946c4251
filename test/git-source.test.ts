/**
 * The Git source contract, one suite for every implementation and transport: the native git
 * binary and isomorphic-git against bare repos made with the real git CLI (a local path, a
 * file:// URL, and over HTTP through the real `git http-backend` with a bearer token), and the
 * memory implementation.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { FileListing } from "../core/file-source.js";
import type { GitSource } from "../core/git-source.js";
import { GitError } from "../core/git-source.js";
import { hashObject } from "./git-fixtures.js";
import type { RemoteHarness } from "./git-harness.js";
import { GIT_CASES, makeRemote } from "./git-harness.js";

const CASES = GIT_CASES;

const BINARY = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 31 + (i >> 8)) % 256);

const FIRST: Readonly<Record<string, string | Uint8Array>> = {
  "lab.yaml": "lab: { name: t }\n",
  "servers/wéb ok.yaml": "servers:\n  wéb: { provider: aws }\n",
  "labels/deep/er/x.yml": "labels: {}\n",
  "empty.yaml": "",
  "blob.bin": BINARY,
  "latin1.yaml": Uint8Array.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]),
  "node_modules/pkg/a.yaml": "a: 1\n",
};

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? Buffer.from(content) : content;
}

/** The listing a tree of `files` must give: sorted, node_modules left out, git's ids. */
function expectedListing(files: Readonly<Record<string, string | Uint8Array>>): FileListing {
  return {
    files: Object.entries(files)
      .filter(([path]) => !path.startsWith("node_modules/"))
      .map(([path, content]) => ({
        path,
        size: bytesOf(content).length,
        id: hashObject(content),
      }))
      .sort((a, b) => (a.path < b.path ? -1 : 1)),
    unreadable: [],
  };
}

function sorted(listing: FileListing): FileListing {
  return { ...listing, files: [...listing.files].sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

describe.each(CASES)("GitSource %s over %s", (kind, transport) => {
  let remote: RemoteHarness;
  let source: GitSource;
  let first = "";

  beforeAll(async () => {
    remote = await makeRemote(transport);
    first = await remote.commit(FIRST);
    source = await remote.open(kind);
  });
  afterAll(() => remote.dispose());

  it("fetches the default branch and lists its tree with sizes and git's blob ids", async () => {
    expect(source.kind).toBe(kind);
    expect(source.lastFetched()).toBeUndefined();
    const fetched = await source.fetch("default");
    expect(fetched).toEqual({ ref: "refs/heads/main", revision: first });
    expect(source.lastFetched()).toEqual(fetched);
    const tree = await source.tree(fetched.revision);
    expect(tree.revision).toBe(first);
    expect(sorted(await tree.list())).toEqual(expectedListing(FIRST));
  });

  it("reads every file's bytes exactly as committed; a path not in the tree is NOT_FOUND", async () => {
    const tree = await source.tree(first);
    const paths = Object.keys(FIRST).filter((p) => !p.startsWith("node_modules/"));
    const read = await Promise.all(paths.map((p) => tree.read(p)));
    expect(read.map((b) => Buffer.from(b).toString("base64"))).toEqual(
      paths.map((p) => Buffer.from(bytesOf(FIRST[p]!)).toString("base64")),
    );
    for (const missing of ["nope.yaml", "servers", "node_modules/pkg/a.yaml", "../lab.yaml"]) {
      await expect(tree.read(missing)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
  });

  it("gives a folder and the commit of the same files the same listing and ids", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-git-same-"));
    try {
      for (const [path, content] of Object.entries(FIRST)) {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), content);
      }
      const tree = await source.tree(first);
      expect(sorted(await tree.list())).toEqual(sorted(await dirSource(dir).list()));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("tracks pull-request heads and prunes the closed ones", async () => {
    const seven = await remote.pushPull(7, { ...FIRST, "pr.yaml": "labels: { seven: {} }\n" });
    const twelve = await remote.pushPull(12, { "lab.yaml": "lab: { name: twelve }\n" });
    const main = await source.fetch("default");
    expect(await source.refs()).toEqual({
      defaultBranch: main,
      pulls: [
        { ref: "refs/pull/7/head", revision: seven, number: 7 },
        { ref: "refs/pull/12/head", revision: twelve, number: 12 },
      ],
    });
    expect(await source.fetch("refs/pull/12/head")).toEqual({
      ref: "refs/pull/12/head",
      revision: twelve,
    });
    const tree = await source.tree("refs/pull/7/head");
    expect(tree.revision).toBe(seven);
    expect(Buffer.from(await tree.read("pr.yaml")).toString()).toBe("labels: { seven: {} }\n");
    remote.deleteRef("refs/pull/12/head");
    await source.fetch("default");
    expect((await source.refs()).pulls.map((p) => p.number)).toEqual([7]);
    // A revision fetched before stays readable after its ref went away.
    expect((await (await source.tree(twelve)).list()).files.map((f) => f.path)).toEqual([
      "lab.yaml",
    ]);
  });

  it("fetches a new commit; the earlier revision stays readable; resolve names both", async () => {
    const second = await remote.commit({ "lab.yaml": "lab: { name: second }\n" });
    expect(await source.fetch("main")).toEqual({ ref: "refs/heads/main", revision: second });
    expect(await source.resolve("default")).toBe(second);
    expect(await source.resolve("refs/heads/main")).toBe(second);
    expect(await source.resolve(first)).toBe(first);
    const old = await source.tree(first);
    expect(Buffer.from(await old.read("lab.yaml")).toString()).toBe("lab: { name: t }\n");
    const now = await source.tree("main");
    expect((await now.list()).files).toEqual([
      { path: "lab.yaml", size: 22, id: hashObject("lab: { name: second }\n") },
    ]);
  });

  it("fetches another branch when asked for it", async () => {
    const feature = await remote.commit({ "f.yaml": "a: 1\n" }, "feature");
    expect(await source.fetch("feature")).toEqual({ ref: "refs/heads/feature", revision: feature });
    expect(await source.resolve("feature")).toBe(feature);
  });

  it("names the revision and the remote when a revision is missing", async () => {
    const absent = "0123456789abcdef0123456789abcdef01234567";
    for (const [call, wanted] of [
      [() => source.tree(absent), absent],
      [() => source.resolve("refs/pull/99/head"), "refs/pull/99/head"],
      [() => source.fetch("refs/pull/99/head"), "refs/pull/99/head"],
      [() => source.fetch("no-such-branch"), "refs/heads/no-such-branch"],
    ] as const) {
      const error = await caught(call());
      expect(error).toBeInstanceOf(GitError);
      expect(error).toMatchObject({ code: "GIT", reason: "missing-revision", wanted });
      expect((error as Error).message).toContain(remote.display);
      expect((error as Error).message).toContain(wanted.replace(/^refs\/heads\//, ""));
    }
  });

  it("refuses ref names git would refuse or read as an option, before and after a fetch", async () => {
    const fresh = await remote.open(kind);
    const bad = ["--upload-pack=touch x", "a..b", "refs/heads/", "x y", "-b", "refs/heads/.x"];
    for (const name of bad) {
      await expect(fresh.fetch(name)).rejects.toMatchObject({ code: "USAGE" });
      await expect(source.fetch(name)).rejects.toMatchObject({ code: "USAGE" });
      await expect(source.tree(name)).rejects.toMatchObject({ code: "USAGE" });
    }
    expect(fresh.lastFetched()).toBeUndefined();
  });

  it("rejects every call with the abort when the signal is aborted", async () => {
    const tree = await source.tree(first);
    const controller = new AbortController();
    controller.abort();
    const { signal } = controller;
    for (const call of [
      () => source.fetch("default", signal),
      () => source.resolve("default", signal),
      () => source.refs(signal),
      () => source.tree(first, signal),
      () => tree.list(signal),
      () => tree.read("lab.yaml", signal),
    ]) {
      expect(await caught(call())).toMatchObject({ name: "AbortError" });
    }
    // The source still works afterwards.
    expect((await source.fetch("default")).ref).toBe("refs/heads/main");
  });
});
