/**
 * What the end-to-end test runs beside a real Prometheus and a real blackbox exporter:
 * stand-ins for the exporters on the servers and for lab's own /metrics (serving the series the
 * rules read), and plain TCP listeners for the probed ports. All on loopback addresses.
 */
import { once } from "node:events";
import { createServer as createHttpServer, type Server } from "node:http";
import {
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
} from "node:net";

export interface Closer {
  close(): Promise<void>;
}

function closer(server: Server | NetServer): Closer {
  return {
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      }),
  };
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  const probe = createNetServer();
  probe.listen(0, host);
  await once(probe, "listening");
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** A text exposition served at /metrics on host:port, rebuilt on every scrape. */
export async function serveMetrics(
  host: string,
  port: number,
  body: () => string,
): Promise<Closer> {
  const server = createHttpServer((req, res) => {
    const ok = req.url === "/metrics";
    res.writeHead(ok ? 200 : 404, { "content-type": "text/plain; version=0.0.4" });
    res.end(ok ? body() : "not found\n");
  });
  server.listen(port, host);
  await once(server, "listening");
  return closer(server);
}

/** A TCP listener that greets with `banner` (when given) and hangs up on QUIT. */
export async function listenTcp(host: string, port: number, banner?: string): Promise<Closer> {
  const server = createNetServer((socket) => {
    socket.on("error", () => socket.destroy());
    if (banner !== undefined) socket.write(banner);
    socket.on("data", (d) => {
      if (/QUIT/i.test(d.toString())) socket.end("221 bye\r\n");
    });
  });
  server.listen(port, host);
  await once(server, "listening");
  return closer(server);
}

export interface ServerLoad {
  /** errors/s and requests/s (counters grow with time since start). */
  errorsPerSecond: number;
  requestsPerSecond: number;
  /** Requests slower than a second. */
  slow: boolean;
}

/** A stand-in for a server's node exporter: the series the e2e repo's alerts read. */
export function exporterBody(load: ServerLoad, started: number): string {
  const t = (Date.now() - started) / 1000;
  const requests = load.requestsPerSecond * t;
  const fast = load.slow ? 0 : requests;
  return [
    "queue_length 500",
    `errors_total{kind="e"} ${load.errorsPerSecond * t}`,
    `requests_total{kind="r"} ${requests}`,
    `http_request_duration_seconds_bucket{le="0.1"} ${fast}`,
    `http_request_duration_seconds_bucket{le="1"} ${fast}`,
    `http_request_duration_seconds_bucket{le="+Inf"} ${requests}`,
    "",
  ].join("\n");
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",");
}

/**
 * A stand-in for lab's own /metrics: one series per server about it, labelled with the server's
 * lab_server and lab_alerts (as lab will label them).
 */
export function labMetricsBody(
  servers: readonly { labels: Readonly<Record<string, string>>; puppetFailed: number | null }[],
): string {
  const lines: string[] = [];
  for (const s of servers) {
    const l = labelText({ lab_server: s.labels.lab_server!, lab_alerts: s.labels.lab_alerts! });
    lines.push(`lab_cert_expiry_timestamp_seconds{${l}} 4000000000`);
    if (s.puppetFailed !== null) lines.push(`lab_puppet_run_failed{${l}} ${s.puppetFailed}`);
  }
  return lines.join("\n") + "\n";
}
