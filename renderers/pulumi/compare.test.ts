import { beforeAll, describe, expect, it } from "vitest";
import { NotFoundError } from "../../core/errors.js";
import type { ResolvedModel } from "../../core/model.js";
import { PRICE_BASIS } from "../../core/prices.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { compareProviders, COMPARED_PROVIDERS } from "./compare.js";
import type { ProviderComparison } from "./compare.js";
import { REPO } from "./fixtures/compare-repo.js";

let model: ResolvedModel;
beforeAll(async () => {
  model = await modelFromYaml(REPO);
});

function compareServers(...servers: string[]): ProviderComparison {
  return compareProviders(model, { servers });
}

/** Per provider: the compute lines as `count size shape-or-reason`. */
function computeLines(c: ProviderComparison): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of COMPARED_PROVIDERS) {
    out[p] = c.providers[p].compute.map(
      (l) => `${l.count} ${l.size ?? "-"} ${l.shape ? JSON.stringify(l.shape) : `(${l.reason})`}`,
    );
  }
  return out;
}

describe("compareProviders", () => {
  it("compares servers of one size: shapes, classes, costs per provider, unknowns with reasons", () => {
    const noPrice = (p: string) => `no price for size "medium" on ${p}: add lab.prices.${p}.medium`;
    expect(compareServers("mail-2", "mail-1")).toEqual({
      hypothetical: null,
      servers: [
        { name: "mail-1", provider: "xcpng", size: "medium" },
        { name: "mail-2", provider: "aws", size: "medium" },
      ],
      sizes: [{ size: "medium", count: 2, servers: ["mail-1", "mail-2"] }],
      classes: ["postfix", "dovecot", "spamassassin", "fail2ban"],
      providers: {
        aws: {
          compute: [
            {
              size: "medium",
              count: 2,
              shape: { kind: "aws", instanceType: "t3.large", volumeGb: 100 },
              reason: null,
            },
          ],
          cost: {
            lines: [{ size: "medium", count: 2, monthlyEach: 70, monthly: 140, reason: null }],
            total: 140,
            reason: null,
          },
        },
        xcpng: {
          compute: [
            {
              size: "medium",
              count: 2,
              shape: { kind: "xcpng", cores: 4, memoryMb: 8192, diskGb: 100 },
              reason: null,
            },
          ],
          cost: {
            lines: [{ size: "medium", count: 2, monthlyEach: 19.6, monthly: 39.2, reason: null }],
            total: 39.2,
            reason: null,
          },
        },
        baremetal: {
          compute: [
            {
              size: "medium",
              count: 2,
              shape: { kind: "baremetal", minCores: 4, minMemoryMb: 8192, maasTag: "medium" },
              reason: null,
            },
          ],
          cost: {
            lines: [
              {
                size: "medium",
                count: 2,
                monthlyEach: null,
                monthly: null,
                reason: noPrice("baremetal"),
              },
            ],
            total: null,
            reason: "no price for 2 of 2 servers",
          },
        },
        ssh: {
          compute: [
            {
              size: "medium",
              count: 2,
              shape: { kind: "ssh", minCores: 4, minMemoryMb: 8192 },
              reason: null,
            },
          ],
          cost: {
            lines: [
              {
                size: "medium",
                count: 2,
                monthlyEach: null,
                monthly: null,
                reason: noPrice("ssh"),
              },
            ],
            total: null,
            reason: "no price for 2 of 2 servers",
          },
        },
      },
      costBasis: {
        currency: "USD",
        period: "month",
        prices: `lab.prices, then the built-in list (${PRICE_BASIS})`,
        rounding:
          "each price is rounded to the cent, a line is count × that price, and the total is the sum of the lines",
      },
    });
  });

  it("lists every size of a mixed selection, even two sizes of one instance type, no size last", () => {
    const c = compareServers("mail-3", "api-1", "ns-1", "mail-1", "mail-2");
    expect(c.sizes).toEqual([
      { size: "large", count: 1, servers: ["mail-3"] },
      { size: "medium", count: 2, servers: ["mail-1", "mail-2"] },
      { size: "medium-io", count: 1, servers: ["api-1"] },
      { size: null, count: 1, servers: ["ns-1"] },
    ]);
    const noSize = "(no size: neither the server nor its labels set one)";
    expect(computeLines(c)).toEqual({
      aws: [
        '1 large {"kind":"aws","instanceType":"m6i.2xlarge"}',
        '2 medium {"kind":"aws","instanceType":"t3.large","volumeGb":100}',
        '1 medium-io {"kind":"aws","instanceType":"t3.large","volumeGb":400}',
        `1 - ${noSize}`,
      ],
      xcpng: [
        '1 large {"kind":"xcpng","cores":8,"memoryMb":32768,"diskGb":500}',
        '2 medium {"kind":"xcpng","cores":4,"memoryMb":8192,"diskGb":100}',
        '1 medium-io (size "medium-io" has no xcpng mapping)',
        `1 - ${noSize}`,
      ],
      baremetal: [
        '1 large (size "large" has no baremetal mapping)',
        '2 medium {"kind":"baremetal","minCores":4,"minMemoryMb":8192,"maasTag":"medium"}',
        '1 medium-io (size "medium-io" has no baremetal mapping)',
        `1 - ${noSize}`,
      ],
      ssh: [
        '1 large {"kind":"ssh","minCores":8,"minMemoryMb":32768}',
        '2 medium {"kind":"ssh","minCores":4,"minMemoryMb":8192}',
        '1 medium-io (size "medium-io" has no ssh mapping)',
        `1 - ${noSize}`,
      ],
    });
    expect(c.providers.aws.cost.total).toBeNull();
    expect(c.providers.aws.cost.reason).toBe("no price for 1 of 5 servers");
  });

  it("totals exactly the sum of the lines: prices rounded to the cent, then count × price", () => {
    const c = compareServers(
      "api-1",
      "mail-1",
      "mail-2",
      "mail-3",
      "batch-1",
      "batch-2",
      "batch-3",
    );
    const aws = c.providers.aws.cost;
    expect(aws.lines.map((l) => [l.size, l.count, l.monthlyEach, l.monthly])).toEqual([
      ["large", 4, 280.32, 1121.28],
      ["medium", 2, 70, 140],
      ["medium-io", 1, 70, 70],
    ]);
    expect(aws.total).toBe(1331.28);
    const xcpng = c.providers.xcpng.cost;
    // 12.345 is priced 12.35: the line is 3× what is printed, not 3 × 12.345.
    expect(xcpng.lines.map((l) => [l.size, l.count, l.monthlyEach, l.monthly])).toEqual([
      ["large", 4, 12.35, 49.4],
      ["medium", 2, 19.6, 39.2],
      ["medium-io", 1, null, null],
    ]);
    expect(xcpng.total).toBeNull();
    const batch = compareServers("batch-1", "batch-2", "batch-3");
    expect(batch.providers.ssh.cost).toEqual({
      lines: [{ size: "large", count: 3, monthlyEach: 0.1, monthly: 0.3, reason: null }],
      total: 0.3,
      reason: null,
    });
    for (const p of COMPARED_PROVIDERS) {
      const { lines, total } = c.providers[p].cost;
      if (total === null) continue;
      const cents = lines.reduce((sum, l) => sum + Math.round((l.monthly ?? NaN) * 100), 0);
      expect(Math.round(total * 100)).toBe(cents);
      for (const l of lines) {
        expect(Math.round((l.monthly ?? NaN) * 100)).toBe(
          Math.round((l.monthlyEach ?? NaN) * 100) * l.count,
        );
      }
    }
  });

  it("keeps every class of the selection once, in server order, whatever order the names come in", () => {
    const a = compareServers("ns-1", "mail-3", "batch-1", "ns-1");
    const b = compareServers("batch-1", "ns-1", "mail-3");
    expect(a).toEqual(b);
    expect(a.classes).toEqual([
      "slurm::node",
      "fail2ban",
      "postfix",
      "dovecot",
      "spamassassin",
      "nginx",
      "app::deploy",
    ]);
    expect(a.servers.map((s) => s.name)).toEqual(["batch-1", "mail-3", "ns-1"]);
  });

  it("compares a label no server carries as one hypothetical server, and says so", () => {
    const c = compareProviders(model, { hypotheticalLabel: "standby" });
    expect(c.hypothetical).toEqual({
      label: "standby",
      reason:
        'no server carries label "standby"; compared as one hypothetical server with the label\'s size (large) and classes',
    });
    expect(c.servers).toEqual([]);
    expect(c.sizes).toEqual([{ size: "large", count: 1, servers: [] }]);
    expect(c.classes).toEqual(["keepalived", "haproxy"]);
    expect(c.providers.aws.cost.total).toBe(280.32);
    const bare = compareProviders(model, { hypotheticalLabel: "bare" });
    expect(bare.hypothetical?.reason).toBe(
      'no server carries label "bare"; compared as one hypothetical server with the label\'s classes (it sets no size)',
    );
    expect(bare.providers.xcpng.compute).toEqual([
      { size: null, count: 1, shape: null, reason: 'label "bare" sets no size' },
    ]);
  });

  it("throws NotFoundError with close matches for an unknown label or server", () => {
    expect(() => compareProviders(model, { hypotheticalLabel: "mailservr" })).toThrow(
      new NotFoundError("label", "mailservr", ["mailserver"]),
    );
    try {
      compareServers("mail-4");
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).suggestions).toEqual(["mail-1", "mail-2", "mail-3"]);
    }
  });
});
