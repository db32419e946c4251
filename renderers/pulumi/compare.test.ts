import { describe, expect, it } from "vitest";
import { NotFoundError } from "../../core/errors.js";
import { abbreviateClasses, compareProviders, formatComparison } from "./compare.js";
import { sampleModel } from "./sample-model.js";

describe("compareProviders", () => {
  it("compares a label as one server carrying it (the vision's mailserver table)", () => {
    const comparison = compareProviders(sampleModel(), { label: "mailserver" });
    expect(comparison).toEqual({
      servers: [],
      rows: [
        {
          title: "Compute",
          cells: {
            aws: "t3.large",
            xcpng: "4c/8GB",
            baremetal: "IPMI boot ≥4c/8GB",
            ssh: "≥4c/8GB",
          },
        },
        {
          title: "Puppet",
          cells: {
            aws: "postfix,...",
            xcpng: "postfix,...",
            baremetal: "postfix,...",
            ssh: "postfix,...",
          },
        },
        { title: "Est. Cost", cells: { aws: "~$61/mo", xcpng: "—", baremetal: "—", ssh: "—" } },
      ],
    });
    expect(formatComparison(comparison)).toBe(
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

  it("takes the repo's lab.prices over the built-in list, and prices other providers by size", () => {
    const model = sampleModel({
      aws: { "t3.large": 70 },
      xcpng: { medium: 19.6 },
      ssh: { medium: 0 },
    });
    const cost = compareProviders(model, { label: "mailserver" }).rows[2];
    expect(cost?.cells).toEqual({
      aws: "~$70/mo",
      xcpng: "~$20/mo",
      baremetal: "—",
      ssh: "~$0/mo",
    });
  });

  it("compares servers with their own sizes, totals the cost and de-duplicates names", () => {
    const comparison = compareProviders(sampleModel(), { servers: ["mail-2", "api-1", "mail-2"] });
    expect(comparison.servers).toEqual(["api-1", "mail-2"]);
    expect(comparison.rows).toEqual([
      {
        title: "Compute",
        cells: {
          aws: "t3.nano, t3.large",
          xcpng: "—, 4c/8GB",
          baremetal: "—, IPMI boot ≥4c/8GB",
          ssh: "—, ≥4c/8GB",
        },
      },
      {
        title: "Puppet",
        cells: { aws: "nginx,...", xcpng: "nginx,...", baremetal: "nginx,...", ssh: "nginx,..." },
      },
      {
        title: "Est. Cost",
        cells: { aws: "~$65/mo (2 servers)", xcpng: "—", baremetal: "—", ssh: "—" },
      },
    ]);
  });

  it("shows — for a server with no size and for an empty selection", () => {
    const none = compareProviders(sampleModel(), { servers: [] });
    const lost = compareProviders(sampleModel(), { servers: ["lost-1"] });
    for (const c of [none, lost]) {
      for (const row of c.rows) {
        expect(row.cells).toEqual({ aws: "—", xcpng: "—", baremetal: "—", ssh: "—" });
      }
    }
  });

  it("throws NotFoundError with close matches for an unknown label or server", () => {
    expect(() => compareProviders(sampleModel(), { label: "mailservr" })).toThrow(
      new NotFoundError("label", "mailservr", ["mailserver"]),
    );
    try {
      compareProviders(sampleModel(), { servers: ["mail-3"] });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(NotFoundError);
      expect((err as NotFoundError).suggestions).toEqual(["mail-1", "mail-2"]);
    }
  });
});

describe("abbreviateClasses", () => {
  it("keeps one class, abbreviates several, and marks none", () => {
    expect(abbreviateClasses(["postfix"])).toBe("postfix");
    expect(abbreviateClasses(["postfix", "dovecot"])).toBe("postfix,...");
    expect(abbreviateClasses([])).toBe("—");
  });
});
