/**
 * A health source over Prometheus's HTTP API: `/api/v1/alerts` and `/api/v1/targets` read
 * together, one timeout bounding both; `query` asks `/api/v1/query` for an expression's value per
 * `lab_server`. What the answers mean for a server is prometheus-health.ts.
 */
import { LabError } from "../../../core/errors.js";
import type {
  HealthSnapshot,
  HealthSource,
  HealthSourceConfig,
} from "../../../core/health-source.js";
import { fetchJson, type Fetched } from "../bounded-fetch.js";
import { prometheusHealth, type PromAlert, type PromTarget } from "./prometheus-health.js";

interface ApiAnswer<T> {
  status?: string;
  errorType?: string;
  error?: string;
  data?: T;
}

interface VectorSample {
  metric?: Record<string, string>;
  value?: [number, string];
}

/** Prometheus's `status: error` as a reason; the data when it succeeded. */
async function apiGet<T>(url: string, timeoutMs: number, signal: AbortSignal): Promise<Fetched<T>> {
  const got = await fetchJson<ApiAnswer<T>>(url, timeoutMs, signal);
  if (!got.ok) return got;
  const answer = got.body;
  if (answer === null || typeof answer !== "object" || answer.status !== "success") {
    const why = answer?.error ? `${answer.errorType ?? "error"}: ${answer.error}` : "no status";
    return { ok: false, reason: `Prometheus answered status ${answer?.status ?? "?"} (${why})` };
  }
  if (answer.data === undefined || answer.data === null) {
    return { ok: false, reason: "Prometheus answered without data" };
  }
  return { ok: true, body: answer.data };
}

/** The source's `url` setting, trailing slashes dropped; a missing one is a usage error. */
function baseUrl(config: HealthSourceConfig): string {
  const url = config.url;
  if (typeof url !== "string" || !/^https?:\/\/\S+$/.test(url)) {
    throw new LabError(
      "USAGE",
      `health source ${config.name}: a prometheus source needs url: http(s)://host:port`,
    );
  }
  return url.replace(/\/+$/, "");
}

export function prometheusHealthSource(config: HealthSourceConfig): HealthSource {
  const base = baseUrl(config);
  const { name, timeoutMs } = config;
  const at = (): string => new Date().toISOString();
  const down = (reason: string): HealthSnapshot => ({
    source: name,
    ok: false,
    reason: `${base}: ${reason}`,
    at: at(),
    servers: new Map(),
  });
  return {
    name,
    kind: "prometheus",
    async read(servers, signal) {
      // Both requests run at once, each under the timeout: the pair takes at most that long.
      const [alerts, targets] = await Promise.all([
        apiGet<{ alerts?: PromAlert[] }>(`${base}/api/v1/alerts`, timeoutMs, signal),
        apiGet<{ activeTargets?: PromTarget[] }>(
          `${base}/api/v1/targets?state=active`,
          timeoutMs,
          signal,
        ),
      ]);
      if (!alerts.ok) return down(alerts.reason);
      if (!targets.ok) return down(targets.reason);
      const health = prometheusHealth(
        servers,
        alerts.body.alerts ?? [],
        targets.body.activeTargets ?? [],
      );
      return { source: name, ok: true, reason: null, at: at(), servers: health };
    },
    async query(expr, signal) {
      const url = `${base}/api/v1/query?query=${encodeURIComponent(expr)}`;
      const got = await apiGet<{ resultType?: string; result?: VectorSample[] }>(
        url,
        timeoutMs,
        signal,
      );
      if (!got.ok) throw new LabError("IO", `${name} (${base}): ${got.reason}`);
      if (got.body.resultType !== "vector") {
        throw new LabError(
          "IO",
          `${name}: ${expr} gives a ${got.body.resultType ?? "?"}, not an instant vector`,
        );
      }
      return valuesByServer(got.body.result ?? []);
    },
  };
}

/** The greatest value per `lab_server` (a server with several series, e.g. one per port). */
export function valuesByServer(samples: readonly VectorSample[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const sample of samples) {
    const server = sample.metric?.lab_server;
    const text = sample.value?.[1];
    if (server === undefined || text === undefined) continue;
    const value = Number(text);
    const had = out.get(server);
    if (had === undefined || value > had || Number.isNaN(had)) out.set(server, value);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
