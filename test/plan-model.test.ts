/** The pure plan on edited copies of examples/infra-repo (in memory), checked against its schema. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";
import { planSide } from "../reconciler/plan/plan-side.js";
import { planSchemaErrors } from "../reconciler/plan/plan-schema.js";
import type { Plan, PlanSide } from "../reconciler/plan/plan-types.js";
import { plan } from "../reconciler/plan/plan.js";
import { EXAMPLE } from "./example-repo.js";

function readFiles(dir: string, root = dir, out: Record<string, string> = {}) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === ".lab") continue;
    if (statSync(path).isDirectory()) readFiles(path, root, out);
    else out[relative(root, path)] = readFileSync(path, "utf8");
  }
  return out;
}

const FILES = readFiles(EXAMPLE);

async function sideOf(revision: string, files: Record<string, string>): Promise<PlanSide> {
  const checked = await checkRepo(memorySource(files));
  if (!checked.model) throw new Error(`test repo has errors: ${checked.diagnostics[0]?.message}`);
  return planSide(revision, checked.repo, checked.model);
}

/** FILES with `from` replaced by `to` in `path` (the text must be there). */
function edit(path: string, from: string, to: string, files = FILES): Record<string, string> {
  const text = files[path]!;
  expect(text).toContain(from);
  return { ...files, [path]: text.replace(from, to) };
}

async function planOf(head: Record<string, string>, base = FILES): Promise<Plan> {
  const p = plan({
    head: await sideOf("head", head),
    base: await sideOf("base", base),
    applied: null,
  });
  expect(planSchemaErrors(JSON.parse(JSON.stringify(p)))).toEqual([]);
  return p;
}

function changed(p: Plan) {
  return p.servers.filter((s) => s.action !== "none");
}

const at = (file: string, line: number, col: number) => ({ file, line, col });

describe("plan: servers", () => {
  test("nothing changed: every server none, no file, no risk", async () => {
    const p = await planOf(FILES);
    expect(changed(p)).toEqual([]);
    expect(p.summary.changes).toBe(false);
    expect(p.summary.servers.unchanged).toBe(p.servers.length);
    expect(p.outputs.flatMap((o) => o.files)).toEqual([]);
    expect(p.risks).toEqual([]);
  });

  test("a label's class replaced: its servers lose one and gain the other, located", async () => {
    const head = edit(
      "labels/roles.yaml",
      "[postfix, dovecot, spamassassin, fail2ban]",
      "[postfix, dovecot, fail2ban, clamav]",
    );
    const p = await planOf(head);
    expect(changed(p).map((s) => [s.name, s.action])).toEqual([
      ["mail-1", "change"],
      ["mail-2", "change"],
    ]);
    const from = [{ kind: "label", name: "mailserver" }];
    expect(changed(p)[0]!.changes).toEqual([
      {
        kind: "class",
        name: "clamav",
        id: "class/clamav",
        action: "gain",
        from,
        source: at("labels/roles.yaml", 5, 50),
      },
      {
        kind: "class",
        name: "spamassassin",
        id: "class/spamassassin",
        action: "lose",
        from,
        source: at("labels/roles.yaml", 5, 40),
      },
    ]);
    expect(p.risks.map((r) => [r.kind, r.server, r.name])).toEqual([
      ["class-removed", "mail-1", "spamassassin"],
      ["class-removed", "mail-2", "spamassassin"],
    ]);
    expect(p.outputs.flatMap((o) => o.files.map((f) => [f.path, f.action]))).toEqual([
      ["enc/nodes/mail-1.yaml", "change"],
      ["enc/nodes/mail-2.yaml", "change"],
    ]);
    const diff = p.outputs.find((o) => o.name === "enc")!.files[0]!.diff!;
    expect(diff.split("\n").slice(0, 3)).toEqual([
      "--- a/enc/nodes/mail-1.yaml",
      "+++ b/enc/nodes/mail-1.yaml",
      "@@ -1,8 +1,8 @@",
    ]);
    expect(diff).toContain("\n-  spamassassin: {}\n");
    expect(diff).toContain("\n+  clamav: {}\n");
  });

  test("a server removed: remove with every loss, and one destroy risk at its base entry (its value)", async () => {
    const head = edit("servers/baremetal.yaml", "  db-4:\n", "  db-4-gone:\n");
    const p = await planOf(head);
    expect(changed(p).map((s) => [s.name, s.action])).toEqual([
      ["db-4", "remove"],
      ["db-4-gone", "add"],
    ]);
    const removed = changed(p)[0]!;
    expect(removed.source).toEqual(at("servers/baremetal.yaml", 25, 5));
    expect(removed.changes.every((c) => c.action === "lose")).toBe(true);
    expect(removed.changes.map((c) => c.id)).toContain("class/postgresql::replica");
    expect(p.risks[0]).toEqual({
      kind: "destroy",
      server: "db-4",
      name: "db-4",
      message: "db-4 is destroyed (removed from the repo)",
      source: at("servers/baremetal.yaml", 25, 5),
    });
    // The new name gains the secrets the old one had (and the old one's losses are no risk).
    const lost = removed.changes.filter((c) => c.kind === "secret").map((c) => c.name);
    expect(lost.length).toBeGreaterThan(0);
    const gained = p.risks.filter((r) => r.kind === "secret-gained");
    expect(gained.map((r) => [r.server, r.name])).toEqual(lost.map((n) => ["db-4-gone", n]));
    expect(p.risks.filter((r) => r.server === "db-4").map((r) => r.kind)).toEqual(["destroy"]);
    expect(p.summary.servers).toMatchObject({ add: 1, remove: 1, replace: 0, change: 0 });
  });

  test("a size changed: replace, the size change at the server's size, a replace risk", async () => {
    const head = edit("servers/xcpng.yaml", "    size: medium\n", "    size: large\n");
    const p = await planOf(head);
    const mail1 = p.servers.find((s) => s.name === "mail-1")!;
    expect(mail1.action).toBe("replace");
    expect(mail1.changes[0]).toEqual({
      kind: "size",
      name: "large",
      id: "size",
      action: "change",
      before: "medium",
      after: "large",
      from: [{ kind: "server", name: "mail-1" }],
      source: at("servers/xcpng.yaml", 8, 11),
    });
    expect(p.risks[0]).toMatchObject({
      kind: "replace",
      server: "mail-1",
      message: "mail-1 is replaced (destroyed and created again): size medium -> large",
      source: at("servers/xcpng.yaml", 8, 11),
    });
  });

  test("a secret added to a label: every server of the label gains it, a risk each", async () => {
    const head = edit(
      "labels/roles.yaml",
      "secrets: [mail/tls-cert, mail/dkim-key]",
      "secrets: [mail/tls-cert, mail/dkim-key, app/session-key]",
    );
    const p = await planOf(head);
    expect(p.risks).toEqual(
      ["mail-1", "mail-2"].map((server) => ({
        kind: "secret-gained",
        server,
        name: "app/session-key",
        message: `${server} gains access to secret app/session-key (from label mailserver)`,
        source: at("labels/roles.yaml", 9, 45),
      })),
    );
  });

  test("an alert removed: every server it watched loses it, located in the base", async () => {
    const text = FILES["alerts.yaml"]!;
    const start = text.indexOf("  # Target specific servers");
    const end = text.indexOf("\n\n", start);
    const head = { ...FILES, "alerts.yaml": text.slice(0, start) + text.slice(end + 2) };
    const p = await planOf(head);
    expect(p.risks.map((r) => [r.kind, r.server, r.name, r.source])).toEqual([
      ["alert-removed", "beelink-ser9-max", "gpu_temperature", at("alerts.yaml", 27, 5)],
      ["alert-removed", "dgx-spark", "gpu_temperature", at("alerts.yaml", 27, 5)],
    ]);
    expect(p.outputs.find((o) => o.name === "prometheus")!.files.map((f) => f.path)).toContain(
      "prometheus/rules/alerts/alerts.yaml",
    );
  });

  test("a label added to a server: the gains point at the server's labels entry", async () => {
    const head = edit(
      "servers/xcpng.yaml",
      "labels: [mailserver, production]",
      "labels: [mailserver, production, app]",
    );
    const p = await planOf(head);
    const mail1 = p.servers.find((s) => s.name === "mail-1")!;
    const nginx = mail1.changes.find((c) => c.id === "class/nginx")!;
    expect(nginx.source).toEqual(at("servers/xcpng.yaml", 5, 38));
    expect(mail1.changes.filter((c) => c.kind === "port").map((c) => c.name)).toEqual([
      "443",
      "80",
    ]);
  });

  test("an unrelated file added first moves no id: the others plan as none", async () => {
    const extra =
      "labels:\n  aaa-x:\n    puppet_classes: [aaa_x]\nservers:\n  aaa-box: { provider: ssh, labels: [aaa-x], address: 10.9.9.9 }\n";
    const p = await planOf({ "00-first.yaml": extra, ...FILES });
    expect(changed(p).map((s) => [s.name, s.action])).toEqual([["aaa-box", "add"]]);
  });
});

describe("plan: more kinds of change", () => {
  test("class parameters changed: a class change, at the class in the label", async () => {
    const head = edit("labels/roles.yaml", "max_connections: 400", "max_connections: 800");
    const p = await planOf(head);
    const servers = changed(p);
    expect(servers.length).toBeGreaterThan(0);
    for (const s of servers) {
      expect(s.action).toBe("change");
      expect(s.changes).toEqual([
        {
          kind: "class",
          name: "postgresql::server",
          id: "class/postgresql::server",
          action: "change",
          from: [{ kind: "label", name: "postgres" }],
          source: at("labels/roles.yaml", 29, 7),
        },
      ]);
    }
    expect(p.risks).toEqual([]);
  });

  test("a server listed in a group: it gains the group, at the group's entry", async () => {
    const head = edit(
      "groups.yaml",
      "servers: [db-1, db-2, db-3]",
      "servers: [db-1, db-2, db-3, mail-1]",
    );
    const p = await planOf(head);
    const mail1 = p.servers.find((s) => s.name === "mail-1")!;
    const groups = mail1.changes.filter((c) => c.kind === "group");
    expect(groups.map((c) => [c.id, c.action])).toEqual([["group/database-tier", "gain"]]);
    expect(groups[0]!.source.file).toBe("groups.yaml");
  });

  test("risks of every kind in one plan, most severe first", async () => {
    let head = edit("servers/baremetal.yaml", "  db-4:\n", "  db-4x:\n");
    head = edit("servers/xcpng.yaml", "    size: medium\n", "    size: large\n", head);
    head = edit("labels/roles.yaml", "spamassassin, fail2ban]", "fail2ban]", head);
    head = edit(
      "labels/roles.yaml",
      "secrets: [mail/tls-cert, mail/dkim-key]",
      "secrets: [mail/tls-cert]",
      head,
    );
    const p = await planOf(head);
    const kinds = [...new Set(p.risks.map((r) => r.kind))];
    expect(kinds).toEqual(["destroy", "replace", "secret-gained", "secret-lost", "class-removed"]);
    expect(p.summary.risks).toBe(p.risks.length);
  });
});

describe("plan: outputs against what is applied", () => {
  test("files added, changed and removed; an unchanged file is never read", async () => {
    const head = await sideOf("head", FILES);
    const hashes = new Map(head.artifacts.map((a) => [a.path, a.hash]));
    const first = head.artifacts[0]!;
    hashes.set(first.path, "0".repeat(64));
    const second = head.artifacts[1]!;
    hashes.delete(second.path);
    hashes.set("enc/nodes/old-box.yaml", "1".repeat(64));
    const read: string[] = [];
    const content = (path: string): string | null => {
      read.push(path);
      return path === first.path
        ? "old\n"
        : path === "enc/nodes/old-box.yaml"
          ? "classes: {}\n"
          : null;
    };
    const p = plan({ head, base: null, applied: { revision: null, hashes, content } });
    expect(planSchemaErrors(JSON.parse(JSON.stringify(p)))).toEqual([]);
    expect(read.sort()).toEqual([first.path, "enc/nodes/old-box.yaml"].sort());
    const files = p.outputs.flatMap((o) => o.files);
    expect(files.map((f) => [f.path, f.action]).sort()).toEqual(
      [
        [first.path, "change"],
        [second.path, "add"],
        ["enc/nodes/old-box.yaml", "remove"],
      ].sort(),
    );
    expect(files.find((f) => f.action === "remove")!.diff).toBe(
      "--- a/enc/nodes/old-box.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-classes: {}\n",
    );
    expect(p.summary).toMatchObject({
      serversCompared: false,
      files: { add: 1, change: 1, remove: 1 },
    });
    expect(p.servers).toEqual([]);
    expect(p.base).toBeNull();
  });
});

describe("plan: drift", () => {
  const stack = (resources: { urn: string; inputs?: Record<string, unknown> }[]) => ({
    provider: "aws",
    stack: "aws-prod",
    resources: resources.map((r) => ({ type: "aws:ec2/instance:Instance", ...r })),
  });
  test("changed inputs, a resource gone, one lab never applied; bookkeeping ignored", async () => {
    const head = await sideOf("head", FILES);
    const urn = (n: string) => `urn:pulumi:aws-prod::lab::aws:ec2/instance:Instance::${n}`;
    const p = plan({
      head,
      base: null,
      applied: null,
      resources: {
        applied: [
          stack([
            { urn: urn("a"), inputs: { instanceType: "t3.large", ami: "x" } },
            { urn: urn("b") },
          ]),
        ],
        observed: [
          {
            ...stack([
              { urn: urn("a"), inputs: { ami: "x", instanceType: "t3.xlarge" } },
              { urn: urn("c") },
            ]),
            resources: [
              ...stack([
                { urn: urn("a"), inputs: { ami: "x", instanceType: "t3.xlarge" } },
                { urn: urn("c") },
              ]).resources,
              {
                urn: "urn:pulumi:aws-prod::lab::pulumi:pulumi:Stack::lab-aws-prod",
                type: "pulumi:pulumi:Stack",
              },
            ],
          },
        ],
      },
    });
    expect(planSchemaErrors(JSON.parse(JSON.stringify(p)))).toEqual([]);
    expect(p.drift.map((d) => [d.kind, d.urn.split("::").pop(), d.fields])).toEqual([
      ["changed", "a", ["instanceType"]],
      ["missing", "b", []],
      ["undeclared", "c", []],
    ]);
    expect(p.summary.drift).toBe(3);
  });
});

describe("plan: deterministic", () => {
  test("the same plan from files given in another order", async () => {
    const head = edit("servers/xcpng.yaml", "    size: medium\n", "    size: large\n");
    const reversed = Object.fromEntries(Object.entries(head).reverse());
    const [a, b] = [
      await planOf(head),
      await planOf(reversed, Object.fromEntries(Object.entries(FILES).reverse())),
    ];
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});
