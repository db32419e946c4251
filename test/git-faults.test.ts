/**
 * Faults of a Git source against real parts on loopback: the git http-backend server stopped
 * (retries counted, then a located error, the last fetched revision still readable), credentials
 * missing or wrong, an abort during the backoff, a path that is no repository.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitSource } from "../adapters/git/registry.js";
import type { GitSourceKind, RetryOptions } from "../core/git-source.js";
import { GitError } from "../core/git-source.js";
import type { RemoteHarness, Transport } from "./git-harness.js";
import { TEST_TOKEN, makeRemote } from "./git-harness.js";

const CASES: ReadonlyArray<readonly [GitSourceKind, Transport]> = [
  ["native", "http"],
  ["isomorphic", "http"],
  ["memory", "memory"],
];

/** Retries that record their delays instead of waiting; jitter fixed at its top. */
function recorded(): { delays: number[]; retry: RetryOptions } {
  const delays: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    delays.push(ms);
    return Promise.resolve();
  };
  return { delays, retry: { tries: 4, baseMs: 200, maxMs: 3000, sleep, random: () => 0.999 } };
}

async function caught(promise: Promise<unknown>): Promise<GitError> {
  const e = await promise.then(
    () => new Error("expected a rejection"),
    (err: unknown) => err,
  );
  if (!(e instanceof GitError)) throw e;
  return e;
}

describe.each(CASES)("GitSource %s over %s when the remote goes down", (kind, transport) => {
  let remote: RemoteHarness;
  let first = "";

  beforeEach(async () => {
    remote = await makeRemote(transport);
    first = await remote.commit({ "lab.yaml": "lab: { name: t }\n" });
  });
  afterEach(() => remote.dispose());

  it("retries with backoff, then fails naming the remote and keeps the last fetch readable", async () => {
    const { delays, retry } = recorded();
    const source = await remote.open(kind, { retry });
    expect(await source.fetch("default")).toEqual({ ref: "refs/heads/main", revision: first });
    expect(delays).toEqual([]);
    await remote.stop();
    const error = await caught(source.fetch("default"));
    expect(delays).toEqual([200, 400, 800]);
    expect(error).toMatchObject({ code: "GIT", reason: "unreachable", tries: 4 });
    const words = transport === "memory" ? "the memory remote is down" : "connection refused";
    expect(error.message).toBe(
      `the remote ${remote.display} is not answering (${words}) after 4 tries; ` +
        `using the last fetched revision ${first.slice(0, 12)} of main`,
    );
    expect(error.lastFetched).toEqual({ ref: "refs/heads/main", revision: first });
    expect(source.lastFetched()).toEqual({ ref: "refs/heads/main", revision: first });
    const tree = await source.tree(first);
    expect(Buffer.from(await tree.read("lab.yaml")).toString()).toBe("lab: { name: t }\n");
    expect(await source.resolve("default")).toBe(first);

    await remote.restart();
    const second = await remote.commit({ "lab.yaml": "lab: { name: two }\n" });
    expect(await source.fetch("default")).toEqual({ ref: "refs/heads/main", revision: second });
  });

  it("fails after one try and no wait when told to try once", async () => {
    const { delays, retry } = recorded();
    const source = await remote.open(kind, { retry: { ...retry, tries: 1 } });
    await remote.stop();
    const error = await caught(source.fetch("default"));
    expect(delays).toEqual([]);
    expect(error).toMatchObject({ reason: "unreachable", tries: 1, lastFetched: undefined });
    expect(error.message).toMatch(/ after 1 try$/);
  });

  it("stops waiting at once when aborted during the backoff", async () => {
    const source = await remote.open(kind, { retry: { tries: 4, baseMs: 60_000, maxMs: 60_000 } });
    await remote.stop();
    const controller = new AbortController();
    const started = performance.now();
    const pending = source.fetch("default", controller.signal);
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe.each([["native"], ["isomorphic"]] as const)("GitSource %s over http", (kind) => {
  let remote: RemoteHarness;
  let first = "";

  beforeEach(async () => {
    remote = await makeRemote("http");
    first = await remote.commit({ "lab.yaml": "lab: { name: t }\n" });
  });
  afterEach(() => remote.dispose());

  it("a new source on the same cache offers the revision an earlier run fetched", async () => {
    const parent = await mkdtemp(join(tmpdir(), "lab-git-restart-"));
    try {
      const cache = join(parent, "mirror");
      const before = await remote.open(kind, { cache });
      await before.fetch("default");
      await before.close();
      await remote.stop();
      const after = await remote.open(kind, {
        cache,
        retry: { tries: 2, sleep: () => Promise.resolve() },
      });
      const error = await caught(after.fetch("default"));
      expect(error).toMatchObject({ reason: "unreachable", tries: 2 });
      expect(error.lastFetched).toEqual({ ref: "refs/heads/main", revision: first });
      expect(after.lastFetched()).toEqual({ ref: "refs/heads/main", revision: first });
      expect((await (await after.tree(first)).list()).files.map((f) => f.path)).toEqual([
        "lab.yaml",
      ]);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("without a token, fails at once and says how to give one", async () => {
    const { delays, retry } = recorded();
    const source = await remote.open(kind, { token: undefined, retry });
    const error = await caught(source.fetch("default"));
    expect(delays).toEqual([]);
    expect(error).toMatchObject({ reason: "unauthorized", tries: 1 });
    expect(error.message).toBe(
      `the remote ${remote.display} asks for credentials (authentication required or refused): ` +
        "set LAB_GIT_TOKEN (sent as a bearer token) or configure a git credential helper",
    );
    expect(remote.server?.requests.every((r) => r.endsWith(" 401"))).toBe(true);
  });

  it("with a wrong token, fails at once without showing the token", async () => {
    const source = await remote.open(kind, { token: "wrong-token-123" });
    const error = await caught(source.fetch("default"));
    expect(error).toMatchObject({ reason: "unauthorized", tries: 1 });
    expect(error.message).toBe(
      `the remote ${remote.display} refused the token in LAB_GIT_TOKEN ` +
        "(authentication required or refused)",
    );
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain("wrong-token-123");
  });

  it("retries an HTTP 503 and goes on when the server answers again", async () => {
    const { delays, retry } = recorded();
    const source = await remote.open(kind, { retry });
    remote.server!.failNext(2, 503);
    expect(await source.fetch("default")).toEqual({ ref: "refs/heads/main", revision: first });
    expect(delays).toEqual([200, 400]);
    remote.server!.failNext(10, 502);
    const error = await caught(source.fetch("default"));
    expect(error).toMatchObject({ reason: "unreachable", tries: 4 });
    expect(error.message).toContain("is not answering (HTTP 502) after 4 tries; using the last");
  });

  it("says there is no repository at a URL the server does not know, after one try", async () => {
    const parent = await mkdtemp(join(tmpdir(), "lab-git-404-"));
    try {
      const url = `${remote.server!.url}/nope.git`;
      const options = { use: kind, cache: join(parent, "m"), token: TEST_TOKEN };
      const source = await gitSource(url, options, {});
      const error = await caught(source.fetch("default"));
      expect(error).toMatchObject({ reason: "not-a-repo", tries: 1 });
      expect(error.message).toBe(
        `there is no git repository at ${url} (no repository at that URL)`,
      );
      await source.close();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it("takes the token from LAB_GIT_TOKEN", async () => {
    const parent = await mkdtemp(join(tmpdir(), "lab-git-env-"));
    try {
      const env = { LAB_GIT_TOKEN: TEST_TOKEN };
      const source = await gitSource(remote.url, { use: kind, cache: join(parent, "m") }, env);
      expect((await source.fetch("default")).revision).toBe(first);
      await source.close();
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });
});

describe.each([["native"], ["isomorphic"]] as const)("GitSource %s on a local path", (kind) => {
  it("says there is no repository there, after one try", async () => {
    const dir = await mkdtemp(join(tmpdir(), "lab-git-empty-"));
    try {
      const source = await gitSource(dir, { use: kind, cache: join(dir, "cache") }, {});
      const error = await caught(source.fetch("default"));
      expect(error).toMatchObject({ code: "GIT", reason: "not-a-repo", tries: 1 });
      expect(error.message).toContain(`there is no git repository at ${dir}`);
      await source.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
