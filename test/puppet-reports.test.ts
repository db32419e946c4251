/**
 * Puppet's own `http` report processor pointed at a running `lab serve` (bin/lab.js, SQLite):
 * a real `puppet apply --reports=http --reporturl=http://127.0.0.1:PORT/puppet/reports?token=…`
 * with a private confdir, vardir and codedir, as node mail-1 — a server of the applied repo —
 * once succeeding, once failing (an exec of /bin/false), once with a catalog that does not apply
 * (a dependency cycle) and once with a manifest that does not compile, which Puppet apply does
 * not report at all. The store's run for mail-1 follows each; a wrong token and a malformed
 * body are refused and nothing is recorded.
 */
import { execFile, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import type { PuppetRunRecord, StateStore } from "../core/state-store.js";
import { ROOT, SMALL_REPO, tableRows } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";
import { startServe, until, type ServeProcess } from "./serve-harness.js";
import { requireTool } from "./tools.js";

const TOKEN = "puppet-report-token-of-the-test";
/** SMALL_REPO (web-1, db-1) with mail-1, the node Puppet runs as. */
const REPO: Readonly<Record<string, string>> = {
  ...SMALL_REPO,
  "servers.yaml":
    SMALL_REPO["servers.yaml"]! +
    "  mail-1: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.9 }\n",
};

let work = "";
let fixture: GitFixture | undefined;
let served: ServeProcess | undefined;

async function withStore<T>(read: (store: StateStore) => Promise<T>): Promise<T> {
  const { store } = await openStateStore({ path: join(work, "state", "state.db") });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

const mail1 = (): Promise<PuppetRunRecord | null> => withStore((s) => s.puppetRun("mail-1"));

interface Applied {
  status: number | null;
  /** Puppet's own lines, without facter's harmless /proc noise. */
  output: string[];
}

/** `puppet apply` of `manifest` (written to NAME.pp) as mail-1, reporting to lab serve. */
async function puppetApply(name: string, manifest: string, token = TOKEN): Promise<Applied> {
  const file = join(work, `${name}.pp`);
  writeFileSync(file, manifest);
  const dirs = ["conf", "var", "log", "run", "code"].map((d) => join(work, "puppet", d));
  const args = [
    "apply",
    ...["--confdir", "--vardir", "--logdir", "--rundir", "--codedir"].flatMap((f, i) => [
      f,
      dirs[i]!,
    ]),
    ...["--certname", "mail-1", "--color", "false", "--reports", "http"],
    ...["--reporturl", `${served!.url}/puppet/reports?token=${encodeURIComponent(token)}`],
    file,
  ];
  // Not spawnSync: the test's own HTTP client must see the server's connections close meanwhile.
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>(
    (resolve) =>
      execFile(requireTool("puppet"), args, { timeout: 110_000 }, (err, stdout, stderr) =>
        resolve({
          status: err ? (typeof err.code === "number" ? err.code : null) : 0,
          stdout,
          stderr,
        }),
      ),
  );
  const output = `${run.stdout}\n${run.stderr}`
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.includes("Facter:"));
  return { status: run.status, output };
}

async function post(
  body: string,
  options: { token?: string; type?: string } = {},
): Promise<{ status: number; answer: unknown }> {
  const res = await fetch(
    `${served!.url}/puppet/reports?token=${encodeURIComponent(options.token ?? TOKEN)}`,
    {
      method: "POST",
      headers: { "content-type": options.type ?? "application/x-yaml" },
      body,
    },
  );
  return { status: res.status, answer: await res.json() };
}

/** `lab_puppet_reports_total` by result, from GET /metrics. */
async function reportCounts(): Promise<Record<string, number>> {
  const text = await (await fetch(`${served!.url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^lab_puppet_reports_total\{result="([^"]+)"\} (\d+)$/gm)) {
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** `lab --server URL ARGS` as a process: its stdout (exit 0 asserted). */
function labClient(args: string[]): string {
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "bin/lab.js"), "--server", served!.url, ...args],
    {
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: work, NO_COLOR: "1" },
    },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout;
}

/** mail-1's Puppet pillar from lab serve: its state (-o json) and its PUPPET cell. */
function puppetColumn(): [string, string] {
  const { items } = JSON.parse(labClient(["get", "servers", "-o", "json"])) as {
    items: { name: string; status: { puppet: { state: string } } }[];
  };
  const rows = tableRows(labClient(["get", "servers"]));
  const at = rows[0]!.indexOf("PUPPET");
  return [
    items.find((i) => i.name === "mail-1")!.status.puppet.state,
    rows.find((r) => r[0] === "mail-1")![at]!,
  ];
}

let puppetVersion = "";
let started = 0;

beforeAll(async () => {
  buildIfStale();
  puppetVersion = spawnSync(requireTool("puppet"), ["--version"], {
    encoding: "utf8",
  }).stdout.trim();
  work = await mkdtemp(join(tmpdir(), "lab-puppet-reports-"));
  fixture = await makeGitFixture();
  await fixture.commit(REPO);
  served = await startServe({
    remote: fixture.bare,
    state: join(work, "state", "state.db"),
    home: work,
    githubUrl: "http://127.0.0.1:9",
    // No GitHub here: without a token lab serve tells no forge of its applies.
    env: { LAB_PUPPET_REPORT_TOKEN: TOKEN, LAB_LOG_LEVEL: "info", GITHUB_TOKEN: "" },
  });
  await until(
    "the first apply",
    () => withStore((s) => s.lastGoodRevision()),
    60_000,
    () => served!.log(),
  );
  started = Date.now();
}, 120_000);

afterAll(async () => {
  await served?.stop();
  await fixture?.remove();
  if (work) await rm(work, { recursive: true, force: true });
});

const FAILED = readFileSync(join(ROOT, "test/fixtures/puppet-reports/failed.yaml"), "utf8");

describe("Puppet reports into lab serve (a real puppet apply)", () => {
  it("refuses a wrong token (401) and a malformed body (400), recording nothing", async () => {
    expect(await post(FAILED, { token: "wrong" })).toEqual({
      status: 401,
      answer: { error: "the token does not match" },
    });
    expect(await post("host: db-1\ntime: '2026-12-01T18:54:39Z'\n")).toEqual({
      status: 400,
      answer: { error: "the report has no status" },
    });
    expect(await withStore((s) => s.puppetRuns())).toEqual([]);
  });

  it("keeps a succeeding run: changed, class postfix, a known server", async () => {
    const ok = await puppetApply(
      "ok",
      "class postfix {\n  notify { 'postfix-configured': }\n}\ninclude postfix\n",
    );
    expect(ok.output.filter((l) => l.startsWith("Error:"))).toEqual([]);
    expect(ok.status).toBe(0);
    const run = await mail1();
    expect(run).toEqual({
      node: "mail-1",
      time: run!.time,
      status: "changed",
      environment: "production",
      configurationVersion: run!.configurationVersion,
      puppetVersion,
      failures: [],
      compileErrors: [],
      classes: ["postfix"],
      receivedAt: run!.receivedAt,
      known: true,
    });
    expect(Date.parse(run!.time)).toBeGreaterThanOrEqual(started - 1000);
    expect(Date.parse(run!.receivedAt)).toBeGreaterThanOrEqual(Date.parse(run!.time));
    expect(run!.configurationVersion).toMatch(/^\d+$/);
    expect(puppetColumn()).toEqual(["ok", "✓ ok"]);
  });

  it("follows a failing run: failed, the exec with Puppet's message and its file:line", async () => {
    const manifest = [
      "class app::broken {",
      "  exec { 'bars-fails':",
      "    command => '/bin/false',",
      "  }",
      "}",
      "class postfix {",
      "  notify { 'postfix-configured': }",
      "}",
      "include postfix",
      "include app::broken",
      "",
    ].join("\n");
    const failed = await puppetApply("failing", manifest);
    expect(failed.status).toBe(0); // without --detailed-exitcodes a failed resource exits 0
    expect(await mail1()).toMatchObject({
      status: "failed",
      failures: [
        {
          resource: "Exec[bars-fails]",
          message:
            "change from 'notrun' to ['0'] failed: '/bin/false' returned 1 instead of one of [0]",
          source: `${join(work, "failing.pp")}:2`,
        },
      ],
      compileErrors: [],
      classes: ["app::broken", "postfix"],
      known: true,
    });
    // The PUPPET column follows, asked of lab serve (client mode), and lab show server says why.
    expect(puppetColumn()).toEqual(["failed", "✗ failed"]);
    const shown = labClient(["show", "server", "mail-1"]);
    expect(shown).toContain("Exec[bars-fails]");
  });

  it("keeps a catalog that does not apply (a dependency cycle) with its errors", async () => {
    const manifest = [
      "class cyc {",
      "  notify { 'a': require => Notify['b'] }",
      "  notify { 'b': require => Notify['a'] }",
      "}",
      "include cyc",
      "",
    ].join("\n");
    await puppetApply("cycle", manifest);
    const place = join(work, "cycle.pp");
    expect(await mail1()).toMatchObject({
      status: "failed",
      failures: [
        {
          resource: "Notify[a]",
          message: "resource is part of a dependency cycle",
          source: `${place}:2`,
        },
        {
          resource: "Notify[b]",
          message: "resource is part of a dependency cycle",
          source: `${place}:3`,
        },
      ],
      compileErrors: [
        "Found 1 dependency cycle: (Notify[a] => Notify[b] => Notify[a])\\nTry the '--graph' option and opening the resulting '.dot' file in OmniGraffle or GraphViz",
        "Failed to apply catalog: One or more resource dependency cycles detected in graph",
      ],
      classes: ["cyc"],
    });
  });

  it("hears nothing of a manifest that does not compile: puppet apply sends no report", async () => {
    const before = await mail1();
    const broken = await puppetApply("syntax", "class broken {\n  notify { 'x':\n");
    expect(broken.status).toBe(1);
    expect(broken.output.filter((l) => l.startsWith("Error:"))).toEqual([
      "Error: Could not parse for environment production: Syntax error at end of input (file: " +
        `${join(work, "syntax.pp")}) on node mail-1`,
    ]);
    expect(await mail1()).toEqual(before);
  });

  it("records a node that is not a lab server, flagged, and counts every report", async () => {
    const ghost = JSON.stringify({
      host: "ghost-1",
      time: new Date().toISOString(),
      status: "unchanged",
      logs: [],
      resource_statuses: {},
    });
    expect(await post(ghost, { type: "application/json" })).toEqual({
      status: 200,
      answer: { status: "recorded", node: "ghost-1", known: false },
    });
    // A certname that is a server's address is that server, as the Puppet pillar matches it.
    const byAddress = ghost.replace('"ghost-1"', '"10.0.0.2"');
    expect(await post(byAddress, { type: "application/json" })).toEqual({
      status: 200,
      answer: { status: "recorded", node: "10.0.0.2", known: true },
    });
    expect((await withStore((s) => s.puppetRuns())).map((r) => [r.node, r.known])).toEqual([
      ["10.0.0.2", true],
      ["ghost-1", false],
      ["mail-1", true],
    ]);
    const warned = '"msg":"puppet report from a node that is not a lab server"';
    await until("the warning in the log", () => Promise.resolve(served!.log().includes(warned)));
    expect(await reportCounts()).toEqual({
      recorded: 4,
      "unknown-node": 1,
      stale: 0,
      unauthorized: 1,
      malformed: 1,
      "too-large": 0,
    });
  });
});
