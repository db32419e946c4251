/**
 * `GET /healthz` (docs/serve.md, "Health"): 200 when every check is ok, 503 otherwise, with each
 * check's result, so a load balancer takes a replica out while its state store is away.
 */
import { type HttpHandler, jsonResponse } from "./http-server.js";

export interface HealthCheck {
  readonly ok: boolean;
  readonly detail?: string;
}

export type HealthChecks = () => Promise<Record<string, HealthCheck>>;

export function healthz(
  checks: HealthChecks,
  logger?: { warn(fields: object, message: string): void },
): HttpHandler {
  return async () => {
    let results: Record<string, HealthCheck>;
    try {
      results = await checks();
    } catch (err) {
      logger?.warn({ err }, "health checks failed");
      results = { checks: { ok: false, detail: "the checks could not run" } };
    }
    const ok = Object.values(results).every((check) => check.ok);
    const sorted = Object.fromEntries(
      Object.entries(results).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    return jsonResponse(
      ok ? 200 : 503,
      { status: ok ? "ok" : "unavailable", checks: sorted },
      { "cache-control": "no-store" },
    );
  };
}
