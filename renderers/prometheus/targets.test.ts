import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../core/canonical.js";
import { fixtureModel, server } from "../../test/promtool/fixture-model.js";
import { renderTargets, scrapeAddress, targetFile, targetLabels } from "./targets.js";

describe("scrapeAddress", () => {
  it("adds the node exporter port", () => {
    expect(scrapeAddress("mail-1.example.org")).toBe("mail-1.example.org:9100");
    expect(scrapeAddress("10.0.0.5")).toBe("10.0.0.5:9100");
  });
  it("brackets IPv6 literals", () => {
    expect(scrapeAddress("fd00::1")).toBe("[fd00::1]:9100");
    expect(scrapeAddress("[fd00::1]")).toBe("[fd00::1]:9100");
  });
});

describe("targetLabels", () => {
  it("carries identity, placement and membership, lists sorted and comma-wrapped", () => {
    const s = server({
      name: "mail-1",
      provider: "xcpng",
      labels: ["prod", "mailserver"],
      groups: ["production", "eu"],
      environment: "prod",
      region: "eu-west",
      size: "medium",
      checks: ["smtp_connect", "cpu_threshold"],
      alerts: ["mail_queue_critical"],
    });
    expect(targetLabels(s)).toEqual({
      lab_server: "mail-1",
      lab_provider: "xcpng",
      lab_environment: "prod",
      lab_region: "eu-west",
      lab_size: "medium",
      lab_labels: ",mailserver,prod,",
      lab_groups: ",eu,production,",
      lab_alerts: ",cpu_threshold,mail_queue_critical,smtp_connect,",
    });
  });
  it("leaves out what the server does not have", () => {
    expect(targetLabels(server({ name: "bare" }))).toEqual({
      lab_server: "bare",
      lab_provider: "ssh",
      lab_labels: ",",
      lab_groups: ",",
      lab_alerts: ",",
    });
  });
  it("lists a name once when it is both a check and a user alert", () => {
    const s = server({ name: "x", checks: ["cpu_threshold", "a"], alerts: ["cpu_threshold"] });
    expect(s.alerts.map((a) => `${a.name}/${a.kind}`)).toEqual([
      "a/check",
      "cpu_threshold/check",
      "cpu_threshold/user",
    ]);
    expect(targetLabels(s).lab_alerts).toBe(",a,cpu_threshold,");
  });
});

describe("targetFile", () => {
  it("is a file_sd list with one target group", () => {
    expect(targetFile(server({ name: "db-1", address: "10.0.0.7", region: "eu" }))).toBe(
      [
        "[",
        "  {",
        '    "labels": {',
        '      "lab_alerts": ",",',
        '      "lab_groups": ",",',
        '      "lab_labels": ",",',
        '      "lab_provider": "ssh",',
        '      "lab_region": "eu",',
        '      "lab_server": "db-1"',
        "    },",
        '    "targets": [',
        '      "10.0.0.7:9100"',
        "    ]",
        "  }",
        "]",
        "",
      ].join("\n"),
    );
  });
});

describe("targetFile and canonicalJson", () => {
  it("agree byte for byte", () => {
    const s = server({ name: "m", labels: ["b", "a"], region: "r", size: "s", checks: ["x", "w"] });
    expect(targetFile(s)).toBe(
      canonicalJson([{ targets: [scrapeAddress(s.address)], labels: targetLabels(s) }]),
    );
  });
});

describe("renderTargets", () => {
  it("writes one file per server, citing the server and its labels (not its alerts)", () => {
    const model = fixtureModel(
      [
        { name: "b", labels: ["web"], alerts: ["slow"], line: 7 },
        { name: "a", line: 2 },
      ],
      [{ name: "slow", condition: "latency > 1", file: "alerts.yaml", line: 4 }],
    );
    const artifacts = renderTargets(model);
    expect(artifacts.map((a) => [a.path, a.sources])).toEqual([
      ["prometheus/targets/a.json", [{ file: "servers.yaml", line: 2, col: 3 }]],
      [
        "prometheus/targets/b.json",
        [
          { file: "labels.yaml", line: 10, col: 3 },
          { file: "servers.yaml", line: 7, col: 3 },
        ],
      ],
    ]);
  });
});
