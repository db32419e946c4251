/**
 * The Git source contract for merges (a pull request as it would land), one suite for every
 * implementation and transport: the native git binary (`git merge-tree`) and isomorphic-git
 * against bare repos made with the real git CLI, and the memory implementation. isomorphic-git
 * merges by writing objects, so over a local remote (read in place) it computes no merge itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GitSource, GitTree, MergeResult } from "../core/git-source.js";
import { GitError, mergeRevision } from "../core/git-source.js";
import type { RemoteHarness } from "./git-harness.js";
import { GIT_CASES, makeRemote } from "./git-harness.js";

/** Every file of a tree, path → text. */
async function contents(tree: GitTree): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const { path } of (await tree.list()).files) {
    out[path] = Buffer.from(await tree.read(path)).toString("utf8");
  }
  return out;
}

function cleanTree(result: MergeResult): GitTree {
  if (!result.clean) throw new Error(`expected a clean merge, got ${result.conflicts.join(", ")}`);
  return result.tree;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
}

const BASE = {
  "lab.yaml": "lab: { name: t }\n",
  "servers/a.yaml": "servers: { a: {} }\n",
  "servers/b.yaml": "servers: { b: {} }\n",
};

describe.each(GIT_CASES)("GitSource %s over %s: merge", (kind, transport) => {
  let remote: RemoteHarness;
  let source: GitSource;
  /** Whether this source computes merges itself (isomorphic-git over a local remote does not). */
  const merges = !(kind === "isomorphic" && transport !== "http");

  beforeAll(async () => {
    remote = await makeRemote(transport);
    source = await remote.open(kind);
  });
  afterAll(() => remote.dispose());

  /** The merge of head onto base, or, where the source cannot compute one, its GitError. */
  async function expectMerge(base: string, head: string): Promise<MergeResult | undefined> {
    if (merges) return source.merge(base, head);
    const error = await caught(source.merge(base, head));
    expect(error).toBeInstanceOf(GitError);
    expect(error).toMatchObject({ code: "GIT", reason: "unsupported" });
    expect((error as Error).message).toContain("install git");
    return undefined;
  }

  it("merges a pull request onto its base; the base moving on gives both changes", async () => {
    const first = await remote.commit(BASE);
    const head = await remote.pushPull(3, {
      ...BASE,
      "servers/a.yaml": "servers: { a: { size: large } }\n",
      "servers/c.yaml": "servers: { c: {} }\n",
    });
    await source.fetch("default");
    const onFirst = await expectMerge(first, head);
    if (onFirst) {
      expect(onFirst).toMatchObject({ clean: true, base: first, head });
      expect(cleanTree(onFirst).revision).toBe(mergeRevision(first, head));
      expect(await contents(cleanTree(onFirst))).toEqual(await contents(await source.tree(head)));
    }
    const moved = await remote.commit({ ...BASE, "servers/b.yaml": "servers: { b: { n: 2 } }\n" });
    await source.fetch("default");
    // Refs are resolved: the default branch and the pull request's head ref.
    const onMoved = await expectMerge("default", "refs/pull/3/head");
    if (onMoved) {
      expect(onMoved).toMatchObject({ clean: true, base: moved, head });
      expect(cleanTree(onMoved).revision).toBe(mergeRevision(moved, head));
      expect(await contents(cleanTree(onMoved))).toEqual({
        "lab.yaml": "lab: { name: t }\n",
        "servers/a.yaml": "servers: { a: { size: large } }\n",
        "servers/b.yaml": "servers: { b: { n: 2 } }\n",
        "servers/c.yaml": "servers: { c: {} }\n",
      });
    }
  });

  it("names the conflicting paths: both changed one file, one changed what the other deleted", async () => {
    const start = { ...BASE, "servers/b.yaml": "servers: { b: { n: 2 } }\n" };
    await remote.commit(start);
    const withoutA = Object.fromEntries(
      Object.entries(start).filter(([path]) => path !== "servers/a.yaml"),
    );
    const head = await remote.pushPull(4, { ...withoutA, "lab.yaml": "lab: { name: four }\n" });
    const base = await remote.commit({
      ...start,
      "lab.yaml": "lab: { name: main }\n",
      "servers/a.yaml": "servers: { a: { size: small } }\n",
    });
    await source.fetch("default");
    const result = await expectMerge(base, head);
    if (result) {
      expect(result).toEqual({
        clean: false,
        conflicts: ["lab.yaml", "servers/a.yaml"],
        base,
        head,
      });
    }
  });

  it("uses the forge's refs/pull/N/merge while its parents are the base and the head", async () => {
    const base = await remote.commit(BASE);
    const head = await remote.pushPull(5, { ...BASE, "servers/d.yaml": "servers: { d: {} }\n" });
    // A tree no local merge would give, so the test sees which one was read.
    const forgeFiles = { ...BASE, "servers/d.yaml": "servers: { d: {} }\n", "forge.txt": "x\n" };
    const forgeMerge = await remote.pushMerge(5, forgeFiles);
    await source.fetch("default");
    const pull = (await source.refs()).pulls.find((p) => p.number === 5);
    expect(pull).toEqual({ ref: "refs/pull/5/head", revision: head, number: 5, merge: forgeMerge });
    const fresh = await source.merge(base, head);
    expect(fresh).toMatchObject({ clean: true, base, head });
    expect(cleanTree(fresh).revision).toBe(forgeMerge);
    expect(await contents(cleanTree(fresh))).toEqual(forgeFiles);
    // The base moves on: the forge's merge is stale (its first parent is the old base).
    const moved = await remote.commit({ ...BASE, "lab.yaml": "lab: { name: moved }\n" });
    await source.fetch("default");
    const stale = await expectMerge(moved, head);
    if (stale) {
      expect(cleanTree(stale).revision).toBe(mergeRevision(moved, head));
      expect(await contents(cleanTree(stale))).toEqual({
        ...BASE,
        "lab.yaml": "lab: { name: moved }\n",
        "servers/d.yaml": "servers: { d: {} }\n",
      });
    }
  });

  it("names a revision that is not fetched, and rejects with the abort when aborted", async () => {
    const main = await source.resolve("default");
    const absent = "0123456789abcdef0123456789abcdef01234567";
    for (const [base, head] of [
      [main, absent],
      [absent, main],
    ]) {
      const error = await caught(source.merge(base!, head!));
      expect(error).toBeInstanceOf(GitError);
      expect(error).toMatchObject({ reason: "missing-revision", wanted: absent });
    }
    await expect(source.merge(main, "--output=x")).rejects.toMatchObject({ code: "USAGE" });
    const error = await caught(source.merge(main, main, AbortSignal.abort()));
    expect(error).toMatchObject({ name: "AbortError" });
  });
});
