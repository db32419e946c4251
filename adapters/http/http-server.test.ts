import { once } from "node:events";
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LabError } from "../../core/errors.js";
import { type HttpServer, jsonResponse, type Route, startHttpServer } from "./http-server.js";
import { createLogger } from "./logger.js";

/** The log lines the server wrote, parsed. */
function capturedLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: "debug",
    destination: {
      write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
    },
  });
  return { logger, lines };
}

const servers: HttpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(
  routes: Route[],
  extra: { maxBodyBytes?: number; closeTimeoutMs?: number } = {},
) {
  const { logger, lines } = capturedLogger();
  const server = await startHttpServer({ host: "127.0.0.1", port: 0, routes, logger, ...extra });
  servers.push(server);
  return { server, lines };
}

const echo: Route = {
  method: "POST",
  path: "/echo",
  handler: (req) =>
    Promise.resolve(jsonResponse(200, { bytes: req.body.length, text: req.body.toString() })),
};
const hello: Route = {
  method: "GET",
  path: "/pulls/:number",
  handler: (req) =>
    Promise.resolve(jsonResponse(200, { number: req.params.number, q: req.query.get("q") })),
};

describe("startHttpServer", () => {
  it("listens on a free port and routes by method and path, with parameters", async () => {
    const { server } = await serve([echo, hello]);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const got = await fetch(`${server.url}/pulls/7?q=x`);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(await got.json()).toEqual({ number: "7", q: "x" });
    const posted = await fetch(`${server.url}/echo`, { method: "POST", body: "héllo" });
    expect(await posted.json()).toEqual({ bytes: 6, text: "héllo" });
  });

  it("answers an unknown path 404 and a wrong method 405 with Allow, both in JSON", async () => {
    const { server } = await serve([echo, hello]);
    const missing = await fetch(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "no route for /nope" });
    const wrong = await fetch(`${server.url}/echo`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(await wrong.json()).toEqual({ error: "GET is not allowed on /echo (allowed: POST)" });
    const onGet = await fetch(`${server.url}/pulls/1`, { method: "DELETE" });
    expect(onGet.headers.get("allow")).toBe("GET, HEAD");
    const head = await fetch(`${server.url}/pulls/1`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
  });

  it("answers a handler that throws with 500 and a generic body, and logs the error", async () => {
    const boom: Route = {
      method: "GET",
      path: "/boom",
      handler: () => Promise.reject(new Error("database password is hunter2")),
    };
    const { server, lines } = await serve([boom]);
    const res = await fetch(`${server.url}/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).toBe('{"error":"internal error"}\n');
    const logged = lines.find((l) => l.msg === "http handler failed");
    expect(logged).toMatchObject({ level: "error", method: "GET", path: "/boom" });
    expect((logged?.err as { message: string }).message).toBe("database password is hunter2");
    expect(String((logged?.err as { stack: string }).stack)).toContain("http-server.test.ts");
  });

  it("answers 413 for a declared length and for a streamed body over the limit", async () => {
    const { server } = await serve([echo], { maxBodyBytes: 1024 });
    const fits = await fetch(`${server.url}/echo`, { method: "POST", body: "x".repeat(1024) });
    expect(await fits.json()).toMatchObject({ bytes: 1024 });
    const declared = await fetch(`${server.url}/echo`, { method: "POST", body: "x".repeat(1025) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: "the body is larger than 1024 bytes" });
    // No Content-Length: the body comes chunked and is counted as it comes.
    const chunks = [new Uint8Array(600).fill(120), new Uint8Array(600).fill(120)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const init = { method: "POST", body, duplex: "half" } as RequestInit;
    const streamed = await fetch(`${server.url}/echo`, init);
    expect(streamed.status).toBe(413);
  });

  it("fails to listen on a taken port with a LabError naming host and port", async () => {
    const taken = createServer();
    taken.listen(0, "127.0.0.1");
    await once(taken, "listening");
    const port = (taken.address() as { port: number }).port;
    try {
      const start = startHttpServer({
        host: "127.0.0.1",
        port,
        routes: [],
        logger: createLogger({ silent: true }),
      });
      const err = await start.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(LabError);
      expect((err as LabError).code).toBe("IO");
      expect((err as LabError).message).toBe(
        `cannot listen on 127.0.0.1:${port}: the address is in use: another process listens there (EADDRINUSE)`,
      );
    } finally {
      taken.close();
    }
  });

  it("close() waits for a request in flight, then resolves; later requests are refused", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow: Route = {
      method: "GET",
      path: "/slow",
      handler: async () => {
        entered();
        await released;
        return jsonResponse(200, { done: true });
      },
    };
    const { server } = await serve([slow]);
    const pending = fetch(`${server.url}/slow`);
    await inside;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(false);
    release();
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closing;
    expect(closed).toBe(true);
    await expect(fetch(`${server.url}/slow`)).rejects.toThrow();
  });

  it("close() stops waiting after its bound and aborts the handler's signal", async () => {
    let signal: AbortSignal | undefined;
    const stuck: Route = {
      method: "GET",
      path: "/stuck",
      handler: (req) => {
        signal = req.signal;
        return new Promise(() => {});
      },
    };
    const { server, lines } = await serve([stuck], { closeTimeoutMs: 200 });
    const pending = fetch(`${server.url}/stuck`).catch((e: unknown) => e);
    while (!signal) await new Promise((resolve) => setTimeout(resolve, 10));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(signal.aborted).toBe(true);
    expect(await pending).toBeInstanceOf(Error);
    expect(lines.find((l) => l.msg === "http requests cut at close")).toMatchObject({
      requests: 1,
    });
  });
});
