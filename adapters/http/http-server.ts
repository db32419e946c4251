/**
 * The HTTP server of `lab serve` (docs/serve.md, "HTTP surface"): node:http and a router of a few
 * lines. Four routes, fixed at start, matched on exact segments (`:name` for a parameter), need
 * no framework: a framework would bring its own body parsing (the webhook needs the raw bytes it
 * was signed over), its own error pages and its own logger. Bodies are read with a size limit;
 * a handler that throws answers 500 with a generic body; `close` waits for the requests in
 * flight, bounded.
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { LabError } from "../../core/errors.js";
import { ioReason } from "../../core/io-reason.js";

/** GitHub caps a webhook payload at 25 MB; nothing lab takes is larger. */
export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
/** How long `close` waits for requests in flight before it cuts them. */
export const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface HttpRequest {
  readonly method: string;
  /** The path without the query: `/hooks/github`. */
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The client's address (the socket's peer; a proxy in front shows as itself). */
  readonly remoteAddress: string | undefined;
  /** The raw body, exactly as it came (a signature is computed over these bytes). */
  readonly body: Buffer;
  /** Aborted when the client goes away or `close` stops waiting. */
  readonly signal: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type HttpHandler = (request: HttpRequest) => Promise<HttpResponse>;

export interface Route {
  readonly method: HttpMethod;
  /** `/healthz`, `/api/v1/pulls/:number`. */
  readonly path: string;
  readonly handler: HttpHandler;
}

/** The part of a pino logger the server uses: a static message, data as fields. */
export interface HttpLogger {
  debug(fields: Record<string, unknown>, message: string): void;
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export interface HttpServerOptions {
  readonly host: string;
  /** 0 takes a free port (tests). */
  readonly port: number;
  readonly routes: readonly Route[];
  readonly logger: HttpLogger;
  readonly maxBodyBytes?: number;
  readonly closeTimeoutMs?: number;
}

export interface HttpServer {
  /** `http://127.0.0.1:8080` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, waits for the requests in flight (bounded), then resolves. */
  close(): Promise<void>;
}

/** A JSON answer: one line and a newline. */
export function jsonResponse(
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): HttpResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
    body: `${JSON.stringify(value)}\n`,
  };
}

interface Match {
  readonly route: Route | undefined;
  readonly params: Record<string, string>;
  /** Methods the path takes, when it matched a path but not the method. */
  readonly allow: readonly string[];
}

function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":") && g !== "") {
      const value = decodeSegment(g);
      if (value === null) return null;
      params[w.slice(1)] = value;
    } else if (w !== g) return null;
  }
  return params;
}

/** The route for a method and path; HEAD is answered by the GET route. */
export function matchRoute(routes: readonly Route[], method: string, path: string): Match {
  const wanted = method === "HEAD" ? "GET" : method;
  const allow = new Set<string>();
  for (const route of routes) {
    const params = matchPath(route.path, path);
    if (!params) continue;
    if (route.method === wanted) return { route, params, allow: [] };
    allow.add(route.method);
    if (route.method === "GET") allow.add("HEAD");
  }
  return { route: undefined, params: {}, allow: [...allow].sort() };
}

type Body = { kind: "read"; bytes: Buffer } | { kind: "too-large" };

function readBody(req: IncomingMessage, maxBytes: number): Promise<Body> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > maxBytes) return Promise.resolve({ kind: "too-large" });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxBytes) {
        settled = true;
        resolve({ kind: "too-large" });
      } else chunks.push(chunk);
    });
    req.on("end", () => {
      if (settled) return;
      settled = true;
      resolve({ kind: "read", bytes: Buffer.concat(chunks) });
    });
    req.on("error", (err) => {
      if (settled) return;
      settled = true;
      reject(err);
    });
  });
}

const LISTEN_WORDS: Readonly<Record<string, string>> = {
  EADDRINUSE: "the address is in use: another process listens there",
  EACCES: "permission denied: ports below 1024 need privileges",
  EADDRNOTAVAIL: "this machine has no such address",
  ENOTFOUND: "no such host",
};

function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => {
      const where = hostPort(host, port);
      reject(
        new LabError("IO", `cannot listen on ${where}: ${ioReason(err, LISTEN_WORDS)}`, {
          cause: err,
        }),
      );
    };
    server.once("error", onError);
    server.listen({ host, port }, () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

interface Served {
  readonly routes: readonly Route[];
  readonly logger: HttpLogger;
  readonly maxBodyBytes: number;
  readonly closing: () => boolean;
}

/** The answer to one request: routed, its body read, its handler run. */
async function answerFor(
  ctx: Served,
  req: IncomingMessage,
  url: URL,
  signal: AbortSignal,
): Promise<HttpResponse> {
  const { routes, logger, maxBodyBytes } = ctx;
  const method = req.method ?? "GET";
  if (ctx.closing()) return jsonResponse(503, { error: "shutting down" }, { connection: "close" });
  const { route, params, allow } = matchRoute(routes, method, url.pathname);
  if (!route) {
    if (allow.length === 0) return jsonResponse(404, { error: `no route for ${url.pathname}` });
    const error = `${method} is not allowed on ${url.pathname} (allowed: ${allow.join(", ")})`;
    return jsonResponse(405, { error }, { allow: allow.join(", ") });
  }
  const body = await readBody(req, maxBodyBytes);
  if (body.kind === "too-large") {
    const error = `the body is larger than ${maxBodyBytes} bytes`;
    return jsonResponse(413, { error }, { connection: "close" });
  }
  const request: HttpRequest = {
    method,
    path: url.pathname,
    params,
    query: url.searchParams,
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
    body: body.bytes,
    signal,
  };
  try {
    return await route.handler(request);
  } catch (err) {
    logger.error({ err, method, path: url.pathname }, "http handler failed");
    return jsonResponse(500, { error: "internal error" });
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { host, routes, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const inFlight = new Set<AbortController>();
  let drained: (() => void) | undefined;
  let closing = false;
  const ctx: Served = { routes, logger, maxBodyBytes, closing: () => closing };

  const respond = (res: ServerResponse, answer: HttpResponse): void => {
    res.writeHead(answer.status, {
      ...answer.headers,
      "content-length": Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  };

  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    signal: AbortSignal,
  ): Promise<void> {
    const method = req.method ?? "GET";
    const started = performance.now();
    const url = URL.parse(req.url ?? "/", "http://lab.invalid");
    const answer = url
      ? await answerFor(ctx, req, url, signal)
      : jsonResponse(400, { error: "the request's target is not a path" });
    if (res.destroyed) return;
    respond(res, answer);
    const ms = Math.round(performance.now() - started);
    logger.debug({ method, path: url?.pathname, status: answer.status, ms }, "http request");
  }

  const server = createServer((req, res) => {
    const controller = new AbortController();
    inFlight.add(controller);
    res.on("close", () => {
      if (!res.writableFinished) controller.abort(new Error("the client went away"));
      inFlight.delete(controller);
      if (inFlight.size === 0) drained?.();
    });
    serve(req, res, controller.signal).catch((err: unknown) => {
      // Only reading the body can fail here (the client reset the connection mid-body).
      logger.debug({ err: String(err), path: req.url }, "http request not read");
      res.destroy();
    });
  });
  const port = await listen(server, host, options.port);

  let closed: Promise<void> | undefined;
  async function stop(): Promise<void> {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => (drained = resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, closeTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (inFlight.size > 0) {
        logger.warn(
          { requests: inFlight.size, timeoutMs: closeTimeoutMs },
          "http requests cut at close",
        );
        for (const controller of inFlight) controller.abort(new Error("the server is closing"));
      }
    }
    server.closeAllConnections();
    await stopped;
  }

  const close = (): Promise<void> => (closed ??= stop());
  return { url: `http://${hostPort(host, port)}`, port, close };
}
