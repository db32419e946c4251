/**
 * What `lab serve` counts (docs/serve.md, "Metrics"): a prom-client registry of its own — never
 * the global one, so two servers in one process (tests) count apart — and `GET /metrics`.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { HttpHandler } from "./http-server.js";
import { PUPPET_REPORT_RESULTS } from "./puppet-reports.js";

export const WEBHOOK_RESULTS = [
  "queued",
  "duplicate",
  "unauthorized",
  "ignored",
  "malformed",
] as const;
export type WebhookResult = (typeof WEBHOOK_RESULTS)[number];

/** Stage durations: from a cached pass (milliseconds) to a long apply (minutes). */
const DURATION_BUCKETS = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
];

export interface LabMetrics {
  readonly registry: Registry;
  /** `lab_reconcile_duration_seconds{stage}` */
  readonly reconcileDuration: Histogram<"stage">;
  /** `lab_queue_depth`, read from the queue at each scrape. */
  readonly queueDepth: Gauge;
  /** `lab_last_apply_success_timestamp_seconds{target}` */
  readonly lastApplySuccess: Gauge<"target">;
  /** `lab_errors_total{kind}` */
  readonly errors: Counter<"kind">;
  /** `lab_webhook_deliveries_total{result}` */
  readonly webhookDeliveries: Counter<"result">;
  /** `lab_forge_requests_total{result}` */
  readonly forgeRequests: Counter<"result">;
  /** `lab_puppet_reports_total{result}` */
  readonly puppetReports: Counter<"result">;
  /** `lab_servers_by_pillar{pillar,state}`: servers per state of each status pillar (docs/status.md). */
  readonly serversByPillar: Gauge<"pillar" | "state">;
}

export interface MetricsOptions {
  /** The queue's depth, read at each scrape; a failure keeps the last value and counts an error. */
  readonly queueDepth?: (signal: AbortSignal) => Promise<number>;
  /** Process metrics (CPU, memory, event loop, GC): on unless false. */
  readonly processMetrics?: boolean;
}

/** How long a scrape waits for the queue's depth. */
const DEPTH_TIMEOUT_MS = 5_000;

export function createMetrics(options: MetricsOptions = {}): LabMetrics {
  const registry = new Registry();
  const registers = [registry];
  const errors = new Counter({
    name: "lab_errors_total",
    help: "Errors by kind.",
    labelNames: ["kind"] as const,
    registers,
  });
  const depth = options.queueDepth;
  const queueDepth = new Gauge({
    name: "lab_queue_depth",
    help: "Work items waiting in the queue (not running).",
    registers,
    async collect() {
      if (!depth) return;
      try {
        this.set(await depth(AbortSignal.timeout(DEPTH_TIMEOUT_MS)));
      } catch {
        errors.inc({ kind: "queue-depth" });
      }
    },
  });
  const webhookDeliveries = new Counter({
    name: "lab_webhook_deliveries_total",
    help: "GitHub webhook deliveries by result.",
    labelNames: ["result"] as const,
    registers,
  });
  // Every result is shown from the start, at 0, so a rate over it has a series to start from.
  for (const result of WEBHOOK_RESULTS) webhookDeliveries.inc({ result }, 0);
  const puppetReports = new Counter({
    name: "lab_puppet_reports_total",
    help: "Puppet reports received on POST /puppet/reports by result.",
    labelNames: ["result"] as const,
    registers,
  });
  for (const result of PUPPET_REPORT_RESULTS) puppetReports.inc({ result }, 0);
  const metrics: LabMetrics = {
    registry,
    reconcileDuration: new Histogram({
      name: "lab_reconcile_duration_seconds",
      help: "How long each stage of a reconcile pass took.",
      labelNames: ["stage"] as const,
      buckets: DURATION_BUCKETS,
      registers,
    }),
    queueDepth,
    lastApplySuccess: new Gauge({
      name: "lab_last_apply_success_timestamp_seconds",
      help: "When each target was last applied without error (Unix time).",
      labelNames: ["target"] as const,
      registers,
    }),
    errors,
    webhookDeliveries,
    forgeRequests: new Counter({
      name: "lab_forge_requests_total",
      help: "Requests to the forge by result.",
      labelNames: ["result"] as const,
      registers,
    }),
    puppetReports,
    serversByPillar: new Gauge({
      name: "lab_servers_by_pillar",
      help: "Servers by the state of each status pillar (sync, puppet, health, identity), at the last status refresh.",
      labelNames: ["pillar", "state"] as const,
      registers,
    }),
  };
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  return metrics;
}

/** `GET /metrics`: the registry in Prometheus's text format. */
export function metricsHandler(metrics: LabMetrics): HttpHandler {
  return async () => ({
    status: 200,
    headers: { "content-type": metrics.registry.contentType, "cache-control": "no-store" },
    body: await metrics.registry.metrics(),
  });
}
