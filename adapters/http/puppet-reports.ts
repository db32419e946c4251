/**
 * `POST /puppet/reports` (docs/serve.md, "Puppet reports"): what Puppet's own `http` report
 * processor sends (`reports = http`, `reporturl = http://lab:7443/puppet/reports?token=…`). The
 * token LAB_PUPPET_REPORT_TOKEN comes as `?token=`, `Authorization: Bearer`, the password of
 * `Authorization: Basic` (a reporturl with `user:token@`) or `X-Lab-Token`, compared in constant
 * time; without a token configured only the machine itself may report. The run is kept as its
 * node's last; a node that is not a server of the applied revision is kept too, flagged.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { PuppetRun } from "../../core/puppet-run.js";
import type { SecretValue } from "../../core/secret-backend.js";
import { MAX_REPORT_BYTES, readPuppetReport, reportFormat } from "../puppet/read-report.js";
import {
  type HttpHandler,
  type HttpLogger,
  type HttpRequest,
  type HttpResponse,
  jsonResponse,
} from "./http-server.js";

export const PUPPET_REPORT_RESULTS = [
  "recorded",
  "unknown-node",
  "stale",
  "unauthorized",
  "malformed",
  "too-large",
] as const;
export type PuppetReportResult = (typeof PUPPET_REPORT_RESULTS)[number];

export interface PuppetReportsOptions {
  /** LAB_PUPPET_REPORT_TOKEN; without one, reports are taken from loopback only. */
  readonly token?: SecretValue | undefined;
  /** Whether `node` is a server of the applied revision (false when nothing is applied). */
  readonly known: (node: string, signal: AbortSignal) => Promise<boolean>;
  /** Keeps the run as the node's last; false when a newer one is kept already. */
  readonly record: (run: PuppetRun, known: boolean, signal: AbortSignal) => Promise<boolean>;
  readonly logger: HttpLogger;
  /** Where each report's result is counted (`lab_puppet_reports_total`). */
  readonly metrics: {
    readonly puppetReports: { inc(labels: { result: PuppetReportResult }): void };
  };
  /** Now, in ms (default the system clock): the run's `receivedAt`. */
  readonly now?: () => number;
}

/** 127.0.0.0/8, ::1, and IPv4 loopback written as IPv6 (`::ffff:127.0.0.1`). */
function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address.replace(/^::ffff:/i, ""))) return true;
  return /^(0{0,4}:){2,7}0{0,3}1$/.test(address);
}

function header(request: HttpRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every token the request carries, wherever it carries one. */
function tokensOf(request: HttpRequest): string[] {
  const tokens = request.query.getAll("token");
  const authorization = header(request, "authorization") ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (bearer) tokens.push(bearer);
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization)?.[1];
  if (basic) {
    const pair = Buffer.from(basic, "base64").toString("utf8");
    if (pair.includes(":")) tokens.push(pair.slice(pair.indexOf(":") + 1));
  }
  const own = header(request, "x-lab-token");
  if (own) tokens.push(own);
  return tokens;
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** Null when the request may report; otherwise why not. */
function refusal(request: HttpRequest, token: SecretValue | undefined): string | null {
  if (!token) {
    if (isLoopback(request.remoteAddress)) return null;
    return "reports are taken from this machine only: LAB_PUPPET_REPORT_TOKEN is not set";
  }
  const tokens = tokensOf(request);
  if (tokens.length === 0) {
    return "no token: add ?token=… to the reporturl, or send Authorization: Bearer or X-Lab-Token";
  }
  // Digests of equal length, so that the comparison takes the same time whatever the token.
  const want = digest(token.reveal());
  return tokens.some((t) => timingSafeEqual(digest(t), want)) ? null : "the token does not match";
}

export function puppetReports(options: PuppetReportsOptions): HttpHandler {
  const { logger, metrics } = options;
  const now = options.now ?? Date.now;
  const token = options.token && options.token.reveal().trim() !== "" ? options.token : undefined;
  const answer = (result: PuppetReportResult, status: number, body: object): HttpResponse => {
    metrics.puppetReports.inc({ result });
    return jsonResponse(status, body);
  };

  return async (request) => {
    const peer = request.remoteAddress;
    const refused = refusal(request, token);
    if (refused) {
      logger.warn({ peer, reason: refused }, "puppet report unauthorized");
      return answer("unauthorized", 401, { error: refused });
    }
    if (request.body.length > MAX_REPORT_BYTES) {
      logger.warn({ peer, bytes: request.body.length }, "puppet report too large");
      return answer("too-large", 413, {
        error: `the report is larger than ${MAX_REPORT_BYTES} bytes`,
      });
    }
    const type = header(request, "content-type");
    const format = reportFormat(type);
    if (!format) {
      const error = `content type ${JSON.stringify(type ?? "")}: expected application/x-yaml, text/yaml or application/json`;
      logger.warn({ peer, reason: error }, "puppet report malformed");
      return answer("malformed", 415, { error });
    }
    const read = readPuppetReport(request.body, format, new Date(now()).toISOString());
    if (read.kind !== "run") {
      logger.warn({ peer, reason: read.reason }, "puppet report malformed");
      const status = read.kind === "too-large" ? 413 : 400;
      return answer(read.kind, status, { error: read.reason });
    }
    const { run } = read;
    const known = await options.known(run.node, request.signal).catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ node: run.node, reason }, "puppet report: the applied servers are not known");
      return false;
    });
    const kept = await options.record(run, known, request.signal);
    const fields = { node: run.node, status: run.status, failures: run.failures.length, known };
    if (!kept) {
      logger.info({ ...fields, time: run.time }, "puppet report older than the one kept");
      return answer("stale", 200, { status: "stale", node: run.node });
    }
    if (!known) logger.warn(fields, "puppet report from a node that is not a lab server");
    else logger.info(fields, "puppet report recorded");
    const body = { status: "recorded", node: run.node, known };
    return answer(known ? "recorded" : "unknown-node", 200, body);
  };
}
