/**
 * A git server on 127.0.0.1 for tests: node:http in front of the real `git http-backend` (CGI),
 * serving clone, fetch and push of the bare repositories under `root`. With a `token`, every
 * request must carry `Authorization: Bearer <token>` (401 otherwise).
 */
import { spawn } from "node:child_process";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttpServerOptions {
  /** The folder holding the bare repositories (`GIT_PROJECT_ROOT`). */
  root: string;
  /** The bearer token every request must carry; none means no authentication. */
  token?: string;
  /** A fixed port (to restart a stopped server on the same URL); default any free port. */
  port?: number;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:PORT`; a repository `x.git` under root is `${url}/x.git`. */
  readonly url: string;
  readonly port: number;
  /** Requests served so far, with their status: `GET /x.git/info/refs 401`. */
  readonly requests: string[];
  /** Answers the next `count` requests with `status` (e.g. 503), as a server in trouble does. */
  failNext(count: number, status: number): void;
  stop(): Promise<void>;
}

/** Starts the server; resolves once it listens. */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const requests: string[] = [];
  const failing = { count: 0, status: 503 };
  const server = createServer((req, res) => {
    const line = `${req.method ?? "GET"} ${(req.url ?? "/").split("?")[0]}`;
    res.on("finish", () => requests.push(`${line} ${res.statusCode}`));
    if (failing.count > 0) {
      failing.count -= 1;
      res.writeHead(failing.status).end("try again later\n");
      return;
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="lab-test"' });
      res.end("unauthorized\n");
      return;
    }
    serveCgi(options.root, req, res);
  });
  await listen(server, options.port ?? 0);
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    failNext(count, status) {
      failing.count = count;
      failing.status = status;
    },
    stop: () => close(server),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((err) => (err ? reject(err) : resolve()));
    server.closeAllConnections();
  });
}

/** Runs `git http-backend` for one request: the CGI environment, the body piped in. */
function serveCgi(root: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: "1",
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "http.receivepack",
      GIT_CONFIG_VALUE_0: "true",
      GIT_CONFIG_KEY_1: "uploadpack.allowAnySHA1InWant",
      GIT_CONFIG_VALUE_1: "true",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      CONTENT_LENGTH: req.headers["content-length"] ?? "",
      HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_USER: "lab-test",
      REMOTE_ADDR: "127.0.0.1",
      SERVER_PROTOCOL: "HTTP/1.1",
    },
    stdio: ["pipe", "pipe", "ignore"],
  });
  req.pipe(child.stdin);
  child.stdin.on("error", () => undefined);
  let head = Buffer.alloc(0);
  let headersSent = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = headerEnd(head);
    if (end === undefined) return;
    writeCgiHead(res, head.subarray(0, end.at).toString("latin1"));
    headersSent = true;
    res.write(head.subarray(end.at + end.length));
  });
  child.on("close", () => {
    if (!headersSent) res.writeHead(502).end();
    else res.end();
  });
}

function headerEnd(buf: Buffer): { at: number; length: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { at: crlf, length: 4 };
  return lf >= 0 ? { at: lf, length: 2 } : undefined;
}

/** The CGI header block: `Status: 404 Not Found` sets the status, the rest are headers. */
function writeCgiHead(res: ServerResponse, block: string): void {
  let status = 200;
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]) || 200;
    else res.setHeader(name, value);
  }
  res.writeHead(status);
}
