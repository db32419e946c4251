/**
 * `lab reconcile` end to end, as a process (bin/lab.js, the build): a remote served over HTTP by
 * the real `git http-backend` behind a bearer token (LAB_GIT_TOKEN), the state in a real
 * PostgreSQL 15 (LAB_DATABASE_URL, a private cluster for this file). Applies, converges, follows
 * new commits; refuses a missing or wrong token; and when the remote stops answering, reconciles
 * the last fetched revision with a warning and exit 3 (docs/apply.md, docs/git-source.md).
 */
import { spawn } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import type { StateStore } from "../core/state-store.js";
import { removeTemps, ROOT, SMALL_REPO, tempDir } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";
import { TEST_TOKEN } from "./git-harness.js";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.js";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";

let cluster: PostgresCluster;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  buildIfStale();
  cluster = await startPostgresCluster();
}, 180_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await cluster?.stop();
  removeTemps();
});

const WITH_WEB_3 = {
  ...SMALL_REPO,
  "servers.yaml":
    SMALL_REPO["servers.yaml"]! +
    "  web-3: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.3 }\n",
};

interface Setup {
  git: GitFixture;
  server: GitHttpServer;
  /** The remote's URL: `http://127.0.0.1:PORT/remote.git`. */
  url: string;
  databaseUrl: string;
  /** The state directory: `--state <dir>/state.db` (only its folder is used with PostgreSQL). */
  stateDir: string;
  /** The first commit, SMALL_REPO. */
  first: string;
}

/** A remote holding SMALL_REPO, served over HTTP with the token, and an empty database. */
async function setup(): Promise<Setup> {
  const git = await makeGitFixture();
  cleanups.push(() => git.remove());
  const first = await git.commit(SMALL_REPO);
  const server = await startGitHttpServer({ root: git.root, token: TEST_TOKEN });
  const stateDir = tempDir("lab-e2e-");
  return {
    git,
    server,
    url: `${server.url}/remote.git`,
    databaseUrl: await cluster.freshDatabase(),
    stateDir,
    first,
  };
}

/** The server stops answering, or answers again on the same port. */
async function stopServer(s: Setup): Promise<void> {
  await s.server.stop();
}
async function restartServer(s: Setup): Promise<void> {
  s.server = await startGitHttpServer({ root: s.git.root, token: TEST_TOKEN, port: s.server.port });
}

interface Pass {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  json: PassJson | null;
}

interface PassJson {
  result: string;
  revision: string;
  source: string;
  stale: { remote: string; reason: string } | null;
  lastGood: string | null;
  outputs: { name: string; status: string; location: string; added: number }[];
}

/**
 * `node bin/lab.js --repo URL reconcile --state DIR/state.db …` as a process, asynchronously: the
 * HTTP server runs in this process and must answer while the child fetches.
 */
function reconcile(s: Setup, env: Record<string, string>, ...more: string[]): Promise<Pass> {
  const args = [join(ROOT, "bin", "lab.js"), "--repo", s.url, "reconcile"];
  args.push("--state", join(s.stateDir, "state.db"), ...more);
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: s.stateDir,
      NO_COLOR: "1",
      GIT_CONFIG_NOSYSTEM: "1",
      GIT_CONFIG_GLOBAL: "/dev/null",
      LAB_DATABASE_URL: s.databaseUrl,
      ...env,
    },
    timeout: 60_000,
  });
  const started = Date.now();
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const json = more.includes("json") && stdout ? (JSON.parse(stdout) as PassJson) : null;
      resolve({ code, stdout, stderr, ms: Date.now() - started, json });
    });
  });
}

const WITH_TOKEN = { LAB_GIT_TOKEN: TEST_TOKEN };

/** The store the passes wrote to, opened here over the same URL. */
async function openStore(s: Setup): Promise<StateStore> {
  const { store } = await openStateStore({ url: s.databaseUrl });
  cleanups.push(() => store.close());
  return store;
}

/** Every file under the outputs folder (links followed), path → bytes, and where each link points. */
function snapshot(dir: string): { files: Record<string, string>; links: Record<string, string> } {
  const files: Record<string, string> = {};
  const links: Record<string, string> = {};
  const walk = (at: string, rel: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const key = rel ? `${rel}/${name}` : name;
      if (lstatSync(path).isSymbolicLink()) links[key] = readlinkSync(path);
      if (statSync(path).isDirectory()) walk(path, key);
      else files[key] = readFileSync(path).toString("base64");
    }
  };
  walk(dir, "");
  return { files, links };
}

describe("lab reconcile over HTTP with a token, the state in PostgreSQL (process)", () => {
  it("applies the branch, records it in PostgreSQL, changes nothing the second time, follows a new commit", async () => {
    const s = await setup();
    cleanups.push(() => s.server.stop());
    const first = await reconcile(s, WITH_TOKEN, "-o", "json");
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ result: "ok", revision: s.first, stale: null });
    expect(first.json?.source).toBe(`main at ${s.first.slice(0, 12)} of ${s.url}`);
    // A remote's outputs go under the state directory.
    const enc = join(s.stateDir, ".lab", "outputs", "enc");
    expect(first.json?.outputs.map((o) => [o.name, o.status, o.location])).toEqual(
      ["prometheus", "naemon", "enc", "pulumi"].map((n) => [
        n,
        "applied",
        join(s.stateDir, ".lab", "outputs", n),
      ]),
    );
    expect(readdirSync(join(enc, "nodes")).sort()).toEqual(["db-1.yaml", "web-1.yaml"]);
    expect(readFileSync(join(enc, "nodes", "web-1.yaml"), "utf8")).toContain("nginx");
    // The token went as a bearer header: the server answered the fetch.
    expect(s.server.requests.some((r) => /upload-pack 200$/.test(r))).toBe(true);

    const store = await openStore(s);
    expect((await store.applied("enc"))?.revision).toBe(s.first);
    expect(await store.lastGoodRevision()).toBe(s.first);
    const runs = await store.lastRuns(10);
    expect(runs.map((r) => [r.revision, r.result, r.trigger])).toEqual([[s.first, "ok", "cli"]]);

    const again = await reconcile(s, WITH_TOKEN);
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(again.stdout).toContain(`nothing changed: ${s.first.slice(0, 12)} is applied`);

    const next = await s.git.commit(WITH_WEB_3);
    const third = await reconcile(s, WITH_TOKEN, "-o", "json");
    expect(third.code).toBe(0);
    expect(third.json).toMatchObject({ result: "ok", revision: next });
    const encResult = third.json?.outputs.find((o) => o.name === "enc");
    expect([encResult?.status, encResult?.added]).toEqual(["applied", 1]);
    expect(existsSync(join(enc, "nodes", "web-3.yaml"))).toBe(true);
    expect((await store.applied("enc"))?.revision).toBe(next);
    expect((await store.lastRuns(10)).map((r) => [r.revision, r.result])).toEqual([
      [next, "ok"],
      [s.first, "no-change"],
      [s.first, "ok"],
    ]);
  }, 60_000);

  it("refuses a missing or wrong token with a clear message, applies nothing, never prints a token", async () => {
    const s = await setup();
    cleanups.push(() => s.server.stop());
    const store = await openStore(s);
    const missing = await reconcile(s, {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      `error: the remote ${s.url} asks for credentials (authentication required or refused): ` +
        "set LAB_GIT_TOKEN (sent as a bearer token) or configure a git credential helper\n",
    );
    expect(missing.stdout).toBe("");
    expect(existsSync(join(s.stateDir, ".lab", "outputs"))).toBe(false);
    expect(await store.lastRuns(10)).toEqual([]);

    // After a good pass a refused token is still an error: only a remote that does not answer
    // falls back to the last fetched revision.
    expect((await reconcile(s, WITH_TOKEN)).code).toBe(0);
    const outputs = snapshot(join(s.stateDir, ".lab", "outputs"));
    await s.git.commit(WITH_WEB_3);
    const wrong = "not-the-token-5c1e";
    const refused = await reconcile(s, { LAB_GIT_TOKEN: wrong }, "-o", "json");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `error: the remote ${s.url} refused the token in LAB_GIT_TOKEN (authentication required or refused)\n`,
    );
    expect(refused.stdout).toBe("");
    for (const run of [missing, refused]) {
      expect(run.stdout + run.stderr).not.toContain(wrong);
      expect(run.stdout + run.stderr).not.toContain(TEST_TOKEN);
    }
    expect(snapshot(join(s.stateDir, ".lab", "outputs"))).toEqual(outputs);
    expect((await store.lastRuns(10)).map((r) => [r.revision, r.result])).toEqual([
      [s.first, "ok"],
    ]);
  }, 60_000);

  it("a remote that stops answering: retried, then the last fetched revision reconciled with a warning and exit 3; back up, a new commit is applied", async () => {
    const s = await setup();
    cleanups.push(() => s.server.stop());
    const good = await reconcile(s, WITH_TOKEN);
    expect(good.code).toBe(0);
    const outputsDir = join(s.stateDir, ".lab", "outputs");
    const before = snapshot(outputsDir);
    expect(Object.keys(before.files)).toContain("enc/nodes/web-1.yaml");

    await stopServer(s);
    const down = await reconcile(s, WITH_TOKEN, "-o", "json");
    const reason = `the remote ${s.url} is not answering (connection refused) after 4 tries`;
    expect(down.stderr).toBe(
      `warning: ${s.url} could not be fetched (${reason}); reconciled the last fetched revision ${s.first.slice(0, 12)}\n`,
    );
    expect(down.code).toBe(3);
    expect(down.json).toMatchObject({
      result: "no-change",
      revision: s.first,
      source: `main at ${s.first.slice(0, 12)} of ${s.url} (last fetched)`,
      stale: { remote: s.url, reason },
      lastGood: s.first,
    });
    expect(down.json?.outputs.every((o) => o.status === "unchanged")).toBe(true);
    // Four tries, with at least 0.1 + 0.2 + 0.4 s of backoff between them.
    expect(down.ms).toBeGreaterThanOrEqual(700);
    expect(snapshot(outputsDir)).toEqual(before);
    const store = await openStore(s);
    expect((await store.lastRuns(10)).map((r) => [r.revision, r.result])).toEqual([
      [s.first, "no-change"],
      [s.first, "ok"],
    ]);
    expect((await store.applied("enc"))?.revision).toBe(s.first);
    expect(await store.lastGoodRevision()).toBe(s.first);

    await restartServer(s);
    const next = await s.git.commit(WITH_WEB_3);
    const back = await reconcile(s, WITH_TOKEN, "-o", "json");
    expect([back.code, back.stderr]).toEqual([0, ""]);
    expect(back.json).toMatchObject({ result: "ok", revision: next, stale: null });
    expect(existsSync(join(outputsDir, "enc", "nodes", "web-3.yaml"))).toBe(true);
    expect((await store.applied("enc"))?.revision).toBe(next);
  }, 60_000);

  it("a remote that does not answer and was never fetched here is an error: nothing to fall back on", async () => {
    const s = await setup();
    await stopServer(s);
    const store = await openStore(s);
    const run = await reconcile(s, WITH_TOKEN);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      `error: the remote ${s.url} is not answering (connection refused) after 4 tries\n`,
    );
    expect(existsSync(join(s.stateDir, ".lab", "outputs"))).toBe(false);
    expect(await store.lastRuns(10)).toEqual([]);
  }, 60_000);
});
