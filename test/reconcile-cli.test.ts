/**
 * `lab reconcile` and `lab apply` in process, on real Git repos (a bare remote made with the git
 * CLI) and a real SQLite store: applies, idempotence, a revision with errors, a corrupt store,
 * an output another holder leases, a plain folder.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStateStore } from "../adapters/state/open-state-store.js";
import { lab, removeTemps, ROOT, SMALL_REPO, tempDir, writeRepo } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { makeGitFixture, type GitFixture } from "./git-fixtures.js";

// The passes run as processes: bin/lab.js and the build.
beforeAll(buildIfStale, 180_000);
const fixtures: GitFixture[] = [];
afterAll(async () => {
  for (const f of fixtures) await f.remove();
  removeTemps();
});

async function remote(files: Readonly<Record<string, string>>): Promise<GitFixture> {
  const fixture = await makeGitFixture();
  fixtures.push(fixture);
  await fixture.commit(files);
  return fixture;
}

interface PassJson {
  result: string;
  revision: string;
  lastGood: string | null;
  outputs: {
    name: string;
    status: string;
    location: string;
    added: number;
    reason?: string;
    note?: string;
  }[];
  plan: { summary: { files: Record<string, number>; changes: boolean } } | null;
  diagnostics: { code: string; file: string; line: number }[];
}

async function reconcile(repo: string, state: string, ...more: string[]) {
  const run = await lab(["--repo", repo, "reconcile", "--state", state, "-o", "json", ...more]);
  return { ...run, json: run.stdout ? (JSON.parse(run.stdout) as PassJson) : null };
}

const WITH_WEB_3 = {
  ...SMALL_REPO,
  "servers.yaml":
    SMALL_REPO["servers.yaml"]! +
    "  web-3: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.3 }\n",
};

describe("lab reconcile on a Git remote", () => {
  it("applies every output once, and a second pass changes nothing", async () => {
    const git = await remote(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    const first = await reconcile(git.bare, state);
    expect(first.code).toBe(0);
    expect(first.json?.result).toBe("ok");
    expect(first.json?.outputs.map((o) => [o.name, o.status])).toEqual([
      ["prometheus", "applied"],
      ["naemon", "applied"],
      ["enc", "applied"],
      ["pulumi", "applied"],
    ]);
    // No Pulumi CLI on the (empty) PATH: the stacks are written and the pass says so.
    expect(first.json?.outputs.find((o) => o.name === "pulumi")).toMatchObject({
      status: "applied",
      note: "stack files written, not deployed: the Pulumi CLI is not installed (every other output is applied)",
    });
    // A bare repo's outputs go under the state directory.
    const enc = first.json!.outputs.find((o) => o.name === "enc")!;
    expect(enc.location).toBe(join(state, "..", ".lab", "outputs", "enc"));
    expect(readdirSync(join(enc.location, "nodes")).sort()).toEqual(["db-1.yaml", "web-1.yaml"]);
    const second = await reconcile(git.bare, state);
    expect(second.code).toBe(0);
    expect(second.json?.result).toBe("no-change");
    expect(second.json?.outputs.every((o) => o.status === "unchanged")).toBe(true);
    expect(second.json?.plan?.summary.changes).toBe(false);
    const text = await lab(["--repo", git.bare, "reconcile", "--state", state]);
    expect(text.stdout).toContain(
      `nothing changed: ${first.json!.revision.slice(0, 12)} is applied`,
    );
  });

  it("plans a new commit against the last applied one and applies only what changed", async () => {
    const git = await remote(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    await reconcile(git.bare, state);
    await git.commit(WITH_WEB_3);
    const next = await reconcile(git.bare, state);
    expect(next.code).toBe(0);
    const plan = next.json!.plan as unknown as {
      servers: { name: string; action: string }[];
      base: string;
    };
    expect(plan.servers.filter((s) => s.action !== "none").map((s) => [s.name, s.action])).toEqual([
      ["web-3", "add"],
    ]);
    const enc = next.json!.outputs.find((o) => o.name === "enc")!;
    expect([enc.status, enc.added]).toEqual(["applied", 1]);
    expect(existsSync(join(enc.location, "nodes", "web-3.yaml"))).toBe(true);
  });

  it("never applies a revision with errors: exit 1, the last good one stays", async () => {
    const git = await remote(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    const good = await reconcile(git.bare, state);
    const encDir = good.json!.outputs.find((o) => o.name === "enc")!.location;
    const before = readFileSync(join(encDir, "nodes", "web-1.yaml"), "utf8");
    await git.commit({
      ...WITH_WEB_3,
      "servers.yaml": "servers:\n  web-1: { provider: nowhere }\n",
    });
    const bad = await reconcile(git.bare, state);
    expect(bad.code).toBe(1);
    expect(bad.json?.result).toBe("invalid");
    expect(bad.json?.lastGood).toBe(good.json!.revision);
    expect(bad.json?.outputs).toEqual([]);
    expect(bad.json?.diagnostics.some((d) => d.file === "servers.yaml" && d.line === 2)).toBe(true);
    expect(readFileSync(join(encDir, "nodes", "web-1.yaml"), "utf8")).toBe(before);
    expect(existsSync(join(encDir, "nodes", "db-1.yaml"))).toBe(true);
    const text = await lab(["--repo", git.bare, "reconcile", "--state", state]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`stays applied`);
    expect(text.stdout).toContain(good.json!.revision.slice(0, 12));
    expect(text.stderr).toMatch(/servers\.yaml:2:\d+/);
  });

  it("moves a corrupt state store aside, says so, and converges from Git", async () => {
    const git = await remote(SMALL_REPO);
    const dir = tempDir();
    const state = join(dir, "state.db");
    await reconcile(git.bare, state);
    writeFileSync(state, "this is not a database".repeat(100));
    const run = await reconcile(git.bare, state);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(state);
    expect(readdirSync(dir).some((n) => n.startsWith("state.db.corrupt-"))).toBe(true);
    expect(["ok", "no-change"]).toContain(run.json?.result);
    expect((await reconcile(git.bare, state)).json?.result).toBe("no-change");
  });

  it("leaves an output alone while another holder's lease on it runs", async () => {
    const git = await remote(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    const { store } = await openStateStore({ path: state });
    expect(await store.acquireLease("naemon", "replica-b", 60_000)).toBe(true);
    await store.close();
    const run = await reconcile(git.bare, state);
    const naemon = run.json!.outputs.find((o) => o.name === "naemon")!;
    expect(naemon.status).toBe("busy");
    expect(naemon.reason).toBe("another lab (replica-b) is applying it");
    expect(run.json!.outputs.filter((o) => o.status === "applied").map((o) => o.name)).toEqual([
      "prometheus",
      "enc",
      "pulumi",
    ]);
  });

  it("names a revision that does not exist", async () => {
    const git = await remote(SMALL_REPO);
    const run = await lab([
      "--repo",
      git.bare,
      "reconcile",
      "--state",
      join(tempDir(), "s.db"),
      "--branch",
      "nope",
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`the remote ${git.bare} has no nope`);
    expect(run.stderr).not.toContain("internal error");
  });
});

describe("lab plan against what is applied", () => {
  it("plans the working files against the applied commit, read from Git, servers compared", async () => {
    const git = await remote(SMALL_REPO);
    const work = join(git.root, "work");
    const state = join(tempDir(), "state.db");
    const applied = await reconcile(work, state);
    expect(applied.json?.result).toBe("ok");
    writeFileSync(join(work, "servers.yaml"), WITH_WEB_3["servers.yaml"]);
    interface PlanJson {
      base: string;
      summary: { serversCompared: boolean };
      servers: { name: string; action: string }[];
    }
    const planOf = async (...more: string[]) => {
      const run = await lab(["--repo", work, "plan", "--state", state, "-o", "json", ...more]);
      expect(run.code).toBe(0);
      return JSON.parse(run.stdout) as PlanJson;
    };
    const changed = (p: PlanJson) =>
      p.servers.filter((s) => s.action !== "none").map((s) => [s.name, s.action]);
    const against = await planOf();
    expect(against.base).toBe(applied.json!.revision);
    expect(against.summary.serversCompared).toBe(true);
    expect(changed(against)).toEqual([["web-3", "add"]]);
    expect(changed(await planOf("--base", "main"))).toEqual([["web-3", "add"]]);
    expect((await planOf("--base", applied.json!.revision)).base).toBe(applied.json!.revision);
    const missing = await lab(["--repo", work, "plan", "--state", state, "--base", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("has no nope");
  });
});

/** `lab reconcile` as its own process (bin/lab.js, the build). */
function processPass(
  repo: string,
  state: string,
): Promise<{ code: number | null; json: PassJson }> {
  const args = [
    join(ROOT, "bin", "lab.js"),
    "--repo",
    repo,
    "reconcile",
    "--state",
    state,
    "-o",
    "json",
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.on("close", (code) => {
      try {
        resolve({ code, json: JSON.parse(out) as PassJson });
      } catch {
        reject(new Error(`exit ${code}: ${out}${err}`));
      }
    }),
  );
}

describe("two lab reconcile processes at once on one SQLite store", () => {
  it("apply each output exactly once between them: the lease lets one in", async () => {
    const git = await remote(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    for (let round = 0; round < 2; round++) {
      if (round === 1) await git.commit(WITH_WEB_3);
      const [a, b] = await Promise.all([
        processPass(git.bare, state),
        processPass(git.bare, state),
      ]);
      expect([a.code, b.code]).toEqual([0, 0]);
      for (const name of ["prometheus", "naemon", "enc", "pulumi"]) {
        const statuses = [a, b].map((p) => p.json.outputs.find((o) => o.name === name)!.status);
        expect(statuses.filter((s) => s === "applied")).toEqual(["applied"]);
        expect(statuses.filter((s) => s !== "applied")[0]).toMatch(/^(busy|unchanged)$/);
      }
    }
    const { store } = await openStateStore({ path: state });
    const applies = (await store.auditLog({ limit: 100 })).filter((e) =>
      e.what.startsWith("apply "),
    );
    await store.close();
    expect(applies.length).toBe(8);
  }, 60_000);
});

describe("lab apply on a plain folder", () => {
  it("reads the files as they are, with the content id as the revision, outputs in the folder", async () => {
    const repo = writeRepo(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    const run = await lab(["--repo", repo, "apply", "--state", state, "-o", "json"]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PassJson;
    expect(json.revision).toMatch(/^content:[0-9a-f]{64}$/);
    expect(json.outputs[0]?.location).toBe(join(repo, ".lab", "outputs", "prometheus"));
    writeFileSync(join(repo, "servers.yaml"), WITH_WEB_3["servers.yaml"]);
    const next = JSON.parse(
      (await lab(["--repo", repo, "apply", "--state", state, "-o", "json"])).stdout,
    ) as PassJson;
    expect(next.revision).not.toBe(json.revision);
    expect(next.result).toBe("ok");
    // A folder has no history: the plan diffs against the applied files, read for changed ones.
    const files = (
      next.plan as unknown as {
        outputs: { files: { path: string; action: string; diff: string | null }[] }[];
      }
    ).outputs.flatMap((o) => o.files);
    const changed = files.filter((f) => f.action === "change");
    expect(changed.length).toBeGreaterThan(0);
    for (const f of changed) expect(f.diff).toMatch(new RegExp(`^--- a/${f.path}\n`));
    expect(files.find((f) => f.path === "enc/nodes/web-3.yaml")?.action).toBe("add");
    // `lab enc` finds what apply wrote: by default, and given the ENC output's own folder.
    const enc = await lab(["--repo", repo, "enc", "web-3"]);
    expect([enc.code, enc.stdout]).toEqual([0, expect.stringContaining("nginx")]);
    const own = join(repo, ".lab", "outputs", "enc");
    expect((await lab(["enc", "--rendered", own, "web-3"])).code).toBe(0);
    expect((await lab(["enc", "--rendered", own, "web-9"])).stderr).toContain(join(own, "nodes"));
  });
});

describe("lab apply --watch", () => {
  it("applies at once and again after a file changes, until stopped", async () => {
    const repo = writeRepo(SMALL_REPO);
    const state = join(tempDir(), "state.db");
    const args = [
      join(ROOT, "bin", "lab.js"),
      "--repo",
      repo,
      "apply",
      "--watch",
      "--state",
      state,
    ];
    const child = spawn(process.execPath, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NO_COLOR: "1" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const until = async (what: () => boolean) => {
      const end = Date.now() + 30_000;
      while (!what()) {
        if (Date.now() > end || child.exitCode !== null) throw new Error(`${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      await until(() => err.includes("watching") && out.includes("applied content"));
      writeFileSync(join(repo, "servers.yaml"), WITH_WEB_3["servers.yaml"]);
      await until(() => out.split("applied content").length === 3);
      expect(existsSync(join(repo, ".lab", "outputs", "enc", "nodes", "web-3.yaml"))).toBe(true);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = (await once(child, "close")) as [number | null];
    expect(code).toBe(0);
  }, 60_000);
});
