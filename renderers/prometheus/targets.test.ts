import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../core/canonical.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { renderTargets, scrapeAddress, targetFile, targetLabels } from "./targets.js";

const REPO = `
labels:
  mailserver: { alerts: [smtp_connect] }
  prod: {}
groups:
  production: { match: { labels: [prod] } }
  eu: { match: { region: eu-west } }
sizes:
  medium: { abstract: { cores: 4, memory: 8GB }, providers: { xcpng: { cores: 4, memory: 8GB, disk: 50GB } } }
servers:
  mail-1: { provider: xcpng, labels: [prod, mailserver], environment: prod, region: eu-west, size: medium }
  bare: { provider: ssh, address: 10.0.0.7 }
alerts:
  - name: mail_queue_critical
    target: { labels: [mailserver] }
    condition: mail_queue_length > 1000
  - name: cpu_hot
    target: { servers: [bare] }
    condition: cpu > 1
`;

describe("scrapeAddress", () => {
  it("adds the node exporter port", () => {
    expect(scrapeAddress("mail-1.example.org")).toBe("mail-1.example.org:9100");
    expect(scrapeAddress("10.0.0.5", 25)).toBe("10.0.0.5:25");
  });
  it("brackets IPv6 literals", () => {
    expect(scrapeAddress("fd00::1")).toBe("[fd00::1]:9100");
    expect(scrapeAddress("[fd00::1]")).toBe("[fd00::1]:9100");
  });
});

describe("targetLabels", () => {
  it("carries identity, placement and membership, lists sorted and comma-wrapped", async () => {
    const model = await modelFromYaml(REPO);
    const mail = model.servers.find((s) => s.name === "mail-1")!;
    expect(targetLabels(mail)).toEqual({
      lab_server: "mail-1",
      lab_provider: "xcpng",
      lab_environment: "prod",
      lab_region: "eu-west",
      lab_size: "medium",
      lab_labels: ",mailserver,prod,",
      lab_groups: ",eu,production,",
      lab_alerts:
        ",cert_expiry,cpu_threshold,mail_queue_critical,memory_threshold,puppet_run_failed,smtp_connect,",
    });
  });
  it("leaves out what the server does not have", async () => {
    const model = await modelFromYaml(REPO);
    expect(targetLabels(model.servers.find((s) => s.name === "bare")!)).toEqual({
      lab_server: "bare",
      lab_provider: "ssh",
      lab_labels: ",",
      lab_groups: ",",
      lab_alerts: ",cert_expiry,cpu_hot,puppet_run_failed,",
    });
  });
});

describe("targetFile", () => {
  it("is a file_sd list with one target group at the node exporter", async () => {
    const model = await modelFromYaml(REPO);
    expect(targetFile(model.servers.find((s) => s.name === "bare")!)).toBe(
      [
        "[",
        "  {",
        '    "labels": {',
        '      "lab_alerts": ",cert_expiry,cpu_hot,puppet_run_failed,",',
        '      "lab_groups": ",",',
        '      "lab_labels": ",",',
        '      "lab_provider": "ssh",',
        '      "lab_server": "bare"',
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
  it("agrees byte for byte with canonicalJson", async () => {
    const model = await modelFromYaml(REPO);
    for (const s of model.servers) {
      expect(targetFile(s)).toBe(
        canonicalJson([{ targets: [scrapeAddress(s.address)], labels: targetLabels(s) }]),
      );
    }
  });
});

describe("renderTargets", () => {
  it("writes one file per server, citing the server, its labels and groups (not its alerts)", async () => {
    const model = await modelFromYaml(REPO);
    expect(renderTargets(model).map((a) => [a.path, a.sources.map((s) => s.line)])).toEqual([
      ["prometheus/targets/bare.json", [12]],
      ["prometheus/targets/mail-1.json", [3, 4, 6, 7, 11]],
    ]);
  });
});
