import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../adapters/http/logger.js";
import { matchRoute, startHttpServer, type HttpServer } from "../adapters/http/http-server.js";
import { memorySource } from "../reconciler/load/memory-source.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { SMALL_REPO } from "../test/cli-harness.js";
import { authorize, isLoopback } from "./serve-api-auth.js";
import { appliedModel, readApiRoutes } from "./serve-api.js";
import { takeServerFlag } from "./serve-client.js";

const TOKEN = "api-token-of-the-test";

describe("isLoopback", () => {
  it("takes 127.0.0.0/8, ::1 and IPv4 loopback written as IPv6", () => {
    for (const a of ["127.0.0.1", "127.3.2.1", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"]) {
      expect(isLoopback(a), a).toBe(true);
    }
  });
  it("refuses every other address, and an unknown one", () => {
    for (const a of ["192.0.2.2", "10.0.0.1", "::ffff:10.0.0.1", "fd00::1", "::", "::2", "1::1"]) {
      expect(isLoopback(a), a).toBe(false);
    }
    expect(isLoopback(undefined)).toBe(false);
    expect(isLoopback("128.0.0.1")).toBe(false);
  });
});

describe("authorize", () => {
  it("loopback needs nothing, with or without a token set", () => {
    expect(authorize("127.0.0.1", undefined, undefined)).toEqual({ ok: true });
    expect(authorize("::1", undefined, TOKEN)).toEqual({ ok: true });
  });
  it("another machine without LAB_API_TOKEN set: refused, even with a header", () => {
    const verdict = authorize("192.0.2.9", `Bearer ${TOKEN}`, undefined);
    expect(verdict).toEqual({
      ok: false,
      error: "the read API answers only the machine itself: LAB_API_TOKEN is not set",
    });
  });
  it("another machine: the right bearer token only", () => {
    expect(authorize("192.0.2.9", `Bearer ${TOKEN}`, TOKEN)).toEqual({ ok: true });
    expect(authorize("192.0.2.9", `bearer ${TOKEN}`, TOKEN)).toEqual({ ok: true });
    for (const header of [undefined, "", TOKEN, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, "Bearer "]) {
      expect(authorize("192.0.2.9", header, TOKEN).ok, String(header)).toBe(false);
    }
    expect(authorize(undefined, undefined, TOKEN).ok).toBe(false);
  });
});

describe("takeServerFlag", () => {
  const value = new Set(["--repo"]);
  it("takes --server URL from before the verb only", () => {
    expect(takeServerFlag(["--server", "http://h:1", "get", "servers"], value)).toEqual({
      server: "http://h:1",
      argv: ["get", "servers"],
      verb: "get",
    });
    expect(takeServerFlag(["--repo", "get", "--server=http://h:1", "show"], value)).toEqual({
      server: "http://h:1",
      argv: ["--repo", "get", "show"],
      verb: "show",
    });
  });
  it("leaves a verb's own --server (the selector flag of lab get) alone", () => {
    const argv = ["get", "servers", "--server", "web-1"];
    expect(takeServerFlag(argv, value)).toEqual({ server: null, argv, verb: "get" });
  });
  it("a --server without a URL is a usage error", () => {
    expect(() => takeServerFlag(["--server"], value)).toThrow(/expected the URL/);
  });
});

describe("the read API over HTTP: loopback is free, another address needs the token", () => {
  const servers: HttpServer[] = [];
  const start = async (host: string, token?: string) => {
    const routes = readApiRoutes({
      store: { lastGoodRevision: () => Promise.resolve("c0ffee") },
      git: { tree: () => Promise.resolve({ ...memorySource(SMALL_REPO), revision: "c0ffee" }) },
      check: async (source) => ({ checked: await checkRepo(source), key: null }),
      token,
    });
    const logger = createLogger({ silent: true });
    const server = await startHttpServer({ host, port: 0, routes, logger });
    servers.push(server);
    return server.url;
  };
  let loopback = "";
  beforeAll(async () => {
    loopback = await start("127.0.0.1");
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it("loopback without a token: 200, with the revision answered", async () => {
    const res = await fetch(`${loopback}/api/v1/servers`);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-lab-revision")).toBe("c0ffee");
    const body = (await res.json()) as { items: { name: string }[] };
    expect(body.items.map((i) => i.name)).toEqual(["db-1", "web-1"]);
  });

  /** The route answering `path`, asked as from `remoteAddress` (another machine). */
  const askFrom = async (remoteAddress: string, path: string, token?: string, auth?: string) => {
    const routes = readApiRoutes({
      store: { lastGoodRevision: () => Promise.resolve("c0ffee") },
      git: { tree: () => Promise.resolve({ ...memorySource(SMALL_REPO), revision: "c0ffee" }) },
      check: async (source) => ({ checked: await checkRepo(source), key: null }),
      token,
    });
    const { route, params } = matchRoute(routes, "GET", path);
    return route!.handler({
      method: "GET",
      path,
      params,
      query: new URLSearchParams(),
      headers: auth ? { authorization: auth } : {},
      remoteAddress,
      body: Buffer.alloc(0),
      signal: new AbortController().signal,
    });
  };

  it("another address: 401 without LAB_API_TOKEN set", async () => {
    const res = await askFrom("192.0.2.9", "/api/v1/servers", undefined, `Bearer ${TOKEN}`);
    expect(res.status).toBe(401);
    expect(res.headers?.["www-authenticate"]).toBe("Bearer");
  });

  it("another address with LAB_API_TOKEN: the right token only", async () => {
    const ask = (auth?: string) => askFrom("192.0.2.9", "/api/v1/labels/web", TOKEN, auth);
    expect((await ask()).status).toBe(401);
    expect((await ask("Bearer wrong")).status).toBe(401);
    const res = await ask(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect((JSON.parse(String(res.body)) as { name: string }).name).toBe("web");
  });
});

describe("appliedModel: the store's last good revision, checked once while it stays applied", () => {
  it("reads the applied revision's tree, not another; checks again when it changes", async () => {
    let revision: string | null = null;
    const trees: string[] = [];
    let checks = 0;
    const applied = appliedModel({
      store: { lastGoodRevision: () => Promise.resolve(revision) },
      git: {
        tree: (r) => {
          trees.push(r);
          return Promise.resolve({ ...memorySource(SMALL_REPO), revision: r });
        },
      },
      check: async (source) => {
        checks++;
        return { checked: await checkRepo(source), key: null };
      },
    });
    await expect(applied()).rejects.toThrow();
    revision = "a".repeat(40);
    const [one, two] = await Promise.all([applied(), applied()]);
    expect(one.revision).toBe(revision);
    expect(two).toBe(one);
    expect(one.model.servers.map((s) => s.name)).toEqual(["db-1", "web-1"]);
    revision = "b".repeat(40);
    expect((await applied()).revision).toBe(revision);
    expect(trees).toEqual(["a".repeat(40), "b".repeat(40)]);
    expect(checks).toBe(2);
  });

  it("nothing applied yet: 503 {error: nothing applied yet}", async () => {
    const routes = readApiRoutes({
      store: { lastGoodRevision: () => Promise.resolve(null) },
      git: { tree: () => Promise.reject(new Error("not asked")) },
      check: () => Promise.reject(new Error("not asked")),
    });
    const logger = createLogger({ silent: true });
    const server = await startHttpServer({ host: "127.0.0.1", port: 0, routes, logger });
    try {
      const res = await fetch(`${server.url}/api/v1/servers/web-1`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: "nothing applied yet" });
    } finally {
      await server.close();
    }
  });
});
