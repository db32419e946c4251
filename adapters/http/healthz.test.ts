import { afterEach, describe, expect, it } from "vitest";
import { type HealthCheck, healthz } from "./healthz.js";
import { type HttpServer, startHttpServer } from "./http-server.js";
import { createLogger } from "./logger.js";

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function probe(
  checks: () => Promise<Record<string, HealthCheck>>,
): Promise<{ status: number; body: unknown }> {
  const logger = createLogger({ silent: true });
  const handler = healthz(checks, logger);
  const server = await startHttpServer({
    host: "127.0.0.1",
    port: 0,
    logger,
    routes: [{ method: "GET", path: "/healthz", handler }],
  });
  servers.push(server);
  const res = await fetch(`${server.url}/healthz`);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return { status: res.status, body: await res.json() };
}

describe("GET /healthz", () => {
  it("answers 200 with every check when all are ok", async () => {
    const checks = { state: { ok: true }, git: { ok: true, detail: "fetched 12 s ago" } };
    expect(await probe(() => Promise.resolve(checks))).toEqual({
      status: 200,
      body: {
        status: "ok",
        checks: { git: { ok: true, detail: "fetched 12 s ago" }, state: { ok: true } },
      },
    });
  });

  it("answers 503 when one check is not ok", async () => {
    const checks = { state: { ok: false, detail: "connection refused" }, git: { ok: true } };
    expect(await probe(() => Promise.resolve(checks))).toEqual({
      status: 503,
      body: {
        status: "unavailable",
        checks: { git: { ok: true }, state: { ok: false, detail: "connection refused" } },
      },
    });
  });

  it("answers 503 when the checks themselves fail, without their error", async () => {
    const res = await probe(() => Promise.reject(new Error("secret detail")));
    expect(res).toEqual({
      status: 503,
      body: {
        status: "unavailable",
        checks: { checks: { ok: false, detail: "the checks could not run" } },
      },
    });
  });
});
