/**
 * End to end with a real Prometheus: the rendered rules and file_sd targets of
 * test/promtool/e2e-repo are loaded by `prometheus` on loopback; one HTTP exporter serves every
 * server's metrics at /metrics/<server> (the scrape config rewrites __address__ to it and the
 * path from lab_server) and breaches every alert for every server. Alerts must fire exactly for
 * the servers that are targeted, and not for the excluded or untargeted ones.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hasErrors } from "../core/diagnostics.js";
import type { Artifact } from "../core/renderer.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import { resolveDir } from "./promtool/resolve-dir.js";
import { writeArtifacts } from "./promtool/run-tool.js";

const REPO = fileURLToPath(new URL("./promtool/e2e-repo/", import.meta.url));
const DEADLINE_MS = 30_000;
const METRICS = "queue_length 500\nerrors_total 10\npuppet_report_failed 1\n";

let dir = "";
let artifacts: Artifact[] = [];
let exporter: Server | null = null;
let prometheus: ChildProcess | null = null;
let prometheusLog = "";
let base = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function startExporter(): Promise<number> {
  exporter = createHttpServer((req, res) => {
    const ok = /^\/metrics\/[A-Za-z0-9.-]+$/.test(req.url ?? "");
    res.writeHead(ok ? 200 : 404, { "content-type": "text/plain; version=0.0.4" });
    res.end(ok ? METRICS : "not found\n");
  });
  exporter.listen(0, "127.0.0.1");
  await once(exporter, "listening");
  return (exporter.address() as AddressInfo).port;
}

function prometheusConfig(exporterPort: number): string {
  const config = {
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    rule_files: [
      join(dir, "prometheus/rules/checks/*.yaml"),
      join(dir, "prometheus/rules/alerts/*.yaml"),
    ],
    scrape_configs: [
      {
        job_name: "lab",
        file_sd_configs: [
          { files: [join(dir, "prometheus/targets/*.json")], refresh_interval: "1s" },
        ],
        relabel_configs: [
          { source_labels: ["__address__"], target_label: "instance" },
          {
            source_labels: ["lab_server"],
            target_label: "__metrics_path__",
            replacement: "/metrics/$1",
          },
          { target_label: "__address__", replacement: `127.0.0.1:${exporterPort}` },
        ],
      },
    ],
  };
  return JSON.stringify(config, null, 2) + "\n";
}

async function getJson<T>(path: string): Promise<T | null> {
  try {
    const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? ((await res.json()) as T) : null;
  } catch {
    return null;
  }
}

/** Polls `probe` every 250 ms until it returns a value, or fails at the deadline. */
async function waitFor<T>(what: string, probe: () => Promise<T | null>): Promise<T> {
  const end = Date.now() + DEADLINE_MS;
  while (Date.now() < end) {
    if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${prometheusLog}`);
    const value = await probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; prometheus log:\n${prometheusLog}`);
}

interface AlertsResponse {
  data: { alerts: { labels: Record<string, string>; state: string }[] };
}

async function firing(): Promise<string[]> {
  const body = await getJson<AlertsResponse>("/api/v1/alerts");
  return (body?.data.alerts ?? [])
    .filter((a) => a.state === "firing")
    .map((a) => `${a.labels.alertname} ${a.labels.lab_server}`)
    .sort();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lab-prom-e2e-"));
  const { model, diagnostics } = await resolveDir(REPO);
  expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
  const rendered = prometheusRenderer.render(model);
  expect(rendered.diagnostics).toEqual([]);
  artifacts = rendered.value;
  await writeArtifacts(dir, artifacts);
  await writeFile(join(dir, "prometheus.yml"), prometheusConfig(await startExporter()));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  prometheus = spawn(
    "prometheus",
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stdout?.on("data", (d: Buffer) => (prometheusLog += d.toString()));
  prometheus.stderr?.on("data", (d: Buffer) => (prometheusLog += d.toString()));
  await waitFor("/-/ready", async () =>
    (await fetch(`${base}/-/ready`).catch(() => null))?.ok ? true : null,
  );
});

afterAll(async () => {
  const proc = prometheus;
  if (proc && proc.exitCode === null && proc.signalCode === null) {
    const exited = once(proc, "exit");
    proc.kill("SIGTERM");
    const timer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  if (exporter) await new Promise((r) => exporter!.close(r));
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a real Prometheus with the rendered rules and targets", () => {
  it("loads every rendered rule file", async () => {
    const body = await waitFor("rules", async () => {
      const r = await getJson<{ data: { groups: { name: string }[] } }>("/api/v1/rules");
      return r && r.data.groups.length > 0 ? r : null;
    });
    const ruleFiles = artifacts.filter((a) => a.path.startsWith("prometheus/rules/"));
    expect(body.data.groups.map((g) => g.name).sort()).toEqual([
      "lab:alerts:alerts",
      "lab:checks:cert_expiry",
      "lab:checks:puppet_run_failed",
    ]);
    expect(ruleFiles).toHaveLength(3);
  });

  it("scrapes every server through its file_sd target", async () => {
    const servers = await waitFor("four scraped servers", async () => {
      const r = await getJson<{ data: { result: { metric: Record<string, string> }[] } }>(
        "/api/v1/query?query=queue_length",
      );
      return r && r.data.result.length === 4 ? r.data.result.map((s) => s.metric) : null;
    });
    const web1 = servers.find((m) => m.lab_server === "web-1");
    expect(web1).toEqual({
      __name__: "queue_length",
      instance: "10.0.0.1:9100",
      job: "lab",
      lab_alerts: ",cert_expiry,errors_high,puppet_run_failed,queue_too_long,",
      lab_environment: "prod",
      lab_groups: ",",
      lab_labels: ",web,",
      lab_provider: "ssh",
      lab_server: "web-1",
    });
  });

  it("fires each alert for its targeted servers only", async () => {
    const expected = [
      "errors_high db-1",
      "errors_high web-1",
      "puppet_run_failed db-1",
      "puppet_run_failed web-1",
      "puppet_run_failed web-2",
      "puppet_run_failed web-3",
      "queue_too_long web-1",
      "queue_too_long web-2",
    ];
    await waitFor("the expected alerts to fire", async () => {
      const now = await firing();
      return expected.every((e) => now.includes(e)) ? now : null;
    });
    // Every server has been scraped by now; give the rules two more evaluations to misfire.
    await new Promise((r) => setTimeout(r, 2_500));
    const now = await firing();
    expect(now).toEqual(expected);
    expect(now).not.toContain("queue_too_long web-3");
    expect(now).not.toContain("queue_too_long db-1");
  });
});
