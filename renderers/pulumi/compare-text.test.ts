import { beforeAll, describe, expect, it } from "vitest";
import type { ResolvedModel } from "../../core/model.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { compareProviders } from "./compare.js";
import { formatComparison, wrapWords } from "./compare-text.js";
import { REPO } from "./fixtures/compare-repo.js";

let model: ResolvedModel;
beforeAll(async () => {
  model = await modelFromYaml(REPO);
});

const BASIS = [
  "Costs: lab.prices, then the built-in list (AWS EC2 on-demand, Linux, us-east-1, USD per month",
  "(hourly price x 730 hours), without storage or traffic); each price is rounded to the cent, a line",
  "is count × that price, and the total is the sum of the lines.",
];

describe("formatComparison", () => {
  it("prints one line per size in every cell, every class, a total, and why values are unknown", () => {
    const c = compareProviders(model, { servers: ["mail-1", "mail-2", "mail-3", "ns-1"] });
    expect(formatComparison(c)).toBe(
      [
        "4 servers: mail-1, mail-2, mail-3, ns-1",
        "┌───────────┬──────────────────────────────┬─────────────────────────────┬───────────────────────────────┬──────────────────────────┐",
        "│           │ AWS                          │ XCP-ng                      │ Bare Metal                    │ SSH                      │",
        "├───────────┼──────────────────────────────┼─────────────────────────────┼───────────────────────────────┼──────────────────────────┤",
        "│ Compute   │ 1× m6i.2xlarge (large)       │ 1× 8c/32GB (large)          │ 1× — (large)                  │ 1× ≥8c/32GB (large)      │",
        "│           │ 2× t3.large (medium)         │ 2× 4c/8GB (medium)          │ 2× IPMI boot ≥4c/8GB (medium) │ 2× ≥4c/8GB (medium)      │",
        "│           │ 1× — (no size)               │ 1× — (no size)              │ 1× — (no size)                │ 1× — (no size)           │",
        "├───────────┼──────────────────────────────┼─────────────────────────────┼───────────────────────────────┼──────────────────────────┤",
        "│ Puppet    │ postfix, dovecot,            │ postfix, dovecot,           │ postfix, dovecot,             │ postfix, dovecot,        │",
        "│           │ spamassassin, fail2ban,      │ spamassassin, fail2ban,     │ spamassassin, fail2ban,       │ spamassassin, fail2ban,  │",
        "│           │ nginx, app::deploy           │ nginx, app::deploy          │ nginx, app::deploy            │ nginx, app::deploy       │",
        "├───────────┼──────────────────────────────┼─────────────────────────────┼───────────────────────────────┼──────────────────────────┤",
        "│ Est. Cost │ 1× $280.32 = $280.32 (large) │ 1× $12.35 = $12.35 (large)  │ 1× — (large)                  │ 1× $0.10 = $0.10 (large) │",
        "│           │ 2× $70.00 = $140.00 (medium) │ 2× $19.60 = $39.20 (medium) │ 2× — (medium)                 │ 2× — (medium)            │",
        "│           │ 1× — (no size)               │ 1× — (no size)              │ 1× — (no size)                │ 1× — (no size)           │",
        "│           │ total —                      │ total —                     │ total —                       │ total —                  │",
        "└───────────┴──────────────────────────────┴─────────────────────────────┴───────────────────────────────┴──────────────────────────┘",
        "— AWS, XCP-ng, Bare Metal, SSH: no size: neither the server nor its labels set one",
        '— Bare Metal: size "large" has no baremetal mapping',
        '— Bare Metal: no price for size "medium" on baremetal: add lab.prices.baremetal.medium',
        '— SSH: no price for size "medium" on ssh: add lab.prices.ssh.medium',
        ...BASIS,
        "",
      ].join("\n"),
    );
  });

  it("says when it compares a hypothetical server, and prints a total that is the sum of the lines", () => {
    const c = compareProviders(model, { hypotheticalLabel: "standby" });
    const text = formatComparison(c);
    expect(text.split("\n").slice(0, 2)).toEqual([
      'Hypothetical: no server carries label "standby"; compared as one hypothetical server with the',
      "  label's size (large) and classes",
    ]);
    expect(text).toContain(
      "│ Est. Cost │ 1× $280.32 = $280.32 (large) │ 1× $12.35 = $12.35 (large) │ 1× — (large)        │ 1× $0.10 = $0.10 (large) │\n" +
        "│           │ total $280.32/mo             │ total $12.35/mo            │ total —             │ total $0.10/mo           │\n",
    );
    const batch = formatComparison(
      compareProviders(model, { servers: ["batch-1", "batch-2", "batch-3", "mail-3"] }),
    );
    expect(batch).toContain("│ 4× $280.32 = $1121.28 (large) │");
    expect(batch).toContain("│ total $1121.28/mo             │");
    expect(batch).toContain("│ 4× $0.10 = $0.40 (large) │");
  });

  it("wraps a long class list over lines of the table's width and drops none", async () => {
    const many = Array.from({ length: 30 }, (_, i) => `profile::part_${i}`);
    const labels = `labels:\n  big: { puppet_classes: [${many.join(", ")}] }\n`;
    const servers = "servers:\n  box: { provider: ssh, labels: [big], address: 10.0.0.9 }\n";
    const m = await modelFromYaml({ "labels.yaml": labels, "servers.yaml": servers });
    const c = compareProviders(m, { servers: ["box"] });
    expect(c.classes).toEqual(many);
    const puppet = formatComparison(c)
      .split("\n")
      .filter((l) => l.startsWith("│ Puppet") || l.startsWith("│           │ profile"))
      .map((l) => l.split("│")[2]!.trim());
    expect(puppet.length).toBeGreaterThan(10);
    expect(puppet.join(" ").split(/,? /)).toEqual(many);
    expect(Math.max(...puppet.map((l) => l.length))).toBeLessThanOrEqual(24);
  });
});

describe("wrapWords", () => {
  it("breaks at spaces, never inside a word, and indents the lines after the first", () => {
    expect(wrapWords("a, bb, ccc, dddd", 7)).toEqual(["a, bb,", "ccc,", "dddd"]);
    expect(wrapWords("averyveryverylongword x", 5, "  ")).toEqual(["averyveryverylongword", "  x"]);
    expect(wrapWords("", 10)).toEqual([]);
  });
});
