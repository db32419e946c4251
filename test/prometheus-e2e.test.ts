/**
 * End to end with a real Prometheus and a real blackbox exporter: test/promtool/e2e-repo is
 * rendered, and Prometheus runs with the rendered rules and the rendered scrape jobs as they are
 * (a prometheus.yml beside scrape.yaml holds them). The servers are loopback addresses where
 * stand-ins for the node exporter and lab's /metrics serve the series the rules read, and plain
 * TCP listeners answer some probed ports; db-1's exporters are down. Alerts copied as written
 * from the public collections must fire for their targets only; every no-data companion must
 * fire where its exporter is down while the check itself stays quiet.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { cp, mkdtemp, readFile, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artifact } from "../core/renderer.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import { resolveDir } from "./promtool/resolve-dir.js";
import { blackboxExporter, runTool, writeArtifacts } from "./promtool/run-tool.js";
import {
  exporterBody,
  freePort,
  labMetricsBody,
  listenTcp,
  serveMetrics,
  type Closer,
  type ServerLoad,
} from "./promtool/stand-ins.js";
import { requireTool } from "./tools.js";

const REPO = fileURLToPath(new URL("./promtool/e2e-repo/", import.meta.url));
const DEADLINE_MS = 40_000;

const LOAD: Readonly<
  Record<string, ServerLoad & { address: string; puppetFailed: number | null }>
> = {
  "web-1": {
    address: "127.0.0.11",
    errorsPerSecond: 1,
    requestsPerSecond: 10,
    slow: true,
    puppetFailed: 1,
  },
  "web-2": {
    address: "127.0.0.12",
    errorsPerSecond: 1,
    requestsPerSecond: 10,
    slow: false,
    puppetFailed: 1,
  },
  "web-3": {
    address: "127.0.0.13",
    errorsPerSecond: 10,
    requestsPerSecond: 10,
    slow: true,
    puppetFailed: 0,
  },
  "db-1": {
    address: "127.0.0.14",
    errorsPerSecond: 0,
    requestsPerSecond: 0,
    slow: false,
    puppetFailed: null,
  },
};
/** Servers whose ports 25 and 8025 answer (SMTP greets there); web-2's do not. */
const LISTENING = ["web-1", "web-3"];

let dir = "";
let out = "";
let artifacts: Artifact[] = [];
const closers: Closer[] = [];
const children: ChildProcess[] = [];
let log = "";
let base = "";

function spawnLogged(command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (log += d.toString()));
  children.push(child);
  return child;
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
    const dead = children.find((c) => c.exitCode !== null);
    if (dead) throw new Error(`${dead.spawnfile} exited: ${log}`);
    const value = await probe();
    if (value !== null) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; log:\n${log}`);
}

interface AlertsResponse {
  data: { alerts: { labels: Record<string, string>; state: string }[] };
}

/** `alertname who` per alert in `states`, sorted: who is lab_server, else instance, else "-". */
async function alerts(states: readonly string[]): Promise<string[]> {
  const body = await getJson<AlertsResponse>("/api/v1/alerts");
  return (body?.data.alerts ?? [])
    .filter((a) => states.includes(a.state))
    .map((a) => {
      const who = a.labels.lab_server ?? a.labels.instance ?? "-";
      const port = a.labels.port ? `:${a.labels.port}` : "";
      return `${a.labels.alertname} ${who}${port}`;
    })
    .sort();
}

async function startStandIns(labMetricsPort: number): Promise<void> {
  const started = Date.now();
  const targets = new Map<string, Record<string, string>>();
  for (const a of artifacts.filter((x) => x.path.startsWith("prometheus/targets/"))) {
    const [group] = JSON.parse(a.content) as { labels: Record<string, string> }[];
    targets.set(group!.labels.lab_server!, group!.labels);
  }
  for (const [name, load] of Object.entries(LOAD)) {
    if (name === "db-1") continue; // its exporters are down
    closers.push(await serveMetrics(load.address, 9100, () => exporterBody(load, started)));
  }
  for (const name of LISTENING) {
    const { address } = LOAD[name]!;
    closers.push(await listenTcp(address, 25, "220 e2e ESMTP ready\r\n"));
    closers.push(await listenTcp(address, 8025));
  }
  const lab = Object.entries(LOAD).map(([name, l]) => ({
    labels: targets.get(name)!,
    puppetFailed: l.puppetFailed,
  }));
  closers.push(await serveMetrics("127.0.0.1", labMetricsPort, () => labMetricsBody(lab)));
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lab-prom-e2e-"));
  const repo = join(dir, "repo");
  out = join(dir, "out");
  await cp(REPO, repo, { recursive: true });
  const [blackboxPort, labPort, promPort] = [await freePort(), await freePort(), await freePort()];
  await appendFile(
    join(repo, "lab.yaml"),
    `  prometheus: { blackbox_exporter: "127.0.0.1:${blackboxPort}", lab_metrics: "127.0.0.1:${labPort}" }\n`,
  );
  const { model } = await resolveDir(repo);
  const rendered = prometheusRenderer.render(model);
  expect(rendered.diagnostics).toEqual([]);
  artifacts = rendered.value;
  await writeArtifacts(out, artifacts);
  await startStandIns(labPort);
  const prom = join(out, "prometheus");
  spawnLogged(blackboxExporter(), [
    `--config.file=${join(prom, "blackbox.yaml")}`,
    `--web.listen-address=127.0.0.1:${blackboxPort}`,
  ]);
  const scrape = await readFile(join(prom, "scrape.yaml"), "utf8");
  await writeFile(
    join(prom, "prometheus.yml"),
    "global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }\n" +
      "rule_files: [rules/checks/*.yaml, rules/alerts/*.yaml]\n" +
      scrape,
  );
  base = `http://127.0.0.1:${promPort}`;
  spawnLogged(requireTool("prometheus"), [
    `--config.file=${join(prom, "prometheus.yml")}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${promPort}`,
  ]);
  await waitFor("/-/ready", async () =>
    (await fetch(`${base}/-/ready`).catch(() => null))?.ok ? true : null,
  );
}, 60_000);

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  }
  for (const c of closers) await c.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a real Prometheus and blackbox exporter with the rendered files, stand-in exporters on loopback", () => {
  it("passes promtool check rules and loads every rendered rule file", async () => {
    const rules = artifacts.filter((a) => a.path.startsWith("prometheus/rules/"));
    const checked = await runTool("promtool", [
      "check",
      "rules",
      ...rules.map((a) => join(out, a.path)),
    ]);
    expect(checked.code).toBe(0);
    const body = await waitFor("rules", async () => {
      const r = await getJson<{ data: { groups: { name: string }[] } }>("/api/v1/rules");
      return r && r.data.groups.length > 0 ? r : null;
    });
    expect(body.data.groups.map((g) => g.name).sort()).toEqual([
      "lab:alerts:alerts",
      "lab:checks:cert_expiry",
      "lab:checks:postgres_connections",
      "lab:checks:postgres_replication_lag",
      "lab:checks:puppet_run_failed",
      "lab:checks:smtp_connect",
      "lab:checks:tcp_port",
    ]);
    expect(rules).toHaveLength(7);
  });

  it("scrapes every job of scrape.yaml: node, the probes, postgres, lab", async () => {
    type Up = { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    const ups = await waitFor("every target scraped", async () => {
      const r = await getJson<Up>("/api/v1/query?query=up");
      return r && r.data.result.length === 12 ? r.data.result : null;
    });
    const summary = ups
      .map(
        (u) =>
          `${u.metric.job} ${u.metric.lab_server ?? "-"}${u.metric.port ? `:${u.metric.port}` : ""} ${u.value[1]}`,
      )
      .sort();
    expect(summary).toEqual([
      "blackbox web-1:25 1",
      "blackbox web-1:8025 1",
      "blackbox web-2:25 1",
      "blackbox web-2:8025 1",
      "blackbox web-3:25 1",
      "blackbox web-3:8025 1",
      "lab - 1",
      "node db-1 0",
      "node web-1 1",
      "node web-2 1",
      "node web-3 1",
      "postgres db-1 0",
    ]);
    const web1 = ups.find((u) => u.metric.job === "node" && u.metric.lab_server === "web-1")!;
    expect(web1.metric).toEqual({
      __name__: "up",
      instance: "127.0.0.11:9100",
      job: "node",
      lab_alerts:
        ",cert_expiry,error_growth,errors_high,errors_vs_requests_web,exporter_gone_web,hot_instance,puppet_run_failed,queue_too_long,smtp_connect,tcp_port,",
      lab_environment: "prod",
      lab_groups: ",",
      lab_labels: ",web,",
      lab_provider: "ssh",
      lab_server: "web-1",
    });
  });

  it("fires each alert for its targets only, copied rules included", async () => {
    const expected = [
      "error_burst web-3",
      "error_growth web-1",
      "error_ratio web-2",
      "errors_high web-1",
      "errors_vs_requests -",
      "exporter_gone -",
      "hot_instance_web3 127.0.0.13:9100",
      "puppet_run_failed web-1",
      "puppet_run_failed web-2",
      "puppet_run_failed_no_data db-1",
      "queue_too_long web-1",
      "queue_too_long web-2",
      "slow_p99 127.0.0.13:9100",
    ];
    await waitFor("the expected alerts to fire", async () => {
      const now = await alerts(["firing"]);
      return expected.every((e) => now.includes(e)) ? now : null;
    });
    // Every target has been scraped by now; give the rules more evaluations to misfire.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await alerts(["firing"])).toEqual(expected);
  });

  it("holds the probe checks and no-data companions whose `for` is long, for the right servers", async () => {
    const expected = [
      "postgres_connections_no_data db-1",
      "postgres_replication_lag_no_data db-1",
      "smtp_connect web-2:25",
      "tcp_port web-2:8025",
    ];
    const pending = await waitFor("the probe failures and no-data companions", async () => {
      const now = await alerts(["pending"]);
      return expected.every((e) => now.includes(e)) ? now : null;
    });
    expect(pending).toEqual(expected);
  });
});
