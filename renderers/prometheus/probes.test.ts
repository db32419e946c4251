import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../core/canonical.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { targetLabels } from "./targets.js";
import { modelProbes, probeFile, renderProbes } from "./probes.js";

const REPO = `
labels:
  mail: { ports: [25, 587, 993] }
  web: { ports: [8443], alerts: [https_check, ssh_check] }
  imap-plain: { alerts: [imap_connect] }
  none: {}
servers:
  mail-1: { provider: ssh, labels: [mail] }
  web-1: { provider: ssh, labels: [web], address: "fd00::5" }
  imap-1: { provider: ssh, labels: [imap-plain] }
  quiet: { provider: ssh, labels: [none] }
`;

async function probesOf(server: string) {
  const model = await modelFromYaml(REPO);
  return (modelProbes(model).get(server) ?? []).map(
    (p) => `${p.check} ${p.protocol}:${p.port} ${p.module} ${p.target}`,
  );
}

describe("modelProbes", () => {
  it("probes every declared port whose check probes, one each", async () => {
    expect(await probesOf("mail-1")).toEqual([
      "smtp_connect smtp:25 lab_smtp mail-1:25",
      "smtp_connect smtp:587 lab_smtp mail-1:587",
      "imap_connect imap:993 lab_imap_tls mail-1:993",
    ]);
  });
  it("probes a check declared by name on its default port, a port without one generically", async () => {
    expect(await probesOf("web-1")).toEqual([
      "ssh_check ssh:22 lab_ssh [fd00::5]:22",
      "https_check https:443 lab_https https://[fd00::5]:443",
      "tcp_port tcp:8443 lab_tcp [fd00::5]:8443",
    ]);
    expect(await probesOf("imap-1")).toEqual(["imap_connect imap:143 lab_imap imap-1:143"]);
  });
  it("gives nothing to a server without probed ports or checks", async () => {
    expect(await probesOf("quiet")).toEqual([]);
  });
});

describe("renderProbes", () => {
  it("writes a probe file only for servers with probes, each group carrying probe and port", async () => {
    const model = await modelFromYaml(REPO);
    const files = renderProbes(model);
    expect(files.map((f) => f.path)).toEqual([
      "prometheus/probes/imap-1.json",
      "prometheus/probes/mail-1.json",
      "prometheus/probes/web-1.json",
    ]);
    const imap = model.servers.find((s) => s.name === "imap-1")!;
    expect(JSON.parse(probeFile(imap, modelProbes(model).get("imap-1")!))).toEqual([
      {
        labels: {
          __param_module: "lab_imap",
          lab_alerts: ",cert_expiry,imap_connect,puppet_run_failed,",
          lab_groups: ",",
          lab_labels: ",imap-plain,",
          lab_provider: "ssh",
          lab_server: "imap-1",
          port: "143",
          probe: "imap",
        },
        targets: ["imap-1:143"],
      },
    ]);
  });
});

describe("probeFile and canonicalJson", () => {
  it("agree byte for byte", async () => {
    const model = await modelFromYaml(REPO);
    for (const server of model.servers) {
      const probes = modelProbes(model).get(server.name);
      if (!probes) continue;
      const groups = probes.map((p) => ({
        labels: {
          ...targetLabels(server),
          __param_module: p.module,
          port: String(p.port),
          probe: p.protocol,
        },
        targets: [p.target],
      }));
      expect(probeFile(server, probes)).toBe(canonicalJson(groups));
    }
  });
});
