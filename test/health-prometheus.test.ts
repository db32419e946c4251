/**
 * The Prometheus health source against a real Prometheus running lab's rendered rules and
 * targets for a tiny repo: two servers on loopback addresses of their own, each with a small
 * exporter (a stand-in for its node exporter) whose `queue_length` the test sets, and a
 * stand-in for lab's own /metrics so the catalog checks' no-data companions stay quiet (its
 * one failed apply fires lab's own LabApplyFailing, which names no server). The
 * test raises one server's value: the source reports that server alone warn, then failed when
 * the critical alert fires; `query` answers per server. Prometheus paused (SIGSTOP) is a read
 * that times out, Prometheus stopped one that is refused, each `ok: false` within the timeout.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthSnapshot } from "../core/health-source.js";
import { prometheusHealthSource } from "../adapters/health/prometheus/prometheus-source.js";
import { prometheusRenderer } from "../renderers/prometheus/prometheus-renderer.js";
import { loopbackAddress } from "./naemon-loopback.js";
import { writeArtifacts } from "./promtool/run-tool.js";
import { freePort, labMetricsBody, serveMetrics, type Closer } from "./promtool/stand-ins.js";
import { requireTool } from "./tools.js";
import { healthColumn } from "./health-column.js";
import { modelFromYaml } from "./yaml-model.js";

const TIMEOUT_MS = 1_000;
const SERVERS = ["web-1", "web-2"] as const;
const queue: Record<string, number> = { "web-1": 0, "web-2": 0 };
const closers: Closer[] = [];
let prometheus: ChildProcess | null = null;
let log = "";
let dir = "";
let base = "";

function repo(labMetrics: string, addresses: readonly string[]): string {
  return `
lab:
  prometheus: { lab_metrics: "${labMetrics}", self_alerts: true }
labels:
  web: {}
alerts:
  - name: queue_high
    target: { labels: [web] }
    condition: queue_length > 100
    severity: warning
    summary: "queue of {{ $labels.lab_server }} is long"
  - name: queue_critical
    target: { labels: [web] }
    condition: queue_length > 1000
    severity: critical
servers:
  web-1: { provider: ssh, labels: [web], address: ${addresses[0]} }
  web-2: { provider: ssh, labels: [web], address: ${addresses[1]} }
`;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lab-health-prom-"));
  const [labPort, promPort] = [await freePort(), await freePort()];
  const addresses = SERVERS.map(() => loopbackAddress());
  const text = repo(`127.0.0.1:${labPort}`, addresses);
  const model = await modelFromYaml(text);
  const artifacts = prometheusRenderer.render(model).value;
  await writeArtifacts(dir, artifacts);
  for (const [i, server] of SERVERS.entries()) {
    closers.push(await serveMetrics(addresses[i]!, 9100, () => `queue_length ${queue[server]}\n`));
  }
  const labels = artifacts
    .filter((a) => a.path.startsWith("prometheus/targets/"))
    .map((a) => (JSON.parse(a.content) as { labels: Record<string, string> }[])[0]!.labels);
  const lab = labels.map((l) => ({ labels: l, puppetFailed: 0 }));
  // lab's own /metrics: one failed apply, every output applied cleanly just now.
  const own = () =>
    'lab_errors_total{kind="apply"} 1\n' +
    `lab_last_apply_success_timestamp_seconds{target="prometheus"} ${Date.now() / 1000}\n`;
  closers.push(await serveMetrics("127.0.0.1", labPort, () => labMetricsBody(lab) + own()));
  const prom = join(dir, "prometheus");
  await writeFile(
    join(prom, "prometheus.yml"),
    "global: { scrape_interval: 1s, scrape_timeout: 1s, evaluation_interval: 1s }\n" +
      "rule_files: [rules/checks/*.yaml, rules/alerts/*.yaml, rules/lab/*.yaml]\n" +
      (await readFile(join(prom, "scrape.yaml"), "utf8")),
  );
  base = `http://127.0.0.1:${promPort}`;
  repoText = text.replace(
    "\nlabels:",
    `\n  health: { sources: [{ name: prometheus, kind: prometheus, url: "${base}" }] }\nlabels:`,
  );
  prometheus = spawn(
    requireTool("prometheus"),
    [
      `--config.file=${join(prom, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      "--web.enable-lifecycle",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stdout?.on("data", (d: Buffer) => (log += d.toString()));
  prometheus.stderr?.on("data", (d: Buffer) => (log += d.toString()));
}, 30_000);

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null && prometheus.signalCode === null) {
    const exited = once(prometheus, "exit");
    prometheus.kill("SIGCONT");
    prometheus.kill("SIGKILL");
    await exited;
  }
  for (const c of closers) await c.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The repo as files, with lab.health naming the test's Prometheus. */
let repoText = "";

function source() {
  return prometheusHealthSource({
    name: "prom",
    kind: "prometheus",
    timeoutMs: TIMEOUT_MS,
    url: base,
  });
}

/** `server state alert,alert… | up-check states`, per server reported. */
function summary(snap: HealthSnapshot): string[] {
  return [...snap.servers].map(
    ([name, h]) =>
      `${name} ${h.state} [${h.alerts.map((a) => `${a.name}:${a.state}`).join(",")}] ${h.checks.map((c) => c.state).join(",")}`,
  );
}

/** Reads every 250 ms until `done` holds for the summary; fails with the last one after 40 s. */
/** Every summary line read so far. */
const seen: string[] = [];

async function until(done: (s: string[]) => boolean): Promise<HealthSnapshot> {
  const end = Date.now() + 40_000;
  let last = "";
  for (;;) {
    if (prometheus?.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    const snap = await source().read([...SERVERS, "web-9"], AbortSignal.timeout(5_000));
    last = snap.ok ? summary(snap).join(" | ") : `not ok: ${snap.reason}`;
    if (snap.ok) seen.push(...summary(snap));
    if (snap.ok && done(summary(snap))) return snap;
    if (Date.now() > end) throw new Error(`not reached; last read: ${last}\n${log}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the Prometheus health source on a real Prometheus with lab's rendered rules and targets", () => {
  it("reports exactly the server whose alert fires, warn then failed", async () => {
    const healthy = ["web-1 ok [] ok", "web-2 ok [] ok"];
    const first = await until((s) => s.join("\n") === healthy.join("\n"));
    expect(summary(first)).toEqual(healthy);
    expect(first.servers.get("web-1")?.checks[0]?.output).toMatch(/^node 127\.\d+\.\d+\.1:9100$/);
    expect((await healthColumn(repoText)).cells).toEqual([
      ["web-1", "✓ ok"],
      ["web-2", "✓ ok"],
    ]);

    // Waits for the exact states (a scrape slower than its 1 s timeout on a loaded machine is
    // a target down for a moment); a wrong server turning never reaches them.
    queue["web-2"] = 500;
    const warnedStates = ["web-1 ok [] ok", "web-2 warn [queue_high:firing] ok"];
    const warned = await until((s) => s.join("\n") === warnedStates.join("\n"));
    expect(summary(warned)).toEqual(warnedStates);
    expect(warned.servers.get("web-2")?.alerts).toEqual([
      {
        name: "queue_high",
        state: "firing",
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/) as string,
        value: "5e+02",
        severity: "warning",
        summary: "queue of web-2 is long",
      },
    ]);

    queue["web-2"] = 5000;
    const failedStates = [
      "web-1 ok [] ok",
      "web-2 failed [queue_critical:firing,queue_high:firing] ok",
    ];
    const failed = await until((s) => s.join("\n") === failedStates.join("\n"));
    expect(summary(failed)).toEqual(failedStates);
    expect(failed.servers.get("web-2")?.alerts[0]?.severity).toBe("critical");

    // The HEALTH column of `lab get servers` over the same repo, lab.health naming this
    // Prometheus: web-2 alone turns.
    const health = await healthColumn(repoText);
    expect(health.json).toEqual([
      ["web-1", "ok"],
      ["web-2", "failed"],
    ]);
    expect(health.cells).toEqual([
      ["web-1", "✓ ok"],
      ["web-2", "✗ 2 alrt"],
    ]);

    // lab's own alert fires in Prometheus, and names no server: no server shows it.
    const firing = async (): Promise<string[]> => {
      const res = await fetch(`${base}/api/v1/alerts`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json()) as {
        data: { alerts: { labels: Record<string, string>; state: string }[] };
      };
      return body.data.alerts
        .filter((a) => a.state === "firing")
        .map((a) => `${a.labels.alertname} ${a.labels.lab_server ?? "-"}`)
        .sort();
    };
    let names = await firing();
    for (let end = Date.now() + 10_000; !names.includes("LabApplyFailing -") && Date.now() < end;) {
      await new Promise((r) => setTimeout(r, 250));
      names = await firing();
    }
    expect(names).toEqual(["LabApplyFailing -", "queue_critical web-2", "queue_high web-2"]);
    const after = await until((s) => s.join("\n") === failedStates.join("\n"));
    expect(summary(after)).toEqual(failedStates);
    // At no read did the queue alerts reach web-1. (At start-up, before lab's own /metrics is
    // first scraped, a no-data companion such as puppet_run_failed_no_data may fire for a moment.)
    expect(seen.filter((line) => line.startsWith("web-1") && line.includes("queue_"))).toEqual([]);

    const values = await source().query!("queue_length", AbortSignal.timeout(5_000));
    expect([...values]).toEqual([
      ["web-1", 0],
      ["web-2", 5000],
    ]);
  }, 60_000);

  it("is ok: false within the timeout when Prometheus hangs, and when it is stopped", async () => {
    const promPort = new URL(base).port;
    prometheus!.kill("SIGSTOP");
    let started = Date.now();
    const hung = await source().read([...SERVERS], AbortSignal.timeout(10_000));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 500);
    expect(hung).toMatchObject({ ok: false, reason: `${base}: timed out after 1 s` });
    expect(hung.servers.size).toBe(0);

    prometheus!.kill("SIGCONT");
    const exited = once(prometheus!, "exit");
    prometheus!.kill("SIGTERM");
    await exited;
    started = Date.now();
    const stopped = await source().read([...SERVERS], AbortSignal.timeout(10_000));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
    expect(stopped).toMatchObject({
      ok: false,
      reason: `${base}: connect ECONNREFUSED 127.0.0.1:${promPort}`,
    });
    expect(stopped.servers.size).toBe(0);
  }, 30_000);
});
