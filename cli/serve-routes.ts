/** The HTTP routes of `lab serve` (docs/serve.md, "Endpoints"), over what the server composed. */
import { githubWebhook, type webhookSecret } from "../adapters/http/github-webhook.js";
import { healthz, type HealthCheck } from "../adapters/http/healthz.js";
import { jsonResponse, type Route } from "../adapters/http/http-server.js";
import type { Logger } from "../adapters/http/logger.js";
import { metricsHandler, type LabMetrics } from "../adapters/http/metrics.js";
import type { DiskCache } from "../adapters/cache/disk-cache.js";
import type { GitSource } from "../core/git-source.js";
import type { WorkQueue } from "../core/loop.js";
import type { StateStore } from "../core/state-store.js";
import type { LoopDeps } from "../reconciler/loop/serve-loop.js";
import type { CliContext } from "./context.js";
import type { ServeStatus } from "./serve-status.js";

export interface Serving {
  git: GitSource;
  store: StateStore;
  queue: WorkQueue;
  logger: Logger;
  metrics: LabMetrics;
  cache: DiskCache | null;
  /** What /healthz says beside the store: the last fetch. */
  health: Record<string, HealthCheck>;
  /** The servers' status: health sources read on an interval (docs/status.md). */
  status: ServeStatus;
}

export interface ServeSetup {
  host: string;
  port: number;
  secret: ReturnType<typeof webhookSecret> | null;
  pollMs: number;
  learnRepo: (fullName: string | undefined) => Promise<void>;
}

/** GET /healthz, /metrics, the read API and plans, POST /puppet/reports and, with a secret, /hooks/github. */
export async function serveRoutes(
  ctx: CliContext,
  s: Serving,
  deps: LoopDeps,
  setup: ServeSetup,
): Promise<Route[]> {
  const { git, store, logger, metrics, health, queue } = s;
  const routes: Route[] = [
    {
      method: "GET",
      path: "/healthz",
      handler: healthz(async () => {
        const stored = await store.lastRuns(1).then(
          () => ({ ok: true }),
          (err: unknown) => ({
            ok: false,
            detail: err instanceof Error ? err.message : String(err),
          }),
        );
        return { store: stored, ...health };
      }, logger),
    },
    { method: "GET", path: "/metrics", handler: metricsHandler(metrics) },
    {
      method: "GET",
      path: "/api/v1/plans/:number",
      handler: async (request) => {
        const n = Number(request.params.number);
        const record = Number.isInteger(n) && n > 0 ? await store.pullPlan(n) : null;
        if (!record)
          return jsonResponse(404, { error: `no plan of pull request ${request.params.number}` });
        return jsonResponse(200, { kind: "PullPlan", ...record });
      },
    },
    ...(await import("./serve-api.js")).readApiRoutes({
      store,
      git,
      check: deps.check,
      token: ctx.io.env.LAB_API_TOKEN,
      status: s.status,
    }),
    (await import("./serve-puppet.js")).puppetReportRoute({
      ...{ store, git, check: deps.check, logger, metrics },
      token: ctx.io.env.LAB_PUPPET_REPORT_TOKEN,
    }),
  ];
  if (setup.secret) {
    routes.push({
      method: "POST",
      path: "/hooks/github",
      handler: githubWebhook({
        secret: setup.secret,
        seen: async (delivery, signal) =>
          !(await store.recordDelivery(delivery, undefined, signal)),
        enqueue: async (item, context, signal) => {
          await setup.learnRepo(context.repo);
          await queue.enqueue(item, signal);
        },
        logger,
        metrics,
      }),
    });
  } else {
    logger.warn({}, "webhooks off: LAB_WEBHOOK_SECRET is not set");
  }
  return routes;
}
