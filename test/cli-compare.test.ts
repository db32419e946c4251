/**
 * `lab render --all-providers` on a copy of examples/infra-repo: one code path for any selection,
 * each size listed, totals that add up, every class in the JSON, a label no server carries, and
 * selections that match nothing.
 */
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { ResolvedModel } from "../core/model.js";
import { checkRepo } from "../reconciler/check-repo.js";
import type { ProviderComparison } from "../renderers/pulumi/compare.js";
import { copyExample, lab, removeTemps } from "./cli-harness.js";

afterAll(removeTemps);

let repo: string;
let model: ResolvedModel;

beforeAll(async () => {
  repo = copyExample();
  const checked = await checkRepo(dirSource(repo));
  if (!checked.model) throw new Error("the example repo does not resolve");
  model = checked.model;
});

async function compare(...args: string[]): Promise<{ text: string; json: ProviderComparison }> {
  const text = await lab(["--repo", repo, "render", "--all-providers", ...args]);
  const json = await lab(["--repo", repo, "render", "--all-providers", "-o", "json", ...args]);
  expect([text.code, text.stderr, json.code, json.stderr]).toEqual([0, "", 0, ""]);
  return { text: text.stdout, json: JSON.parse(json.stdout) as ProviderComparison };
}

/** Cents of `$12.34`. */
function cents(money: string): number {
  return Math.round(Number(money.replace("$", "")) * 100);
}

/** Per column of the text table: the cost lines (count, each, amount) and the total, in cents. */
function printedCosts(text: string): { lines: [number, number, number][]; total: number | null }[] {
  const rows = text.split("\n").filter((l) => l.startsWith("│"));
  const start = rows.findIndex((l) => l.startsWith("│ Est. Cost"));
  const end = rows.findIndex((l, i) => i > start && /^│ total|│ +│ total/.test(l));
  const costRows = rows.slice(start, end + 1).map((l) => l.split("│").slice(2, -1));
  return [0, 1, 2, 3].map((col) => {
    const cells = costRows.map((r) => r[col]!.trim());
    const lines: [number, number, number][] = [];
    for (const c of cells) {
      const m = /^(\d+)× (\$[\d.]+) = (\$[\d.]+) \(/.exec(c);
      if (m) lines.push([Number(m[1]), cents(m[2]!), cents(m[3]!)]);
    }
    const total = cells.map((c) => /^total (\$[\d.]+)\/mo$/.exec(c)).find(Boolean);
    return { lines, total: total ? cents(total[1]!) : null };
  });
}

describe("lab render --all-providers", () => {
  it("gives identical JSON and text for the same servers, whichever flags selected them", async () => {
    const byLabel = await compare("--label", "mailserver");
    const byGroup = await compare("--group", "production-mail");
    const byLabelAndEnvironment = await compare("--environment", "prod", "--label", "mailserver");
    expect(byGroup).toEqual(byLabel);
    expect(byLabelAndEnvironment).toEqual(byLabel);
    expect(byLabel.json.servers).toEqual([
      { name: "mail-1", provider: "xcpng", size: "medium" },
      { name: "mail-2", provider: "aws", size: "medium" },
    ]);
    expect(byLabel.json.sizes).toEqual([
      { size: "medium", count: 2, servers: ["mail-1", "mail-2"] },
    ]);
    expect(byLabel.json.providers.aws.cost).toEqual({
      lines: [{ size: "medium", count: 2, monthlyEach: 60.74, monthly: 121.48, reason: null }],
      total: 121.48,
      reason: null,
    });
    expect(byLabel.text.split("\n")[0]).toBe("2 servers: mail-1, mail-2");
    expect(byLabel.text).toContain("│ 2× $60.74 = $121.48 (medium) │");
    expect(byLabel.text).toContain("│ total $121.48/mo             │");
    expect(readdirSync(repo)).not.toContain(".lab");
  });

  it("lists each size of a mixed selection with its shape and count, on every provider", async () => {
    const { text, json } = await compare("--label", "k8s-worker");
    expect(json.sizes.map((s) => [s.size, s.count])).toEqual([
      ["large", 3],
      ["medium", 1],
      ["small", 1],
      ["xlarge", 1],
    ]);
    expect(json.providers.aws.compute.map((l) => [l.count, l.shape])).toEqual([
      [3, { kind: "aws", instanceType: "m6i.2xlarge", volumeGb: 500 }],
      [1, { kind: "aws", instanceType: "t3.large", volumeGb: 100 }],
      [1, { kind: "aws", instanceType: "t3.medium", volumeGb: 40 }],
      [1, { kind: "aws", instanceType: "m6i.4xlarge", volumeGb: 2000 }],
    ]);
    for (const line of [
      "│ Compute   │ 3× m6i.2xlarge (large)          │ 3× 8c/32GB (large)              │ 3× IPMI boot ≥8c/32GB (large)   │ 3× ≥8c/32GB (large)             │",
      "│           │ 1× t3.large (medium)            │ 1× 4c/8GB (medium)              │ 1× IPMI boot ≥4c/8GB (medium)   │ 1× ≥4c/8GB (medium)             │",
      "│           │ 1× t3.medium (small)            │ 1× 2c/4GB (small)               │ 1× IPMI boot ≥2c/4GB (small)    │ 1× ≥2c/4GB (small)              │",
      "│           │ 1× m6i.4xlarge (xlarge)         │ 1× 16c/64GB (xlarge)            │ 1× IPMI boot ≥16c/64GB (xlarge) │ 1× ≥16c/64GB (xlarge)           │",
      "│ Est. Cost │ 3× $280.32 = $840.96 (large)    │ 3× — (large)                    │ 3× — (large)                    │ 3× — (large)                    │",
      "│           │ 1× $60.74 = $60.74 (medium)     │ 1× — (medium)                   │ 1× — (medium)                   │ 1× — (medium)                   │",
      "│           │ 1× $30.37 = $30.37 (small)      │ 1× — (small)                    │ 1× — (small)                    │ 1× — (small)                    │",
      "│           │ 1× $560.64 = $560.64 (xlarge)   │ 1× — (xlarge)                   │ 1× — (xlarge)                   │ 1× — (xlarge)                   │",
      "│           │ total $1492.71/mo               │ total —                         │ total —                         │ total —                         │",
    ]) {
      expect(text).toContain(line + "\n");
    }
  });

  it("totals equal the sum of the printed parts, for every label and group of the repo", async () => {
    const selections = [
      ...model.labels.filter((l) => l.servers.length).map((l) => ["--label", l.name]),
      ...model.groups.filter((g) => g.members.length).map((g) => ["--group", g.name]),
    ];
    expect(selections.length).toBeGreaterThan(15);
    let totalsChecked = 0;
    for (const args of selections) {
      const { text, json } = await compare(...args);
      const printed = printedCosts(text);
      ["aws", "xcpng", "baremetal", "ssh"].forEach((p, col) => {
        const cost = json.providers[p as keyof ProviderComparison["providers"]].cost;
        const { lines, total } = printed[col]!;
        for (const [count, each, amount] of lines) expect(amount).toBe(count * each);
        if (cost.total === null) {
          expect(total).toBeNull();
          return;
        }
        const jsonSum = cost.lines.reduce((s, l) => s + Math.round((l.monthly ?? NaN) * 100), 0);
        expect(Math.round(cost.total * 100)).toBe(jsonSum);
        expect(total).toBe(lines.reduce((s, [, , amount]) => s + amount, 0));
        expect(total).toBe(jsonSum);
        totalsChecked++;
      });
    }
    expect(totalsChecked).toBe(selections.length);
  });

  it("lists every class of the selection in the JSON and the text, none cut", async () => {
    const mail = await compare("--label", "mailserver");
    expect(mail.json.classes).toEqual([
      "postfix",
      "dovecot",
      "spamassassin",
      "fail2ban",
      "base::hardening",
      "base::monitoring",
      "base::ntp_eu",
    ]);
    for (const g of model.groups.filter((x) => x.members.length)) {
      const { text, json } = await compare("--group", g.name);
      const members = new Set(g.members.map((m) => m.name));
      const expected = new Set(
        model.servers
          .filter((s) => members.has(s.name))
          .flatMap((s) => s.classes.map((c) => c.name)),
      );
      expect(new Set(json.classes)).toEqual(expected);
      expect(json.classes.length).toBe(expected.size);
      for (const c of expected) expect(text).toContain(c);
      expect(text).not.toContain(",...");
    }
  });

  it("compares a label no server carries as one hypothetical server, and says so", async () => {
    const spare = copyExample();
    writeFileSync(
      join(spare, "labels", "spare.yaml"),
      "labels:\n  relay:\n    puppet_classes: [postfix, opendkim]\n    size: small\n",
    );
    const text = await lab(["--repo", spare, "render", "--label", "relay", "--all-providers"]);
    expect(text.code).toBe(0);
    expect(text.stdout.split("\n").slice(0, 2)).toEqual([
      'Hypothetical: no server carries label "relay"; compared as one hypothetical server with the label\'s',
      "  size (small) and classes",
    ]);
    expect(text.stdout).toContain("│ 1× $30.37 = $30.37 (small) │");
    const json = await lab([
      "--repo",
      spare,
      "render",
      "--label",
      "relay",
      "--all-providers",
      "-o",
      "json",
    ]);
    const c = JSON.parse(json.stdout) as ProviderComparison;
    expect(c.hypothetical).toEqual({
      label: "relay",
      reason:
        'no server carries label "relay"; compared as one hypothetical server with the label\'s size (small) and classes',
    });
    expect([c.servers, c.sizes, c.classes]).toEqual([
      [],
      [{ size: "small", count: 1, servers: [] }],
      ["postfix", "opendkim"],
    ]);
  });

  it("refuses a selection with no server (exit 1) and no selection at all (exit 2)", async () => {
    const none = await lab([
      "--repo",
      repo,
      "render",
      "--all-providers",
      "--label",
      "mailserver",
      "--environment",
      "dev",
    ]);
    expect([none.code, none.stdout]).toEqual([1, ""]);
    expect(none.stderr).toBe(
      "error: no server matches the selection (--label mailserver --environment dev): nothing to compare\n",
    );
    const all = await lab(["--repo", repo, "render", "--all-providers"]);
    expect(all.code).toBe(2);
    expect(all.stderr).toContain("--all-providers compares a selection");
    const typo = await lab(["--repo", repo, "render", "--all-providers", "--label", "mailservr"]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean "mailserver"');
  });
});
