/**
 * The all-providers comparison on examples/infra-repo, as `lab render --label mailserver
 * --all-providers` prints it.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { ResolvedModel } from "../core/model.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { compareProviders, formatComparison } from "../renderers/pulumi/compare.js";

const example = join(fileURLToPath(new URL("..", import.meta.url)), "examples/infra-repo");
let model: ResolvedModel;

beforeAll(async () => {
  const checked = await checkRepo(dirSource(example));
  if (!checked.model) throw new Error("the example repo does not resolve");
  model = checked.model;
});

describe("compareProviders on the example repo", () => {
  it("prints the mailserver table of the vision", () => {
    expect(formatComparison(compareProviders(model, { label: "mailserver" }))).toBe(
      [
        "┌───────────┬─────────────┬─────────────┬───────────────────┬─────────────┐",
        "│           │ AWS         │ XCP-ng      │ Bare Metal        │ SSH         │",
        "├───────────┼─────────────┼─────────────┼───────────────────┼─────────────┤",
        "│ Compute   │ t3.large    │ 4c/8GB      │ IPMI boot ≥4c/8GB │ ≥4c/8GB     │",
        "│ Puppet    │ postfix,... │ postfix,... │ postfix,...       │ postfix,... │",
        "│ Est. Cost │ ~$61/mo     │ —           │ —                 │ —           │",
        "└───────────┴─────────────┴─────────────┴───────────────────┴─────────────┘",
        "",
      ].join("\n"),
    );
  });

  it("compares the servers carrying a label, each with its own size", () => {
    const servers = model.labels.find((l) => l.name === "storage-node")?.servers ?? [];
    const comparison = compareProviders(model, { servers });
    expect(comparison.servers).toEqual(["exp-storage-1", "storage-1", "storage-2"]);
    expect(
      comparison.rows.map((r) => [r.title, r.cells.aws, r.cells.xcpng, r.cells.baremetal]),
    ).toEqual([
      [
        "Compute",
        "m6i.2xlarge, m6i.4xlarge",
        "8c/32GB, 16c/64GB",
        "IPMI boot ≥8c/32GB, IPMI boot ≥16c/64GB",
      ],
      ["Puppet", "ceph::osd,...", "ceph::osd,...", "ceph::osd,..."],
      ["Est. Cost", "~$1402/mo (3 servers)", "—", "—"],
    ]);
  });
});
