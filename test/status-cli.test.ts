/**
 * Status through the built CLI (bin/lab.js as a process): `lab get servers` and `lab show` with
 * their four pillars from a SQLite state store the test fills and a health source played by a
 * Prometheus-shaped HTTP stand-in in the test (its /api/v1/alerts, /api/v1/targets and
 * /api/v1/query answers set by the test); a source that is down or silent is unknown with the
 * reason and the command still answers; --watch prints a changed line; `lab serve` gives the
 * same JSON as the local answer. The real Prometheus and Naemon are the health sources' own suites.
 */
import { execFile, spawn } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import type { PuppetRun } from "../core/puppet-run.js";
import { RENDERER_NAMES } from "../core/renderer.js";
import { removeTemps, ROOT, SMALL_REPO, tableRows, tempDir, writeRepo } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";

const run = promisify(execFile);
const REV = "1".repeat(40);

interface PromState {
  alerts: object[];
  targets: object[];
  values: Record<string, Record<string, number>>;
}

/** A stand-in for Prometheus's HTTP API: what it answers is `state`, changed by the tests. */
async function promStandIn(state: PromState): Promise<{ url: string; server: Server }> {
  const answer = (res: ServerResponse, data: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: "success", data }));
  };
  const server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/api/v1/alerts") return answer(res, { alerts: state.alerts });
    if (url.pathname === "/api/v1/targets") return answer(res, { activeTargets: state.targets });
    if (url.pathname === "/api/v1/query") {
      const values = state.values[url.searchParams.get("query") ?? ""] ?? {};
      const result = Object.entries(values).map(([lab_server, v]) => ({
        metric: { lab_server },
        value: [1773586800, String(v)],
      }));
      return answer(res, { resultType: "vector", result });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A server that takes connections and never answers: a source that hangs. */
async function silent(): Promise<{ url: string; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer(() => {});
  server.on("connection", (s) => sockets.push(s));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sockets };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function repoFiles(source: string): Record<string, string> {
  return {
    ...SMALL_REPO,
    "lab.yaml": `lab:\n  name: small\n  health:\n    sources:\n${source}`,
    "alerts.yaml":
      SMALL_REPO["alerts.yaml"]! +
      [
        "  - name: disk_full",
        "    target: { labels: [web, db] }",
        "    condition: disk_usage_percent > 85",
        "    severity: warning",
        "",
      ].join("\n"),
  };
}

const promSource = (url: string, extra = "") =>
  `      - { name: prometheus, kind: prometheus, url: "${url}"${extra} }\n`;

let home = "";

async function lab(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, "bin/lab.js"), ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: home,
        NO_COLOR: "1",
        LAB_CACHE_DIR: join(home, "cache"),
        ...env,
      },
    });
    return { code: 0, stdout, stderr, ms: performance.now() - started };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, ms: performance.now() - started };
  }
}

interface Item {
  name: string;
  status: Record<string, unknown> & {
    state: string;
    health: {
      state: string;
      sources: { at: string | null; ok: boolean; reason: string | null; state: string | null }[];
    };
  };
}

function items(stdout: string): Item[] {
  return (JSON.parse(stdout) as { items: Item[] }).items;
}

const minutesAgo = (n: number) =>
  new Date(Date.now() - n * 60_000).toISOString().replace(/\.\d+Z$/, "Z");
const short = (iso: string) => iso.replace("T", " ").replace(/Z$/, "");

function puppetRun(node: string, over: Partial<PuppetRun>): PuppetRun {
  return {
    node,
    time: minutesAgo(5),
    status: "unchanged",
    environment: "production",
    configurationVersion: "1773585600",
    puppetVersion: "7.34.0",
    failures: [],
    compileErrors: [],
    classes: [],
    receivedAt: minutesAgo(5),
    ...over,
  };
}

const prom: PromState = { alerts: [], targets: [], values: {} };
let stand: { url: string; server: Server };
let db = "";
let repo = "";
const WEB_RUN = puppetRun("web-1", { status: "changed", classes: ["nginx"] });
const DB_RUN = puppetRun("db-1", {
  status: "failed",
  failures: [
    {
      resource: "Exec[/bin/false]",
      message: "returned 1 instead of one of [0]",
      source: "/etc/puppetlabs/code/site.pp:3",
    },
  ],
});

function target(server: string, address: string, health = "up") {
  return {
    labels: { job: "node", instance: `${address}:9100`, lab_server: server },
    health,
    lastError: "",
    lastScrape: "2026-03-15T14:59:58Z",
  };
}

const LATENCY = {
  labels: { alertname: "HighLatency", lab_server: "web-1", severity: "warning" },
  annotations: { summary: "web-1 answers slowly" },
  state: "firing",
  activeAt: "2026-03-15T14:50:00Z",
  value: "2.5e+00",
};

beforeAll(async () => {
  buildIfStale();
  home = tempDir("lab-status-home-");
  stand = await promStandIn(prom);
  prom.targets = [target("web-1", "10.0.0.1"), target("db-1", "10.0.0.2")];
  prom.alerts = [LATENCY];
  prom.values["max by (lab_server) (disk_usage_percent)"] = { "web-1": 42, "db-1": 83 };
  repo = writeRepo(repoFiles(promSource(stand.url)));
  db = join(tempDir("lab-status-state-"), "state.db");
  const { store } = await openStateStore({ path: db });
  const id = await store.startRun({ revision: REV, trigger: "cli" });
  for (const name of RENDERER_NAMES) await store.recordApplied(name, REV, {});
  await store.finishRun(id, { result: "ok", diagnostics: 0 });
  await store.recordPuppetRun(WEB_RUN, true);
  await store.recordPuppetRun(DB_RUN, true);
  await store.close();
}, 120_000);

afterAll(async () => {
  await new Promise((done) => stand.server.close(done));
  removeTemps();
});

describe("lab get servers with a state store and a health source", () => {
  it("-o json: each server's four pillars with the detail behind them", async () => {
    const r = await lab(["--repo", repo, "get", "servers", "--state", db, "-o", "json"]);
    expect(r.stderr).toBe("");
    const [dbOne, web] = items(r.stdout);
    expect(web!.name).toBe("web-1");
    expect(web!.status).toEqual({
      state: "warn",
      sync: {
        state: "ok",
        revision: REV,
        behind: [],
        drift: [],
        detail: "applied at 111111111111",
      },
      puppet: {
        state: "ok",
        lastRun: WEB_RUN,
        detail: `last run ${short(WEB_RUN.time)} (changed)`,
      },
      health: {
        state: "warn",
        alerts: [
          {
            name: "HighLatency",
            state: "firing",
            since: "2026-03-15T14:50:00.000Z",
            value: "2.5e+00",
            severity: "warning",
            summary: "web-1 answers slowly",
            source: "prometheus",
          },
        ],
        checks: [
          {
            name: "up",
            state: "ok",
            output: "node 10.0.0.1:9100",
            checkedAt: "2026-03-15T14:59:58.000Z",
            source: "prometheus",
          },
        ],
        sources: [
          {
            name: "prometheus",
            ok: true,
            reason: null,
            state: "warn",
            at: web!.status.health.sources[0]!.at,
          },
        ],
        detail: "1 alert firing",
      },
      identity: {
        state: "unknown",
        certExpires: null,
        detail:
          "no certificate known (LAB_PUPPET_CA_DIR names a Puppet CA directory to read it from)",
      },
    });
    expect(dbOne!.name).toBe("db-1");
    expect(dbOne!.status.state).toBe("failed");
    expect(dbOne!.status.puppet).toEqual({
      state: "failed",
      lastRun: DB_RUN,
      detail: `last run ${short(DB_RUN.time)} failed: 1 resource failed: Exec[/bin/false]`,
    });
    expect(dbOne!.status.health.state).toBe("ok");
  });

  it("the table draws the pillars; --status and --health filter on them", async () => {
    const rows = tableRows((await lab(["--repo", repo, "get", "servers", "--state", db])).stdout);
    expect(rows).toEqual([
      [
        "NAME",
        "PROVIDER",
        "LABELS",
        "ENVIRONMENT",
        "REGION",
        "SIZE",
        "SYNC",
        "PUPPET",
        "HEALTH",
        "IDENTITY",
      ],
      ["db-1", "ssh", "db", "prod", "<none>", "small", "✓ sync", "✗ failed", "✓ ok", "…"],
      ["web-1", "ssh", "web", "prod", "<none>", "small", "✓ sync", "✓ ok", "⚠ 1 alrt", "…"],
    ]);
    const names = async (...flags: string[]) =>
      items(
        (await lab(["--repo", repo, "get", "servers", "--state", db, "-o", "json", ...flags]))
          .stdout,
      ).map((i) => i.name);
    expect(await names("--status", "failed")).toEqual(["db-1"]);
    expect(await names("--health", "warn")).toEqual(["web-1"]);
    expect(await names("--status", "ok,unknown")).toEqual([]);
    const bad = await lab(["--repo", repo, "get", "servers", "--health", "sick"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error: --health "sick": expected ok, warn, failed, unknown (comma-separated for several)\n',
    );
  });

  it("lab show server: the Status, Puppet and Health sections", async () => {
    const r = await lab(["--repo", repo, "show", "server", "db-1", "--state", db]);
    expect(r.code).toBe(0);
    const tail = r.stdout.slice(r.stdout.indexOf("Status:"));
    expect(tail).toBe(
      [
        "Status: ✓ IN SYNC (applied at 111111111111)",
        "Puppet:",
        "  Environment: production",
        `  Last run: ✗ ${short(DB_RUN.time)} (failed)`,
        "  Catalog: 1773585600",
        "  Failures:",
        "    └── Exec[/bin/false]: returned 1 instead of one of [0] (/etc/puppetlabs/code/site.pp:3)",
        "Health: ✓ all checks passing, no alerts active",
        "  prometheus: ✓ all checks passing",
        "  Alerts: none active",
        "Identity: … no certificate known (LAB_PUPPET_CA_DIR names a Puppet CA directory to read it from)",
        "",
      ].join("\n"),
    );
  });

  it("lab show alert: the current value per server, and where it is rendered", async () => {
    const r = await lab(["--repo", repo, "show", "alert", "disk_full"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.find((l) => l.includes("web-1"))).toMatch(
      /^  [├└]── web-1 \(ssh, prod\) .* currently: 42% ✓$/,
    );
    expect(lines.find((l) => l.includes("db-1"))).toMatch(
      /^  [├└]── db-1 \(ssh, prod\) .* currently: 83% ⚠ approaching$/,
    );
    expect(lines).toContain("Current values: from prometheus (disk_usage_percent)");
    expect(lines).toContain(
      '  └── Prometheus: rule "disk_full" in prometheus/rules/alerts/alerts.yaml',
    );
  });

  it("lab show label: each server with its four pillars", async () => {
    const r = await lab(["--repo", repo, "show", "label", "db", "--state", db]);
    expect(r.stdout).toContain("  └── db-1 (ssh, prod) ✓ sync ✗ puppet ✓ health … identity\n");
  });
});

describe("identity from a Puppet CA directory", () => {
  it("LAB_PUPPET_CA_DIR: a certificate far from expiry is ok, one expiring in 10 days a warning", async () => {
    const ca = tempDir("lab-status-ca-");
    mkdirSync(join(ca, "signed"));
    for (const [node, days] of [
      ["web-1", 365],
      ["db-1", 10],
    ] as const) {
      const key = join(ca, `${node}.key`);
      const args = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"];
      const out = ["-keyout", key, "-out", join(ca, "signed", `${node}.pem`)];
      await run("openssl", [
        ...args,
        "-nodes",
        "-days",
        String(days),
        "-subj",
        `/CN=${node}`,
        ...out,
      ]);
    }
    const env = { LAB_PUPPET_CA_DIR: ca };
    const rows = tableRows((await lab(["--repo", repo, "get", "servers"], env)).stdout);
    expect(rows.map((r) => r.at(-1))).toEqual(["IDENTITY", "⚠ cert exp", "✓ cert ok"]);
    const json = items((await lab(["--repo", repo, "get", "servers", "-o", "json"], env)).stdout);
    const identity = json[0]!.status.identity as { state: string; detail: string };
    expect(identity.state).toBe("warn");
    expect(identity.detail).toMatch(/^CA directory .* \(signed\/db-1\.pem\): 9 days left$/);
    // Identity counts in the server's state once it is known.
    expect(json[0]!.status.state).toBe("warn");
  });
});

describe("a health source that does not answer", () => {
  it("refused: every server's health unknown with the reason, and the answer comes at once", async () => {
    const port = await closedPort();
    const down = writeRepo(repoFiles(promSource(`http://127.0.0.1:${port}`)));
    const r = await lab(["--repo", down, "get", "servers", "-o", "json"]);
    expect(r.code).toBe(0);
    const web = items(r.stdout).find((i) => i.name === "web-1")!;
    const note = web.status.health.sources[0]!;
    expect(web.status.health.state).toBe("unknown");
    expect(note.ok).toBe(false);
    expect(note.state).toBe("unknown");
    expect(note.reason).toContain(`127.0.0.1:${port}`);
    process.stderr.write(
      `status test: lab get servers with a refused source took ${Math.round(r.ms)} ms\n`,
    );
    expect(r.ms).toBeLessThan(5_000);
  });

  it("silent: bounded by the budget (what is left of 900 ms after the start, 400–800 ms) whatever the source's own timeout", async () => {
    const hang = await silent();
    try {
      const slow = writeRepo(repoFiles(promSource(hang.url, ", timeout: 30s")));
      const r = await lab(["--repo", slow, "get", "servers", "-o", "json"]);
      expect(r.code).toBe(0);
      const web = items(r.stdout).find((i) => i.name === "web-1")!;
      expect(web.status.health.sources).toEqual([
        {
          name: "prometheus",
          ok: false,
          reason: expect.stringMatching(/^timed out after 0\.[4-8] s$/) as string,
          state: "unknown",
          at: web.status.health.sources[0]!.at,
        },
      ]);
      const table = tableRows((await lab(["--repo", slow, "get", "servers"])).stdout);
      expect(table[1]!.slice(6)).toEqual(["…", "…", "…", "…"]);
      process.stderr.write(
        `status test: lab get servers with a silent source took ${Math.round(r.ms)} ms\n`,
      );
      expect(r.ms).toBeLessThan(5_000);
    } finally {
      for (const s of hang.sockets) s.destroy();
      await new Promise((done) => hang.server.close(done));
    }
  });
});

/**
 * `lab ARGS` (a --watch) as a process: its table, then after `change()` exactly one more line,
 * `row`; SIGINT ends it with exit 0.
 */
async function watchSeesChange(args: readonly string[], row: readonly string[]): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, "bin/lab.js"), ...args], {
    env: { PATH: process.env.PATH, HOME: home, NO_COLOR: "1", LAB_CACHE_DIR: join(home, "cache") },
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const lines = () => out.split("\n").filter(Boolean);
  const waitFor = async (what: string, ok: () => boolean) => {
    const end = Date.now() + 20_000;
    while (!ok()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  try {
    await waitFor("the table", () => lines().length >= 3);
    await new Promise((r) => setTimeout(r, 600));
    expect(lines()).toHaveLength(3);
    expect(tableRows(lines()[0]!)[0]![8]).toBe("HEALTH");
    prom.alerts = [
      LATENCY,
      { ...LATENCY, labels: { ...LATENCY.labels, lab_server: "db-1", alertname: "DiskFilling" } },
    ];
    await waitFor("the changed line", () => lines().length >= 4);
    expect(tableRows(lines()[3]!)[0]).toEqual(row);
    await new Promise((r) => setTimeout(r, 600));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(lines()).toHaveLength(4);
  } finally {
    prom.alerts = [LATENCY];
    if (child.exitCode === null) child.kill("SIGKILL");
  }
}

const DB_ALERTED = ["db-1", "ssh", "db", "prod", "<none>", "small", "✓ sync"];

describe("lab get servers --watch", () => {
  it("prints the table, then a line for the server whose status changed; SIGINT ends it", async () => {
    const args = ["--repo", repo, "get", "servers", "--state", db, "-w", "--interval", "0.2"];
    await watchSeesChange(args, [...DB_ALERTED, "✗ failed", "⚠ 1 alrt", "…"]);
  });
});

describe("client mode", () => {
  let fixture: GitFixture;
  let serve: ReturnType<typeof spawn> | null = null;

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill("SIGTERM");
      await new Promise((r) => serve!.once("exit", r));
    }
    await fixture?.remove();
  });

  it("lab --server URL get servers gives what the local answer gives over the server's store", async () => {
    fixture = await makeGitFixture();
    const files = repoFiles(promSource(stand.url));
    await fixture.commit(files);
    const state = tempDir("lab-status-serve-");
    serve = spawn(
      process.execPath,
      [
        join(ROOT, "bin/lab.js"),
        "--repo",
        fixture.bare,
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
          LAB_CACHE_DIR: join(state, "cache"),
          LAB_LOG_LEVEL: "warn",
          LAB_STATUS_REFRESH_SECONDS: "1",
        },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    serve.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const until = async <T>(
      what: string,
      probe: () => Promise<T | null | undefined>,
    ): Promise<T> => {
      const end = Date.now() + 60_000;
      for (;;) {
        const v = await probe().catch(() => null);
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    const url = await until("lab serve to listen", () =>
      Promise.resolve(/listening on (http:\/\/\S+)/.exec(stderr)?.[1]),
    );
    // Applied, and the sources read once: the health is no longer "not read yet".
    await until("the first status refresh", async () => {
      const r = await lab(["--server", url, "get", "servers", "-o", "json"]);
      return r.code === 0 && items(r.stdout).every((i) => i.status.health.state !== "unknown");
    });
    const checkout = writeRepo(files);
    const db = join(state, "state.db");
    const at = (text: string) => text.replace(/"at": "[^"]+"/g, '"at": "<time>"');
    for (const args of [["-o", "json"], ["--health", "warn", "-o", "json"], []]) {
      const remote = await lab(["--server", url, "get", "servers", ...args]);
      const local = await lab(["--repo", checkout, "get", "servers", "--state", db, ...args]);
      expect(remote.stderr).toBe("");
      expect(at(remote.stdout), args.join(" ")).toBe(at(local.stdout));
    }
    const table = tableRows((await lab(["--server", url, "get", "servers"])).stdout);
    expect(table.map((r) => r.slice(6).join(" "))).toEqual([
      "SYNC PUPPET HEALTH IDENTITY",
      "✓ sync … ✓ ok …",
      "✓ sync … ⚠ 1 alrt …",
    ]);
    const show = await lab(["--server", url, "show", "server", "web-1", "-o", "json"]);
    const mine = await lab([
      "--repo",
      checkout,
      "show",
      "server",
      "web-1",
      "--state",
      db,
      "-o",
      "json",
    ]);
    expect(at(show.stdout)).toBe(at(mine.stdout));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('lab_servers_by_pillar{pillar="health",state="warn"} 1');
    expect(metrics).toContain('lab_servers_by_pillar{pillar="sync",state="ok"} 2');
    // --watch in client mode: the server's next refresh shows the new alert.
    const watch = ["--server", url, "get", "servers", "-w", "--interval", "0.2"];
    await watchSeesChange(watch, [...DB_ALERTED, "…", "⚠ 1 alrt", "…"]);
  }, 120_000);
});
