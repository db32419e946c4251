/**
 * `prometheus/scrape.yaml`: a `scrape_configs:` list with one job per exporter the checks in use
 * read. File paths are relative to the scrape file, which is how Prometheus resolves them when
 * a prometheus.yml beside it holds these jobs (Prometheus 2.42 has no scrape_config_files).
 *
 * - `node`: every server's target file (`targets/*.json`, `<address>:9100`);
 * - a per-server exporter (`postgres`, `mysqld` …): the same target files, kept when the
 *   server's lab_alerts names one of the job's checks in use, the port rewritten;
 * - `blackbox`: the probe files (`probes/*.json`), sent to the blackbox exporter;
 * - `kube-state-metrics`, `lab`: static targets from lab.prometheus.
 */
import { canonicalYaml } from "../../core/canonical.js";
import { CHECKS, JOBS, type JobDef } from "../../core/check-catalog.js";
import { cmp } from "../../core/diagnostics.js";
import type { ResolvedModel } from "../../core/model.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { PROBES_DIR, SCRAPE_PATH, TARGETS_DIR } from "./paths.js";
import { ALERTS_LABEL, regexEscape } from "./promql.js";
import { prometheusSettings, type ScrapeSettings } from "./settings.js";

type Job = Record<string, unknown>;

const TARGET_FILES = [{ files: [`${TARGETS_DIR.slice("prometheus/".length)}/*.json`] }];
const PROBE_FILES = [{ files: [`${PROBES_DIR.slice("prometheus/".length)}/*.json`] }];

/** The scrape jobs the checks in use need, each with the checks that read it (sorted). */
export function jobsInUse(model: ResolvedModel): Map<string, string[]> {
  const jobs = new Map<string, string[]>();
  for (const check of model.checks) {
    const job = CHECKS.get(check.name)?.job;
    if (check.members.length === 0 || job === undefined) continue;
    jobs.set(job, [...(jobs.get(job) ?? []), check.name]);
  }
  if (model.servers.length > 0 && !jobs.has("node")) jobs.set("node", []);
  // The rules about lab itself read lab's own /metrics.
  if (model.settings.prometheus?.self_alerts === true && !jobs.has("lab")) jobs.set("lab", []);
  return new Map([...jobs].sort((a, b) => cmp(a[0], b[0])));
}

function serverJob(job: JobDef, checks: readonly string[], settings: ScrapeSettings): Job {
  const out: Job = { job_name: job.name, file_sd_configs: TARGET_FILES };
  if (job.name === "node") return out;
  out.relabel_configs = [
    {
      source_labels: [ALERTS_LABEL],
      regex: `.*,(${checks.map(regexEscape).join("|")}),.*`,
      action: "keep",
    },
    {
      source_labels: ["__address__"],
      regex: "(.+):[0-9]+",
      target_label: "__address__",
      replacement: "${1}:" + String(job.port),
    },
  ];
  if (job.scheme === "https") {
    out.scheme = "https";
    out.tls_config = { insecure_skip_verify: true };
    if (job.name === "kubelet" && settings.kubeletTokenFile !== null) {
      out.authorization = { credentials_file: settings.kubeletTokenFile };
    }
  }
  return out;
}

function probeJob(settings: ScrapeSettings): Job {
  return {
    job_name: "blackbox",
    metrics_path: "/probe",
    file_sd_configs: PROBE_FILES,
    relabel_configs: [
      { source_labels: ["__address__"], target_label: "__param_target" },
      { source_labels: ["__param_target"], target_label: "instance" },
      { target_label: "__address__", replacement: settings.blackboxExporter },
    ],
  };
}

function staticJob(name: string, targets: readonly string[], honorLabels: boolean): Job {
  return {
    job_name: name,
    ...(honorLabels ? { honor_labels: true } : {}),
    static_configs: [{ targets: [...targets] }],
  };
}

function jobConfig(job: JobDef, checks: readonly string[], settings: ScrapeSettings): Job {
  switch (job.scope) {
    case "server":
      return serverJob(job, checks, settings);
    case "probe":
      return probeJob(settings);
    case "cluster":
      return staticJob(job.name, settings.kubeStateMetrics, false);
    default:
      // lab's own /metrics labels each series with the server it is about (lab_server, lab_alerts).
      return staticJob(job.name, [settings.labMetrics], true);
  }
}

/** The scrape_configs document, jobs sorted by name. */
export function scrapeConfig(model: ResolvedModel): string {
  const settings = prometheusSettings(model.settings);
  const jobs: Job[] = [];
  for (const [name, checks] of jobsInUse(model)) {
    const job = JOBS.get(name);
    if (job) jobs.push(jobConfig(job, checks, settings));
  }
  return canonicalYaml({ scrape_configs: jobs }, { version: "1.1" });
}

export function renderScrapeConfig(model: ResolvedModel): Artifact {
  return makeArtifact(SCRAPE_PATH, scrapeConfig(model), []);
}
