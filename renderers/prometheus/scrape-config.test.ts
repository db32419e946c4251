import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { modelFromYaml } from "../../test/yaml-model.js";
import { jobsInUse, scrapeConfig } from "./scrape-config.js";

const REPO = `
lab:
  prometheus:
    blackbox_exporter: "bb.example.org:9115"
    kube_state_metrics: ["ksm-b:8080", "ksm-a:8080"]
    kubelet_token_file: /etc/prometheus/kubelet.token
labels:
  db: { puppet_classes: [postgresql::server], ports: [5432] }
  k8s: { alerts: [kubelet_healthy, node_ready] }
servers:
  db-1: { provider: ssh, labels: [db] }
  k-1: { provider: ssh, labels: [k8s] }
`;

interface Job {
  job_name: string;
  [key: string]: unknown;
}

async function jobs(yaml: string): Promise<Job[]> {
  const doc = parse(scrapeConfig(await modelFromYaml(yaml))) as { scrape_configs: Job[] };
  return doc.scrape_configs;
}

describe("jobsInUse", () => {
  it("lists the jobs the checks in use read, with those checks", async () => {
    expect([...jobsInUse(await modelFromYaml(REPO))]).toEqual([
      ["blackbox", ["postgres_connect"]],
      ["kube-state-metrics", ["node_ready"]],
      ["kubelet", ["kubelet_healthy"]],
      ["lab", ["cert_expiry", "puppet_run_failed"]],
      ["node", []],
      ["postgres", ["postgres_connections", "postgres_replication_lag"]],
    ]);
  });
});

describe("scrapeConfig", () => {
  it("scrapes a per-server exporter on the servers whose lab_alerts name one of its checks", async () => {
    const postgres = (await jobs(REPO)).find((j) => j.job_name === "postgres");
    expect(postgres).toEqual({
      job_name: "postgres",
      file_sd_configs: [{ files: ["targets/*.json"] }],
      relabel_configs: [
        {
          source_labels: ["lab_alerts"],
          regex: ".*,(postgres_connections|postgres_replication_lag),.*",
          action: "keep",
        },
        {
          source_labels: ["__address__"],
          regex: "(.+):[0-9]+",
          target_label: "__address__",
          replacement: "${1}:9187",
        },
      ],
    });
  });

  it("sends the probe files to the blackbox exporter the repo names", async () => {
    const blackbox = (await jobs(REPO)).find((j) => j.job_name === "blackbox");
    expect(blackbox).toEqual({
      job_name: "blackbox",
      metrics_path: "/probe",
      file_sd_configs: [{ files: ["probes/*.json"] }],
      relabel_configs: [
        { source_labels: ["__address__"], target_label: "__param_target" },
        { source_labels: ["__param_target"], target_label: "instance" },
        { target_label: "__address__", replacement: "bb.example.org:9115" },
      ],
    });
  });

  it("scrapes the kubelets over https with the token file, kube-state-metrics and lab statically", async () => {
    const all = await jobs(REPO);
    const kubelet = all.find((j) => j.job_name === "kubelet")!;
    expect([kubelet.scheme, kubelet.tls_config, kubelet.authorization]).toEqual([
      "https",
      { insecure_skip_verify: true },
      { credentials_file: "/etc/prometheus/kubelet.token" },
    ]);
    expect(all.find((j) => j.job_name === "kube-state-metrics")).toEqual({
      job_name: "kube-state-metrics",
      static_configs: [{ targets: ["ksm-a:8080", "ksm-b:8080"] }],
    });
    expect(all.find((j) => j.job_name === "lab")).toEqual({
      job_name: "lab",
      honor_labels: true,
      static_configs: [{ targets: ["127.0.0.1:9274"] }],
    });
  });

  it("defaults the blackbox exporter to 127.0.0.1:9115 and renders only the jobs in use", async () => {
    const all = await jobs(
      "labels:\n  web: { ports: [80] }\nservers:\n  w: { provider: ssh, labels: [web] }\n",
    );
    expect(all.map((j) => j.job_name)).toEqual(["blackbox", "lab", "node"]);
    expect(JSON.stringify(all[0])).toContain('"replacement":"127.0.0.1:9115"');
  });
});
