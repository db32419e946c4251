import { spawnSync } from "node:child_process";
import { sign } from "@octokit/webhooks-methods";
import { afterEach, describe, expect, it } from "vitest";
import { SecretValue } from "../../core/secret-backend.js";
import { githubWebhook } from "./github-webhook.js";
import { type HttpServer, startHttpServer } from "./http-server.js";
import { createLogger } from "./logger.js";
import { createMetrics, type LabMetrics, metricsHandler, type MetricsOptions } from "./metrics.js";

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(options: MetricsOptions): Promise<{ url: string; metrics: LabMetrics }> {
  const metrics = createMetrics(options);
  const logger = createLogger({ silent: true });
  const hook = githubWebhook({
    secret: new SecretValue("s"),
    seen: () => Promise.resolve(false),
    enqueue: () => Promise.resolve(),
    logger,
    metrics,
  });
  const server = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    logger,
    routes: [
      { method: "GET", path: "/metrics", handler: metricsHandler(metrics) },
      { method: "POST", path: "/hooks/github", handler: hook },
    ],
  });
  servers.push(server);
  return { url: server.url, metrics };
}

async function deliver(url: string, event: string, payload: object, secret = "s"): Promise<number> {
  const body = JSON.stringify(payload);
  const res = await fetch(`${url}/hooks/github`, {
    method: "POST",
    headers: {
      "x-github-event": event,
      "x-github-delivery": `${event}-${Math.random()}`,
      "x-hub-signature-256": await sign(secret, body),
    },
    body,
  });
  return res.status;
}

/** `promtool check metrics`: Prometheus's own parser and linter of the text format. */
function promtool(text: string): { status: number | null; output: string } {
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("GET /metrics", () => {
  it("serves the text format Prometheus parses, with lab's series and the process's", async () => {
    const { url, metrics } = await serve({ queueDepth: () => Promise.resolve(3) });
    metrics.reconcileDuration.observe({ stage: "render" }, 0.2);
    metrics.lastApplySuccess.set({ target: "prometheus" }, 1_700_000_000);
    metrics.forgeRequests.inc({ result: "ok" });
    const push = {
      ref: "refs/heads/main",
      after: "a".repeat(40),
      repository: { full_name: "o/r" },
    };
    expect(await deliver(url, "push", push)).toBe(202);
    expect(await deliver(url, "push", push, "wrong")).toBe(401);
    expect(await deliver(url, "issues", {})).toBe(202);

    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
    const text = await res.text();
    // Exit 3 is lint only (1 would be a parse error); the lint names prom-client's own gauges
    // nodejs_active_*_total, none of lab's.
    const checked = promtool(text);
    expect(checked.output).not.toMatch(/error while linting|parsing error/);
    expect([0, 3]).toContain(checked.status);
    expect(checked.output.split("\n").filter((l) => l && !l.startsWith("nodejs_active_"))).toEqual(
      [],
    );
    const lines = text.split("\n");
    for (const line of [
      'lab_webhook_deliveries_total{result="queued"} 1',
      'lab_webhook_deliveries_total{result="unauthorized"} 1',
      'lab_webhook_deliveries_total{result="ignored"} 1',
      'lab_webhook_deliveries_total{result="duplicate"} 0',
      'lab_webhook_deliveries_total{result="malformed"} 0',
      "lab_queue_depth 3",
      'lab_last_apply_success_timestamp_seconds{target="prometheus"} 1700000000',
      'lab_forge_requests_total{result="ok"} 1',
      'lab_reconcile_duration_seconds_bucket{le="0.25",stage="render"} 1',
      'lab_reconcile_duration_seconds_count{stage="render"} 1',
      "# TYPE lab_errors_total counter",
    ]) {
      expect(lines, line).toContain(line);
    }
    expect(lines.some((l) => l.startsWith("process_cpu_user_seconds_total "))).toBe(true);
    expect(lines.some((l) => l.startsWith("nodejs_heap_size_used_bytes "))).toBe(true);
  });

  it("keeps a queue depth that cannot be read at its last value and counts the error", async () => {
    let fail = false;
    const { url } = await serve({
      queueDepth: () => (fail ? Promise.reject(new Error("down")) : Promise.resolve(5)),
      processMetrics: false,
    });
    expect(await (await fetch(`${url}/metrics`)).text()).toContain("\nlab_queue_depth 5\n");
    fail = true;
    // A scrape reads the counters while the depth is read: the error shows from the next one.
    await fetch(`${url}/metrics`);
    const text = await (await fetch(`${url}/metrics`)).text();
    expect(text).toContain("\nlab_queue_depth 5\n");
    expect(text).toContain('\nlab_errors_total{kind="queue-depth"} 1\n');
    expect(text).not.toContain("process_cpu");
  });

  it("counts apart in two registries of one process", async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.errors.inc({ kind: "apply" });
    expect(await a.registry.metrics()).toContain('lab_errors_total{kind="apply"} 1');
    expect(await b.registry.metrics()).not.toContain('kind="apply"');
  });
});
