/**
 * The read API of `lab serve` and the CLI's client mode, on loopback: `lab serve` as a process
 * (bin/lab.js) over a bare repo behind `git http-backend`; every answer is compared with what the
 * CLI prints from a checkout of the revision the server applied.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { lab, ROOT, SMALL_REPO } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { startGitHttpServer, type GitHttpServer } from "./git-http-server.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";

const GIT_TOKEN = "git-token-of-the-test";

/** SMALL_REPO with a secret whose path has a slash (one URL segment, encoded). */
const REPO: Readonly<Record<string, string>> = {
  ...SMALL_REPO,
  "labels.yaml": SMALL_REPO["labels.yaml"]!.replace(
    "    puppet_classes: [nginx]\n",
    "    puppet_classes: [nginx]\n    secrets: [web/tls-cert]\n",
  ),
  "secrets.yaml":
    "secrets:\n  web/tls-cert: { type: dynamic, generator: acme, rotate_every: 90d }\n",
};

const KINDS = ["servers", "labels", "groups", "alerts", "sizes", "secrets"] as const;

/** A port nothing listens on: one the system gave and took back. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>) {
  const end = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("lab serve's read API and lab --server", () => {
  let fixture: GitFixture;
  let http: GitHttpServer;
  let state: string;
  let checkout: string;
  let child: ChildProcess;
  let url = "";
  let applied = "";
  let stderr = "";

  /**
   * `lab ARGS` on the checkout of the applied revision, in process; get and show read status from
   * the server's state store, as the server does (docs/status.md).
   */
  const local = (...args: string[]) => {
    const status =
      args[0] === "get" || args[0] === "show" ? ["--state", join(state, "state.db")] : [];
    return lab(["--repo", checkout, ...args, ...status], { env: { NO_COLOR: "1" } });
  };
  /** `lab --server URL ARGS`, in process. */
  const remote = (...args: string[]) => lab(["--server", url, ...args], { env: { NO_COLOR: "1" } });

  beforeAll(async () => {
    buildIfStale();
    fixture = await makeGitFixture();
    await fixture.commit(REPO);
    http = await startGitHttpServer({ root: fixture.root, token: GIT_TOKEN });
    state = await mkdtemp(join(tmpdir(), "lab-serve-api-"));
    child = spawn(
      process.execPath,
      [
        join(ROOT, "bin/lab.js"),
        "--repo",
        `${http.url}/remote.git`,
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--state",
        join(state, "state.db"),
        "--poll-interval",
        "0",
      ],
      {
        env: {
          PATH: process.env.PATH,
          HOME: state,
          LAB_GIT_TOKEN: GIT_TOKEN,
          LAB_CACHE_DIR: join(state, "cache"),
          LAB_LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    url = await until("lab serve to listen", () =>
      Promise.resolve(/listening on (http:\/\/\S+)/.exec(stderr)?.[1]),
    );
    applied = await until("the first apply", async () => {
      const { store } = await openStateStore({ path: join(state, "state.db") });
      try {
        return await store.lastGoodRevision();
      } finally {
        await store.close();
      }
    });
    // The applied revision's files, checked out beside the server.
    checkout = await mkdtemp(join(tmpdir(), "lab-serve-api-checkout-"));
    const tar = execFileSync("git", ["-C", fixture.bare, "archive", "--format=tar", applied]);
    execFileSync("tar", ["-x", "-C", checkout], { input: tar });
  }, 60_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
    await http?.stop();
    await fixture?.remove();
    await rm(state, { recursive: true, force: true });
    if (checkout) await rm(checkout, { recursive: true, force: true });
  });

  it("GET /api/v1/<kind>: byte for byte what lab get <kind> -o json prints, of the applied revision", async () => {
    for (const kind of KINDS) {
      const res = await fetch(`${url}/api/v1/${kind}`);
      expect(res.status, kind).toBe(200);
      expect(res.headers.get("x-lab-revision")).toBe(applied);
      const want = await local("get", kind, "-o", "json");
      expect(want.code).toBe(0);
      expect(await res.text(), kind).toBe(want.stdout);
    }
  });

  it("GET /api/v1/<kind>/<name>: what lab show prints, for every item (a secret's slash encoded)", async () => {
    const shown = new Set<string>();
    for (const kind of KINDS) {
      const list = JSON.parse((await local("get", kind, "-o", "json")).stdout) as {
        items: { name?: string; path?: string }[];
      };
      for (const item of list.items) {
        const name = item.name ?? item.path!;
        const res = await fetch(`${url}/api/v1/${kind}/${encodeURIComponent(name)}`);
        expect(res.status, `${kind} ${name}`).toBe(200);
        expect(await res.text(), `${kind} ${name}`).toBe(
          (await local("show", kind, name, "-o", "json")).stdout,
        );
        shown.add(kind);
      }
    }
    expect([...shown]).toEqual(KINDS);
  });

  it("selector flags as query parameters: ?label=web&environment=prod", async () => {
    const res = await fetch(`${url}/api/v1/servers?label=web&environment=prod`);
    const want = await local(
      "get",
      "servers",
      "--label",
      "web",
      "--environment",
      "prod",
      "-o",
      "json",
    );
    expect(await res.text()).toBe(want.stdout);
    expect(JSON.parse(want.stdout)).toMatchObject({ items: [{ name: "web-1" }] });
    const unknown = await fetch(`${url}/api/v1/servers?colour=red`);
    expect(unknown.status).toBe(400);
  });

  it("an unknown name: 404 with the message lab show gives, did-you-mean included", async () => {
    const res = await fetch(`${url}/api/v1/servers/web-2`);
    expect(res.status).toBe(404);
    const body = (await res.json()) as { error: string };
    const want = await local("show", "server", "web-2");
    expect(want.code).toBe(1);
    expect(body.error).toBe('server "web-2" not found (did you mean "web-1"?)');
    expect(want.stderr).toBe(`error: ${body.error}\n`);
    const label = await fetch(`${url}/api/v1/servers?label=wbe`);
    expect(label.status).toBe(404);
    expect(((await label.json()) as { error: string }).error).toContain('did you mean "web"');
  });

  it("lab --server URL get servers: the same table and JSON as the local answer", async () => {
    for (const args of [
      ["get", "servers"],
      ["get", "servers", "-o", "wide"],
      ["get", "servers", "-o", "json"],
      ["get", "labels", "-o", "yaml"],
      ["get", "servers", "--server", "db-1"],
      ["get", "servers", "--label", "db", "--environment", "staging"],
      ["show", "server", "web-1"],
      ["show", "secret", "web/tls-cert", "-o", "yaml"],
      ["show", "server", "web-2"],
      ["targets", "server", "web-1"],
      ["explain", "server", "web-1", "group", "everything"],
      ["explain", "server", "db-1", "alert", "web_down", "-o", "json"],
    ]) {
      const mine = await remote(...args);
      expect(mine, args.join(" ")).toEqual(await local(...args));
    }
    const table = await remote("get", "servers");
    expect(table.stdout).toMatch(/^NAME\s+PROVIDER/);
  });

  it("the server down: a clear error naming the URL, exit 1, no stack trace", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const r = await lab(["--server", closed, "get", "servers"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      `error: cannot reach lab serve at ${closed}: connection refused: nothing listens there (ECONNREFUSED)\n`,
    );
    const viaEnv = await lab(["get", "servers"], { env: { LAB_SERVER: closed } });
    expect(viaEnv.stderr).toBe(r.stderr);
    const usage = await lab(["--server", url, "validate"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--server works with get, show, targets and explain");
  });
});
