/** `lab plan` and `lab diff server` on edited copies of examples/infra-repo. */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { planSchemaErrors } from "../reconciler/plan/plan-schema.js";
import type { Plan } from "../reconciler/plan/plan-types.js";
import { copyExample, lab, removeTemps, ROOT } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";

afterAll(removeTemps);

const ENV = { NO_COLOR: "1" };

function edit(repo: string, path: string, from: string, to: string): void {
  const file = join(repo, path);
  const text = readFileSync(file, "utf8");
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/** A base copy and a head copy; `change` edits the head. */
function pair(change: (head: string) => void): { base: string; head: string } {
  const base = copyExample();
  const head = copyExample();
  change(head);
  return { base, head };
}

async function planJson(args: string[]): Promise<Plan> {
  const r = await lab(["plan", "-o", "json", ...args], { env: ENV });
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const plan = JSON.parse(r.stdout) as Plan;
  expect(planSchemaErrors(plan)).toEqual([]);
  return plan;
}

function lines(text: string): string[] {
  return text.split("\n");
}

describe("lab plan --base --head", () => {
  it("a label's class changed: its servers change, located, and the table says so", async () => {
    const { base, head } = pair((h) =>
      edit(h, "labels/roles.yaml", "spamassassin, fail2ban]", "fail2ban, clamav]"),
    );
    const plan = await planJson(["--base", base, "--head", head]);
    expect(plan.servers.filter((s) => s.action !== "none").map((s) => s.name)).toEqual([
      "mail-1",
      "mail-2",
    ]);
    expect(plan.head).toMatch(/^[0-9a-f]{64}$/);
    expect(plan.base).toMatch(/^[0-9a-f]{64}$/);
    const table = await lab(["plan", "--base", base, "--head", head], { env: ENV });
    expect(table.code).toBe(0);
    const out = lines(table.stdout);
    expect(out[1]).toBe("Files: 0 to add, 2 to change, 0 to remove");
    expect(out[2]).toBe("Servers: 0 to add, 2 to change, 0 to replace, 0 to remove (21 unchanged)");
    expect(out[3]).toBe("Risks: 2");
    expect(out).toContain("Risks (most severe first):");
    expect(out).toContain(
      "  ! class-removed: mail-1 loses class spamassassin (from label mailserver) (labels/roles.yaml:5:40)",
    );
    expect(out).toContain("  ~ mail-1 (change)");
    expect(out).toContain("      + class clamav <- label mailserver (labels/roles.yaml:5:50)");
    expect(out).toContain(
      "      - class spamassassin <- label mailserver (labels/roles.yaml:5:40)",
    );
    expect(out).toContain("    ~ enc/nodes/mail-1.yaml");
    // Risks come before the outputs and the servers; unchanged servers are left out.
    expect(out.indexOf("Risks (most severe first):")).toBeLessThan(out.indexOf("Outputs:"));
    expect(out.indexOf("Outputs:")).toBeLessThan(out.indexOf("Servers:"));
    expect(out.some((l) => l.includes("db-1"))).toBe(false);
  });

  it("a server removed: remove and a destroy risk first", async () => {
    const { base, head } = pair((h) => edit(h, "servers/baremetal.yaml", "  db-4:\n", "  db-5:\n"));
    const plan = await planJson(["--base", base, "--head", head]);
    expect(plan.risks[0]).toMatchObject({ kind: "destroy", server: "db-4" });
    expect(plan.servers.find((s) => s.name === "db-4")!.action).toBe("remove");
    expect(plan.servers.find((s) => s.name === "db-5")!.action).toBe("add");
    expect(
      plan.outputs.find((o) => o.name === "enc")!.files.map((f) => [f.path, f.action]),
    ).toEqual([
      ["enc/nodes/db-4.yaml", "remove"],
      ["enc/nodes/db-5.yaml", "add"],
    ]);
  });

  it("a size changed: replace and a replace risk", async () => {
    const { base, head } = pair((h) =>
      edit(h, "servers/xcpng.yaml", "    size: medium\n", "    size: large\n"),
    );
    const plan = await planJson(["--base", base, "--head", head]);
    expect(plan.servers.filter((s) => s.action === "replace").map((s) => s.name)).toEqual([
      "mail-1",
    ]);
    expect(plan.risks[0]).toMatchObject({
      kind: "replace",
      server: "mail-1",
      source: { file: "servers/xcpng.yaml", line: 8, col: 11 },
    });
    expect(plan.summary.servers.replace).toBe(1);
  });

  it("a secret added to a label: a secret-gained risk per server", async () => {
    const { base, head } = pair((h) =>
      edit(
        h,
        "labels/roles.yaml",
        "secrets: [mail/tls-cert, mail/dkim-key]",
        "secrets: [mail/tls-cert, mail/dkim-key, app/session-key]",
      ),
    );
    const plan = await planJson(["--base", base, "--head", head]);
    expect(plan.risks.map((r) => [r.kind, r.server, r.name])).toEqual([
      ["secret-gained", "mail-1", "app/session-key"],
      ["secret-gained", "mail-2", "app/session-key"],
    ]);
  });

  it("an alert removed: an alert-removed risk per server it watched, and its rule file changes", async () => {
    const { base, head } = pair((h) => {
      const file = join(h, "alerts.yaml");
      const text = readFileSync(file, "utf8");
      const start = text.indexOf("  # Target specific servers");
      writeFileSync(file, text.slice(0, start) + text.slice(text.indexOf("\n\n", start) + 2));
    });
    const plan = await planJson(["--base", base, "--head", head]);
    expect(plan.risks.map((r) => [r.kind, r.server, r.name])).toEqual([
      ["alert-removed", "beelink-ser9-max", "gpu_temperature"],
      ["alert-removed", "dgx-spark", "gpu_temperature"],
    ]);
    const rules = plan.outputs.find((o) => o.name === "prometheus")!.files;
    expect(rules.find((f) => f.path === "prometheus/rules/alerts/alerts.yaml")!.action).toBe(
      "change",
    );
  });

  it("no change: exit 0, 'No changes.'; --detailed-exitcode 0, and 2 with changes", async () => {
    const { base, head } = pair(() => {});
    const same = await lab(["plan", "--base", base, "--head", head, "--detailed-exitcode"], {
      env: ENV,
    });
    expect(same.code).toBe(0);
    expect(lines(same.stdout)).toContain("No changes.");
    edit(head, "servers/xcpng.yaml", "    size: medium\n", "    size: large\n");
    const changed = await lab(["plan", "--base", base, "--head", head, "--detailed-exitcode"], {
      env: ENV,
    });
    expect(changed.code).toBe(2);
    const plain = await lab(["plan", "--base", base, "--head", head], { env: ENV });
    expect(plain.code).toBe(0);
  });

  it("a head with errors: its diagnostics as lab validate prints them, nothing planned, exit 1", async () => {
    const { base, head } = pair((h) =>
      edit(h, "servers/xcpng.yaml", "    size: medium\n", "    size: huge\n"),
    );
    const r = await lab(["plan", "--base", base, "--head", head], { env: ENV });
    expect(r.code).toBe(1);
    const v = await lab(["--repo", head, "validate"], { env: ENV });
    expect(r.stdout).toBe(v.stdout);
    expect(r.stdout).toMatch(/^servers\/xcpng\.yaml:8:11: error LAB\d+ /);
    expect(r.stderr).toContain(`error: the head (${head}) has errors; nothing was planned`);
    const json = await lab(["plan", "--base", base, "--head", head, "-o", "json"], { env: ENV });
    expect(json.code).toBe(1);
    expect(Object.keys(JSON.parse(json.stdout) as object)).toEqual(["diagnostics"]);
  });
});

describe("lab plan output formats", () => {
  it("-o yaml is the same Plan as -o json; colour only on a terminal without NO_COLOR", async () => {
    const { base, head } = pair((h) =>
      edit(h, "labels/roles.yaml", "spamassassin, fail2ban]", "fail2ban, clamav]"),
    );
    const args = ["plan", "--base", base, "--head", head];
    const json = await planJson(["--base", base, "--head", head]);
    const yaml = await lab([...args, "-o", "yaml"], { env: ENV });
    expect(yaml.code).toBe(0);
    expect(parseYaml(yaml.stdout)).toEqual(json);
    const tty = await lab(args, { env: {}, tty: true });
    expect(tty.stdout).toContain("\u001b[31m!\u001b[39m class-removed");
    const plain = await lab(args, { env: { NO_COLOR: "1" }, tty: true });
    expect(plain.stdout).not.toContain("\u001b[");
  });
});

describe("lab plan between revisions of a local Git repo", () => {
  it("HEAD~1 and HEAD, a tag, an abbreviated id: as git names them; a branch stays a branch", async () => {
    const repo = copyExample();
    const git = (...args: string[]) => {
      const r = spawnSync("git", ["-C", repo, ...args], {
        encoding: "utf8",
        env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.org" },
      });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    git("init", "--quiet", "--initial-branch=main");
    git("add", "--all");
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one");
    git("tag", "v1");
    const first = git("rev-parse", "HEAD");
    edit(repo, "servers/xcpng.yaml", "    size: medium\n", "    size: large\n");
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "two");
    const second = git("rev-parse", "HEAD");
    for (const [base, head] of [
      ["HEAD~1", "HEAD"],
      ["v1", "main"],
      [first.slice(0, 10), second.slice(0, 10)],
    ]) {
      const r = await lab(
        ["--repo", repo, "plan", "-o", "json", "--base", base!, "--head", head!],
        {
          env: ENV,
        },
      );
      expect(r.stderr).toBe("");
      const plan = JSON.parse(r.stdout) as Plan;
      expect([plan.base, plan.head]).toEqual([first, second]);
      expect(plan.servers.filter((x) => x.action === "replace").length).toBeGreaterThan(0);
    }
    const none = await lab(["--repo", repo, "plan", "--base", "HEAD~5"], { env: ENV });
    expect(none.code).not.toBe(0);
  });
});

describe("lab plan against what is applied", () => {
  it("nothing rendered: every file is added; after lab render, no change; an edit shows its diff", async () => {
    const repo = copyExample();
    const first = await planJson(["--repo", repo]);
    expect(first.base).toBeNull();
    expect(first.summary.serversCompared).toBe(false);
    expect(first.summary.files.change + first.summary.files.remove).toBe(0);
    expect(first.summary.files.add).toBeGreaterThan(0);
    expect((await lab(["--repo", repo, "render"], { env: ENV })).code).toBe(0);
    const second = await planJson(["--repo", repo]);
    expect(second.summary.changes).toBe(false);
    edit(repo, "labels/roles.yaml", "spamassassin, fail2ban]", "fail2ban, clamav]");
    const third = await planJson(["--repo", repo]);
    const files = third.outputs.flatMap((o) => o.files);
    expect(files.map((f) => [f.path, f.action])).toEqual([
      ["enc/nodes/mail-1.yaml", "change"],
      ["enc/nodes/mail-2.yaml", "change"],
    ]);
    expect(files[0]!.diff).toContain("\n-  spamassassin: {}\n");
    const table = await lab(["--repo", repo, "plan"], { env: ENV });
    expect(lines(table.stdout)).toContain(
      "Servers: not compared (the applied state records files only; give --base REF)",
    );
  });
});

describe("lab diff server", () => {
  it("the server's gains and losses with + and -, where they come from, and its file diffs", async () => {
    const { base, head } = pair((h) =>
      edit(h, "labels/roles.yaml", "spamassassin, fail2ban]", "fail2ban, clamav]"),
    );
    const r = await lab(["diff", "server", "mail-1", "--base", base, "--head", head], { env: ENV });
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out[0]).toBe("~ server mail-1: change (servers/xcpng.yaml:4:5)");
    expect(out).toContain("+ class clamav <- label mailserver (labels/roles.yaml:5:50)");
    expect(out).toContain("- class spamassassin <- label mailserver (labels/roles.yaml:5:40)");
    expect(out).toContain(
      "! class-removed: mail-1 loses class spamassassin (from label mailserver)",
    );
    expect(out).toContain("~ enc/nodes/mail-1.yaml");
    expect(out).toContain("--- a/enc/nodes/mail-1.yaml");
    expect(out).toContain("-  spamassassin: {}");
    expect(out).toContain("+  clamav: {}");
    expect(r.stdout).not.toContain("mail-2");
    const json = await lab(
      ["diff", "server", "mail-1", "--base", base, "--head", head, "-o", "json"],
      { env: ENV },
    );
    const slice = JSON.parse(json.stdout) as {
      kind: string;
      server: { name: string };
      files: { path: string }[];
    };
    expect([slice.kind, slice.server.name, slice.files.map((f) => f.path)]).toEqual([
      "ServerPlan",
      "mail-1",
      ["enc/nodes/mail-1.yaml"],
    ]);
  });

  it("an unknown server: exit 1 with the closest names", async () => {
    const { base, head } = pair(() => {});
    const r = await lab(["diff", "server", "mail-9", "--base", base, "--head", head], { env: ENV });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: server "mail-9" not found \(did you mean/);
  });
});

describe("bin/lab.js plan, as a real process", () => {
  beforeAll(buildIfStale, 180_000);

  function run(args: string[]) {
    const r = spawnSync(process.execPath, [join(ROOT, "bin", "lab.js"), ...args], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", NO_COLOR: "1" },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it("-o json validates against the schema; --detailed-exitcode exits 2 on changes, 0 without", () => {
    const { base, head } = pair((h) =>
      edit(h, "servers/xcpng.yaml", "    size: medium\n", "    size: large\n"),
    );
    const r = run(["plan", "--base", base, "--head", head, "-o", "json", "--detailed-exitcode"]);
    expect([r.code, r.stderr]).toEqual([2, ""]);
    const plan = JSON.parse(r.stdout) as Plan;
    expect(planSchemaErrors(plan)).toEqual([]);
    expect(plan.servers.filter((s) => s.action === "replace").map((s) => s.name)).toEqual([
      "mail-1",
    ]);
    const same = run(["plan", "--base", base, "--head", base, "--detailed-exitcode"]);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("\nNo changes.\n");
  });
});
