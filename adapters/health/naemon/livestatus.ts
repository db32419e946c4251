/**
 * Livestatus (the query socket of Naemon and of Nagios with the livestatus module): one
 * `GET hosts` and one `GET services` over the unix socket, `OutputFormat: json` with a
 * `fixed16` response header, each on its own connection, which the daemon closes after the
 * answer. A failure is a short reason, never an exception, except the caller's own abort.
 */
import { createConnection } from "node:net";
import type { NaemonStatus } from "./naemon-health.js";

export type Answer<T> = { ok: true; value: T } | { ok: false; reason: string };

const HOST_COLUMNS = [
  "name",
  "state",
  "plugin_output",
  "last_check",
  "has_been_checked",
  "state_type",
];
const SERVICE_COLUMNS = [
  "host_name",
  "description",
  "state",
  "plugin_output",
  "last_check",
  "has_been_checked",
  "state_type",
];

/** A Livestatus request: the table, its columns, JSON, the fixed16 header; a blank line ends it. */
export function livestatusRequest(table: string, columns: readonly string[]): string {
  return [
    `GET ${table}`,
    `Columns: ${columns.join(" ")}`,
    "OutputFormat: json",
    "ResponseHeader: fixed16",
    "",
    "",
  ].join("\n");
}

/** The body of a fixed16 answer (`200          123\n` then 123 bytes), or the daemon's reason. */
export function fixed16Body(answer: Buffer): Answer<string> {
  if (answer.length < 16) return { ok: false, reason: "the answer ended before its header" };
  const header = answer.subarray(0, 16).toString("latin1");
  const match = /^(\d{3}) +(\d+)\n$/.exec(header);
  if (!match) return { ok: false, reason: `not a Livestatus answer ("${header.trim()}")` };
  const length = Number(match[2]);
  const body = answer.subarray(16, 16 + length).toString("utf8");
  if (answer.length - 16 < length) return { ok: false, reason: "the answer was cut short" };
  if (match[1] !== "200") return { ok: false, reason: `status ${match[1]}: ${body.trim()}` };
  return { ok: true, value: body };
}

/** Sends `request` on the socket at `path` and collects the answer until the daemon closes. */
function exchange(path: string, request: string, signal: AbortSignal): Promise<Answer<Buffer>> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = createConnection({ path });
    const done = (answer: Answer<Buffer>): void => {
      signal.removeEventListener("abort", onAbort);
      socket.destroy();
      resolve(answer);
    };
    const onAbort = (): void => done({ ok: false, reason: "aborted" });
    signal.addEventListener("abort", onAbort, { once: true });
    socket.on("connect", () => socket.end(request));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (err) => done({ ok: false, reason: `${path}: ${err.message}` }));
    socket.on("end", () => done({ ok: true, value: Buffer.concat(chunks) }));
  });
}

async function table(
  path: string,
  name: string,
  columns: readonly string[],
  signal: AbortSignal,
): Promise<Answer<unknown[][]>> {
  const answer = await exchange(path, livestatusRequest(name, columns), signal);
  if (!answer.ok) return answer;
  const body = fixed16Body(answer.value);
  if (!body.ok) return { ok: false, reason: `GET ${name}: ${body.reason}` };
  try {
    const rows = JSON.parse(body.value) as unknown;
    if (Array.isArray(rows) && rows.every(Array.isArray)) return { ok: true, value: rows };
  } catch {
    // falls through to the reason below
  }
  return { ok: false, reason: `GET ${name}: the answer is not a JSON list of rows` };
}

function text(value: unknown): string {
  if (typeof value === "string") return value;
  return typeof value === "number" || typeof value === "boolean" ? String(value) : "";
}

function num(value: unknown): number {
  const n = typeof value === "number" ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

function hostStatus(row: readonly unknown[]): NaemonStatus {
  const [name, state, output, lastCheck, checked, stateType] = row;
  return {
    host: text(name),
    service: null,
    state: num(state),
    output: text(output),
    lastCheck: num(lastCheck),
    checked: num(checked) === 1,
    hard: num(stateType) === 1,
  };
}

function serviceStatus(row: readonly unknown[]): NaemonStatus {
  const [host, description, state, output, lastCheck, checked, stateType] = row;
  return {
    ...hostStatus([host, state, output, lastCheck, checked, stateType]),
    service: text(description),
  };
}

/** Every host and service status the daemon answers with. `signal` bounds both queries. */
export async function livestatusStatuses(
  path: string,
  signal: AbortSignal,
): Promise<Answer<NaemonStatus[]>> {
  const [hosts, services] = await Promise.all([
    table(path, "hosts", HOST_COLUMNS, signal),
    table(path, "services", SERVICE_COLUMNS, signal),
  ]);
  if (!hosts.ok) return hosts;
  if (!services.ok) return services;
  return {
    ok: true,
    value: [...hosts.value.map(hostStatus), ...services.value.map(serviceStatus)],
  };
}
