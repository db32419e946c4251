import { readFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SecretValue } from "../../core/secret-backend.js";
import { createMemoryStateStore, type StateStore } from "../../core/state-store.js";
import type { HttpRequest } from "./http-server.js";
import { createMetrics, type LabMetrics } from "./metrics.js";
import { puppetReports } from "./puppet-reports.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/puppet-reports/", import.meta.url));
const FAILED = readFileSync(`${FIXTURES}failed.yaml`);
const CHANGED = readFileSync(`${FIXTURES}changed.yaml`);
const TOKEN = "puppet-token-of-the-test";
const NOW = Date.UTC(2026, 11, 2, 7, 0, 0);
const SERVERS = new Set(["db-1", "web-1"]);

interface Logged {
  level: string;
  message: string;
  fields: Record<string, unknown>;
}

interface Endpoint {
  post(request: Partial<HttpRequest> & { headers?: IncomingHttpHeaders }): Promise<{
    status: number;
    body: Record<string, unknown>;
  }>;
  store: StateStore;
  metrics: LabMetrics;
  logged: Logged[];
}

function endpoint(token?: string): Endpoint {
  const store = createMemoryStateStore();
  const metrics = createMetrics({ processMetrics: false });
  const logged: Logged[] = [];
  const log =
    (level: string) =>
    (fields: Record<string, unknown>, message: string): void =>
      void logged.push({ level, message, fields });
  const handler = puppetReports({
    token: token === undefined ? undefined : new SecretValue(token),
    known: (node) => Promise.resolve(SERVERS.has(node)),
    record: (run, known, signal) => store.recordPuppetRun(run, known, signal),
    logger: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
    metrics,
    now: () => NOW,
  });
  return {
    store,
    metrics,
    logged,
    async post(r) {
      const answer = await handler({
        method: "POST",
        path: "/puppet/reports",
        params: {},
        query: r.query ?? new URLSearchParams(),
        headers: { "content-type": "application/x-yaml", ...r.headers },
        remoteAddress: r.remoteAddress ?? "127.0.0.1",
        body: r.body ?? FAILED,
        signal: new AbortController().signal,
      });
      return {
        status: answer.status,
        body: JSON.parse(String(answer.body)) as Record<string, unknown>,
      };
    },
  };
}

async function counts(metrics: LabMetrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.puppetReports.get()).values)
    out[String(v.labels.result)] = v.value;
  return out;
}

const REMOTE = "192.0.2.9";

describe("POST /puppet/reports", () => {
  it("records a report with the token in the query, a bearer, basic auth's password or X-Lab-Token", async () => {
    const e = endpoint(TOKEN);
    const basic = `Basic ${Buffer.from(`puppet:${TOKEN}`).toString("base64")}`;
    for (const how of [
      { query: new URLSearchParams({ token: TOKEN }) },
      { headers: { authorization: `Bearer ${TOKEN}` } },
      { headers: { authorization: basic } },
      { headers: { "x-lab-token": TOKEN } },
    ]) {
      expect(await e.post({ ...how, remoteAddress: REMOTE })).toEqual({
        status: 200,
        body: { status: "recorded", node: "db-1", known: true },
      });
    }
    expect(await e.store.puppetRun("db-1")).toEqual({
      node: "db-1",
      time: "2026-12-01T18:54:39.481Z",
      status: "failed",
      environment: "production",
      configurationVersion: "1796151279",
      puppetVersion: "7.23.0",
      failures: [
        {
          resource: "Exec[bars-fails]",
          message:
            "change from 'notrun' to ['0'] failed: '/bin/false' returned 1 instead of one of [0]",
          source: null,
        },
      ],
      compileErrors: [],
      classes: ["app::broken"],
      receivedAt: "2026-12-02T07:00:00.000Z",
      known: true,
    });
    expect((await counts(e.metrics)).recorded).toBe(4);
  });

  it("answers 401 to a missing or wrong token and records nothing, even from loopback", async () => {
    const e = endpoint(TOKEN);
    expect(await e.post({})).toEqual({
      status: 401,
      body: {
        error:
          "no token: add ?token=… to the reporturl, or send Authorization: Bearer or X-Lab-Token",
      },
    });
    for (const how of [
      { query: new URLSearchParams({ token: "wrong" }) },
      { headers: { authorization: `Bearer ${TOKEN}x` } },
      { headers: { "x-lab-token": TOKEN.slice(1) } },
    ]) {
      expect(await e.post(how)).toEqual({
        status: 401,
        body: { error: "the token does not match" },
      });
    }
    expect(await e.store.puppetRuns()).toEqual([]);
    expect(await counts(e.metrics)).toMatchObject({ unauthorized: 4, recorded: 0 });
    expect(e.logged.map((l) => [l.level, l.message])).toContainEqual([
      "warn",
      "puppet report unauthorized",
    ]);
  });

  it("without a token takes reports from loopback only", async () => {
    const e = endpoint();
    expect((await e.post({ remoteAddress: "::ffff:127.0.0.1" })).status).toBe(200);
    expect((await e.post({ remoteAddress: "::1", body: CHANGED })).status).toBe(200);
    expect(await e.post({ remoteAddress: REMOTE })).toEqual({
      status: 401,
      body: {
        error: "reports are taken from this machine only: LAB_PUPPET_REPORT_TOKEN is not set",
      },
    });
    expect((await e.store.puppetRuns()).map((r) => r.node)).toEqual(["db-1", "mail-1"]);
  });

  it("records a node that is no lab server, flagged, with a warning", async () => {
    const e = endpoint();
    expect(await e.post({ body: CHANGED })).toEqual({
      status: 200,
      body: { status: "recorded", node: "mail-1", known: false },
    });
    expect(await e.store.puppetRun("mail-1")).toMatchObject({ status: "changed", known: false });
    expect(e.logged).toContainEqual({
      level: "warn",
      message: "puppet report from a node that is not a lab server",
      fields: { node: "mail-1", status: "changed", failures: 0, known: false },
    });
    expect((await counts(e.metrics))["unknown-node"]).toBe(1);
  });

  it("keeps the newer run when an older report comes late", async () => {
    const e = endpoint();
    const later = Buffer.from(
      FAILED.toString().replace("time: '2026-12-01T18", "time: '2026-12-01T19"),
    );
    expect((await e.post({ body: later })).body.status).toBe("recorded");
    expect(await e.post({})).toEqual({ status: 200, body: { status: "stale", node: "db-1" } });
    expect((await e.store.puppetRun("db-1"))?.time).toBe("2026-12-01T19:54:39.481Z");
  });

  it("answers 400 with the reason to a malformed report, 415 to another content type, 413 past 16 MB", async () => {
    const e = endpoint();
    expect(await e.post({ body: Buffer.from("status: failed\ntime: now\n") })).toEqual({
      status: 400,
      body: { error: "the report has no host (the node's certname)" },
    });
    expect(
      (
        await e.post({
          body: Buffer.from("{ not json"),
          headers: { "content-type": "application/json" },
        })
      ).status,
    ).toBe(400);
    expect(await e.post({ headers: { "content-type": "text/plain" } })).toEqual({
      status: 415,
      body: {
        error:
          'content type "text/plain": expected application/x-yaml, text/yaml or application/json',
      },
    });
    expect(await e.post({ body: Buffer.alloc(16 * 1024 * 1024 + 1, 0x20) })).toEqual({
      status: 413,
      body: { error: "the report is larger than 16777216 bytes" },
    });
    expect(await e.store.puppetRuns()).toEqual([]);
    expect(await counts(e.metrics)).toMatchObject({ malformed: 3, "too-large": 1 });
  });
});
