/**
 * The all-providers comparison on examples/infra-repo, as `lab render --label mailserver
 * --all-providers` prints it: the label's servers (mail-1 on xcpng, mail-2 on aws), each size
 * with its count, every class, the cost per size and a total that is their sum.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { ResolvedModel } from "../core/model.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { compareProviders } from "../renderers/pulumi/compare.js";
import { formatComparison } from "../renderers/pulumi/compare-text.js";

const example = join(fileURLToPath(new URL("..", import.meta.url)), "examples/infra-repo");
let model: ResolvedModel;

beforeAll(async () => {
  const checked = await checkRepo(dirSource(example));
  if (!checked.model) throw new Error("the example repo does not resolve");
  model = checked.model;
});

function serversOf(label: string): string[] {
  return [...(model.labels.find((l) => l.name === label)?.servers ?? [])];
}

describe("compareProviders on the example repo", () => {
  it("prints the mailserver servers side by side on every provider", () => {
    const comparison = compareProviders(model, { servers: serversOf("mailserver") });
    expect(formatComparison(comparison)).toBe(
      [
        "2 servers: mail-1, mail-2",
        "┌───────────┬──────────────────────────────┬─────────────────────────┬───────────────────────────────┬─────────────────────────┐",
        "│           │ AWS                          │ XCP-ng                  │ Bare Metal                    │ SSH                     │",
        "├───────────┼──────────────────────────────┼─────────────────────────┼───────────────────────────────┼─────────────────────────┤",
        "│ Compute   │ 2× t3.large (medium)         │ 2× 4c/8GB (medium)      │ 2× IPMI boot ≥4c/8GB (medium) │ 2× ≥4c/8GB (medium)     │",
        "├───────────┼──────────────────────────────┼─────────────────────────┼───────────────────────────────┼─────────────────────────┤",
        "│ Puppet    │ postfix, dovecot,            │ postfix, dovecot,       │ postfix, dovecot,             │ postfix, dovecot,       │",
        "│           │ spamassassin, fail2ban,      │ spamassassin, fail2ban, │ spamassassin, fail2ban,       │ spamassassin, fail2ban, │",
        "│           │ base::hardening,             │ base::hardening,        │ base::hardening,              │ base::hardening,        │",
        "│           │ base::monitoring,            │ base::monitoring,       │ base::monitoring,             │ base::monitoring,       │",
        "│           │ base::ntp_eu                 │ base::ntp_eu            │ base::ntp_eu                  │ base::ntp_eu            │",
        "├───────────┼──────────────────────────────┼─────────────────────────┼───────────────────────────────┼─────────────────────────┤",
        "│ Est. Cost │ 2× $60.74 = $121.48 (medium) │ 2× — (medium)           │ 2× — (medium)                 │ 2× — (medium)           │",
        "│           │ total $121.48/mo             │ total —                 │ total —                       │ total —                 │",
        "└───────────┴──────────────────────────────┴─────────────────────────┴───────────────────────────────┴─────────────────────────┘",
        '— XCP-ng: no price for size "medium" on xcpng: add lab.prices.xcpng.medium',
        '— Bare Metal: no price for size "medium" on baremetal: add lab.prices.baremetal.medium',
        '— SSH: no price for size "medium" on ssh: add lab.prices.ssh.medium',
        "Costs: lab.prices, then the built-in list (AWS EC2 on-demand, Linux, us-east-1, USD per month",
        "(hourly price x 730 hours), without storage or traffic); each price is rounded to the cent, a line",
        "is count × that price, and the total is the sum of the lines.",
        "",
      ].join("\n"),
    );
  });

  it("compares the servers carrying a label, each size with its count and cost", () => {
    const comparison = compareProviders(model, { servers: serversOf("storage-node") });
    expect(comparison.sizes).toEqual([
      { size: "large", count: 1, servers: ["exp-storage-1"] },
      { size: "xlarge", count: 2, servers: ["storage-1", "storage-2"] },
    ]);
    expect(comparison.providers.aws.cost).toEqual({
      lines: [
        { size: "large", count: 1, monthlyEach: 280.32, monthly: 280.32, reason: null },
        { size: "xlarge", count: 2, monthlyEach: 560.64, monthly: 1121.28, reason: null },
      ],
      total: 1401.6,
      reason: null,
    });
    expect(comparison.providers.xcpng.cost.total).toBeNull();
    expect(comparison.providers.xcpng.cost.reason).toBe("no price for 3 of 3 servers");
  });
});
