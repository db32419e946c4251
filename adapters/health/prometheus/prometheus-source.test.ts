import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { largePrometheusAnswers } from "../../../test/health-samples.js";
import { prometheusHealthSource } from "./prometheus-source.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_req, res) => res.end();
const server = createServer((req, res) => handler(req, res));
let base = "";

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

function json(res: ServerResponse, body: unknown, status = 200): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

function target(server: string, job: string, instance: string, health: string, lastError = "") {
  return {
    labels: { job, instance, lab_server: server },
    health,
    lastError,
    lastScrape: health === "unknown" ? "0001-01-01T00:00:00Z" : "2026-12-02T06:00:00.123456789Z",
  };
}

function alert(labels: Record<string, string>, state: string, summary?: string) {
  return {
    labels,
    annotations: summary ? { summary } : {},
    state,
    activeAt: "2026-12-02T06:59:00.5+01:00",
    value: "9.5e+01",
  };
}

/** Serves these alerts and targets the way Prometheus does. */
function prometheus(alerts: unknown[], targets: unknown[]): Handler {
  return (req, res) => {
    if (req.url === "/api/v1/alerts") return json(res, { status: "success", data: { alerts } });
    if (req.url === "/api/v1/targets?state=active") {
      return json(res, { status: "success", data: { activeTargets: targets, droppedTargets: [] } });
    }
    json(res, { status: "error", errorType: "not_found", error: req.url }, 404);
  };
}

/** A loopback port nothing listens on (taken, then let go). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

const source = () =>
  prometheusHealthSource({ name: "prom", kind: "prometheus", timeoutMs: 500, url: `${base}/` });
const signal = () => new AbortController().signal;

describe("the Prometheus health source (Prometheus played by a loopback stand-in)", () => {
  it("gives each server its alerts and targets and a state by the rule", async () => {
    handler = prometheus(
      [
        alert(
          { alertname: "disk_full", lab_server: "db-1", severity: "critical" },
          "firing",
          "disk",
        ),
        alert({ alertname: "high_cpu", lab_server: "web-1", severity: "critical" }, "pending"),
        alert({ alertname: "slow", instance: "127.0.0.3:9100", severity: "warning" }, "firing"),
        alert({ alertname: "shared", instance: "127.0.0.9:9100" }, "firing"),
        alert({ alertname: "nobody", lab_server: "gone-1" }, "firing"),
        alert({ alertname: "summed" }, "firing"),
        alert({ alertname: "over", lab_server: "web-2" }, "inactive"),
      ],
      [
        target("db-1", "node", "127.0.0.1:9100", "up"),
        target("web-1", "node", "127.0.0.2:9100", "up"),
        target("web-2", "node", "127.0.0.3:9100", "up"),
        target("web-3", "node", "127.0.0.4:9100", "down", "connection refused\nmore"),
        target("web-3", "postgres", "127.0.0.4:9187", "down", "timeout"),
        target("web-4", "node", "127.0.0.5:9100", "up"),
        target("web-4", "postgres", "127.0.0.5:9187", "down", "refused"),
        target("web-5", "node", "127.0.0.6:9100", "unknown"),
        target("web-6", "node", "127.0.0.9:9100", "up"),
        target("web-7", "node", "127.0.0.9:9100", "up"),
        target("gone-1", "node", "127.0.0.8:9100", "down"),
      ],
    );
    const wanted = ["db-1", "web-1", "web-2", "web-3", "web-4", "web-5", "web-6", "web-7", "web-9"];
    const snap = await source().read(wanted, signal());
    expect([snap.source, snap.ok, snap.reason]).toEqual(["prom", true, null]);
    const states = [...snap.servers].map(([name, h]) => `${name} ${h.state}`);
    expect(states).toEqual([
      "db-1 failed",
      "web-1 warn",
      "web-2 warn",
      "web-3 failed",
      "web-4 warn",
      "web-5 unknown",
      "web-6 ok",
      "web-7 ok",
    ]);
    expect(snap.servers.get("db-1")).toEqual({
      state: "failed",
      alerts: [
        {
          name: "disk_full",
          state: "firing",
          since: "2026-12-02T05:59:00.500Z",
          value: "9.5e+01",
          severity: "critical",
          summary: "disk",
        },
      ],
      checks: [
        {
          name: "up",
          state: "ok",
          output: "node 127.0.0.1:9100",
          checkedAt: "2026-12-02T06:00:00.123Z",
        },
      ],
    });
    expect(snap.servers.get("web-2")?.alerts.map((a) => a.name)).toEqual(["slow"]);
    expect(snap.servers.get("web-3")?.checks).toEqual([
      {
        name: "up",
        state: "critical",
        output: "node 127.0.0.4:9100: connection refused",
        checkedAt: "2026-12-02T06:00:00.123Z",
      },
      {
        name: "up",
        state: "critical",
        output: "postgres 127.0.0.4:9187: timeout",
        checkedAt: "2026-12-02T06:00:00.123Z",
      },
    ]);
    expect(snap.servers.get("web-5")?.checks[0]).toMatchObject({
      state: "unknown",
      checkedAt: null,
    });
    expect(snap.servers.get("web-6")?.alerts).toEqual([]);
  });

  it("answers ok: false with a short reason when Prometheus is down, slow or answers badly", async () => {
    const cases: [Handler, string][] = [
      [
        (_q, res) => res.writeHead(200, { "content-type": "text/html" }).end("<html>proxy</html>"),
        'answered with something other than JSON (text/html: "<html>proxy</html>")',
      ],
      [
        (_q, res) => json(res, { status: "error", errorType: "internal", error: "tsdb closed" }),
        "Prometheus answered status error (internal: tsdb closed)",
      ],
      [
        (_q, res) =>
          json(res, { status: "error", errorType: "unavailable", error: "starting" }, 503),
        "HTTP 503: starting",
      ],
      [() => undefined, "timed out after 500 ms"],
    ];
    for (const [h, reason] of cases) {
      handler = h;
      const started = Date.now();
      const snap = await source().read(["web-1"], signal());
      expect(Date.now() - started).toBeLessThan(1500);
      expect(snap).toMatchObject({ ok: false, reason: `${base}: ${reason}` });
      expect(snap.servers.size).toBe(0);
    }
    const port = await closedPort();
    const closed = prometheusHealthSource({
      name: "prom",
      kind: "prometheus",
      timeoutMs: 500,
      url: `http://127.0.0.1:${port}`,
    });
    const snap = await closed.read(["web-1"], signal());
    expect(snap.reason).toBe(`http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it("tries once more on a new connection when the server drops one, and says so when it keeps dropping", async () => {
    const answer = prometheus([], [target("web-1", "node", "127.0.0.2:9100", "up")]);
    const dropped = new Set<string>();
    handler = (req, res) => {
      if (dropped.has(req.url ?? "")) return answer(req, res);
      dropped.add(req.url ?? "");
      req.socket.destroy();
    };
    const snap = await source().read(["web-1"], signal());
    expect([snap.ok, snap.reason, snap.servers.get("web-1")?.state]).toEqual([true, null, "ok"]);
    expect([...dropped].sort()).toEqual(["/api/v1/alerts", "/api/v1/targets?state=active"]);
    handler = (req) => req.socket.destroy();
    const down = await source().read(["web-1"], signal());
    expect(down).toMatchObject({ ok: false, reason: `${base}: other side closed` });
  });

  it("throws when the caller aborts, rather than answering", async () => {
    let arrived = 0;
    let bothArrived: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (bothArrived = resolve));
    handler = () => {
      if (++arrived === 2) bothArrived();
    };
    const controller = new AbortController();
    const reading = source().read(["web-1"], controller.signal);
    await waiting;
    controller.abort(new Error("stop"));
    await expect(reading).rejects.toThrow("stop");
  });

  it("queries an expression's value per lab_server, the greatest when a server has several", async () => {
    let asked = "";
    handler = (req, res) => {
      asked = decodeURIComponent(req.url ?? "");
      json(res, {
        status: "success",
        data: {
          resultType: "vector",
          result: [
            { metric: { lab_server: "web-2", port: "25" }, value: [1, "1"] },
            { metric: { lab_server: "web-2", port: "587" }, value: [1, "3"] },
            { metric: { lab_server: "web-1" }, value: [1, "42.5"] },
            { metric: { instance: "x" }, value: [1, "7"] },
          ],
        },
      });
    };
    const values = await source().query!('disk_used{mount="/"} > 0', signal());
    expect(asked).toBe('/api/v1/query?query=disk_used{mount="/"} > 0');
    expect([...values]).toEqual([
      ["web-1", 42.5],
      ["web-2", 3],
    ]);
    handler = (_q, res) =>
      json(res, { status: "success", data: { resultType: "scalar", result: [1, "1"] } });
    await expect(source().query!("1", signal())).rejects.toMatchObject({ code: "IO" });
    handler = (_q, res) =>
      json(res, { status: "error", errorType: "bad_data", error: "parse error" }, 400);
    await expect(source().query!("x{", signal())).rejects.toThrow(
      `prom (${base}): HTTP 400: parse error`,
    );
  });

  it("reads the answers for 10k servers (two targets each, an alert on every 50th) quickly", async () => {
    const { alerts, targets } = largePrometheusAnswers(10_000, (i) => i % 50 === 0);
    handler = (req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(req.url === "/api/v1/alerts" ? alerts : targets);
    };
    const names = Array.from({ length: 10_000 }, (_, i) => `srv-${String(i + 1).padStart(5, "0")}`);
    const slow = prometheusHealthSource({
      name: "p",
      kind: "prometheus",
      timeoutMs: 10_000,
      url: base,
    });
    const started = performance.now();
    const snap = await slow.read(names, signal());
    const ms = performance.now() - started;
    expect(snap.ok).toBe(true);
    expect(snap.servers.size).toBe(10_000);
    const warned = [...snap.servers]
      .filter(([, h]) => h.state !== "ok")
      .map(([n, h]) => `${n} ${h.state}`);
    expect(warned).toHaveLength(200);
    expect(warned.slice(0, 2)).toEqual(["srv-00001 warn", "srv-00051 warn"]);
    expect(snap.servers.get("srv-00002")?.checks.map((c) => c.output)).toEqual([
      "blackbox 10.0.0.1:25",
      "node 10.0.0.1:9100",
    ]);
    expect(ms).toBeLessThan(3_000);
  });
});
