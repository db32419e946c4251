import { describe, expect, it } from "vitest";
import { fromJson, fromSuffix, groupByFrom, provenanceSection, whyPhrase } from "./provenance.js";

describe("provenance words", () => {
  it("phrases sources as the reverse query prints them", () => {
    expect(fromSuffix([{ kind: "label", name: "postgres" }])).toBe("(from label: postgres)");
    expect(fromSuffix([{ kind: "auto", name: "identity" }])).toBe("(auto-generated from identity)");
    expect(
      fromSuffix([
        { kind: "label", name: "mailserver", via: "class postfix" },
        { kind: "group", name: "production" },
      ]),
    ).toBe("(from label: mailserver via class postfix; from group: production)");
    expect(fromSuffix([])).toBe("");
  });

  it("names exclusion reasons", () => {
    expect(whyPhrase([{ by: "servers", value: "worker-5" }])).toBe("explicitly excluded");
    expect(whyPhrase([{ by: "servers", value: "t" }], "by name")).toBe("by name");
    expect(
      whyPhrase([
        { by: "labels", value: "experimental" },
        { by: "groups", value: "legacy" },
      ]),
    ).toBe("by label experimental, by group legacy");
  });

  it("drops an absent via from JSON", () => {
    expect(fromJson({ kind: "group", name: "g" })).toEqual({ kind: "group", name: "g" });
    expect(fromJson({ kind: "label", name: "l", via: "class c" })).toEqual({
      kind: "label",
      name: "l",
      via: "class c",
    });
  });
});

describe("groupByFrom", () => {
  it("orders headers by label order, then groups, environment, auto last; notes extra sources", () => {
    const nodes = groupByFrom(
      [
        { text: "cert_expiry", from: [{ kind: "auto", name: "identity" }] },
        { text: "high_cpu", from: [{ kind: "environment", name: "prod" }] },
        { text: "disk_space_low", from: [{ kind: "group", name: "production" }] },
        { text: "node_ready", from: [{ kind: "label", name: "k8s-worker" }] },
        {
          text: "base_ok",
          from: [
            { kind: "label", name: "production" },
            { kind: "label", name: "k8s-worker" },
          ],
        },
      ],
      ["k8s-worker", "production"],
    );
    expect(nodes).toEqual([
      { text: "FROM LABEL k8s-worker:", children: [{ text: "node_ready" }] },
      {
        text: "FROM LABEL production:",
        children: [{ text: "base_ok (also from label: k8s-worker)" }],
      },
      { text: "FROM GROUP production:", children: [{ text: "disk_space_low" }] },
      { text: "FROM ENVIRONMENT prod:", children: [{ text: "high_cpu" }] },
      { text: "AUTO-GENERATED:", children: [{ text: "cert_expiry (from identity)" }] },
    ]);
  });

  it("prints a section with its count, or none", () => {
    expect(
      provenanceSection(
        "Secrets",
        [
          { text: "k8s/join-token (read)", from: [{ kind: "label", name: "k8s-worker" }] },
          {
            text: "mail/relay (read)",
            from: [{ kind: "label", name: "k8s-worker", via: "class postfix" }],
          },
        ],
        ["k8s-worker"],
      ),
    ).toEqual([
      "Secrets (2):",
      "  FROM LABEL k8s-worker:",
      "  ├── k8s/join-token (read)",
      "  └── mail/relay (read) (via class postfix)",
    ]);
    expect(provenanceSection("Secrets", [], [])).toEqual(["Secrets: none"]);
  });
});
