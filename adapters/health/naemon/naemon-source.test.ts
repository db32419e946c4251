import { once } from "node:events";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { statusDat } from "../../../test/health-samples.js";
import { naemonHealthSource } from "./naemon-source.js";

const dir = mkdtempSync(join(tmpdir(), "lab-naemon-source-"));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

const signal = () => new AbortController().signal;

describe("the Naemon health source over status.dat (laid out as nagios4 writes it)", () => {
  const path = join(dir, "status.dat");
  writeFileSync(
    path,
    statusDat([
      { host: "app-1", service: null, state: 0, output: "PING OK" },
      { host: "app-1", service: "tcp_port 8080", state: 2, output: "Connection refused" },
      { host: "stock-host", service: null, state: 1, output: "down" },
    ]),
  );

  it("reports lab's servers the file names, by host name", async () => {
    const source = naemonHealthSource({
      name: "nagios",
      kind: "naemon",
      timeoutMs: 1000,
      statusFile: path,
    });
    const snap = await source.read(["app-1", "app-2"], signal());
    expect([snap.source, snap.ok, snap.reason]).toEqual(["nagios", true, null]);
    expect([...snap.servers.keys()]).toEqual(["app-1"]);
    expect(snap.servers.get("app-1")).toEqual({
      state: "failed",
      alerts: [],
      checks: [
        { name: "host", state: "ok", output: "PING OK", checkedAt: "2026-12-02T06:50:07.000Z" },
        {
          name: "tcp_port 8080",
          state: "critical",
          output: "Connection refused",
          checkedAt: "2026-12-02T06:50:12.000Z",
        },
      ],
    });
  });

  it("answers ok: false when the file is older than max_age", async () => {
    const old = join(dir, "old.dat");
    writeFileSync(old, statusDat([]));
    const tenMinutesAgo = (Date.now() - 600_000) / 1000;
    utimesSync(old, tenMinutesAgo, tenMinutesAgo);
    const source = naemonHealthSource({
      name: "n",
      kind: "naemon",
      timeoutMs: 1000,
      statusFile: old,
    });
    const snap = await source.read(["app-1"], signal());
    expect(snap.ok).toBe(false);
    expect(snap.reason).toMatch(
      /^.*old\.dat was last written 600(\.\d)? s ago \(more than 300 s\): is the daemon running\?$/,
    );
  });
});

/**
 * A stand-in for a Livestatus socket (no livestatus module is installed here): it reads one
 * request up to the blank line and answers the columns asked for, from `rows`, as fixed16 JSON.
 */
function livestatusStandIn(
  path: string,
  answer: (request: string, socket: Socket) => void,
): Promise<Server> {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    let request = "";
    socket.on("data", (chunk: Buffer) => {
      request += chunk.toString();
      if (request.endsWith("\n\n")) answer(request, socket);
    });
    socket.on("error", () => socket.destroy());
  });
  servers.push(server);
  server.listen(path);
  return once(server, "listening").then(() => server);
}

function fixed16(status: number, body: string): string {
  return `${status} ${String(Buffer.byteLength(body)).padStart(11)}\n${body}`;
}

describe("the Naemon health source over Livestatus (a stand-in socket)", () => {
  it("asks GET hosts and GET services in JSON and reads the rows", async () => {
    const socket = join(dir, "live");
    const asked: string[] = [];
    await livestatusStandIn(socket, (request, s) => {
      asked.push(request);
      const rows = request.startsWith("GET hosts")
        ? [["app-1", 0, "PING OK", 1796194207, 1, 1]]
        : [
            ["app-1", "tcp_port 8080", 1, "TCP WARNING – slow", 1796194212, 1, 1],
            ["other", "x", 2, "bad", 1796194212, 1, 1],
          ];
      s.end(fixed16(200, JSON.stringify(rows)));
    });
    const source = naemonHealthSource({
      name: "live",
      kind: "naemon",
      timeoutMs: 1000,
      livestatus: socket,
      statusFile: join(dir, "not-read.dat"),
    });
    const snap = await source.read(["app-1"], signal());
    expect(asked.sort()).toEqual([
      "GET hosts\nColumns: name state plugin_output last_check has_been_checked state_type\nOutputFormat: json\nResponseHeader: fixed16\n\n",
      "GET services\nColumns: host_name description state plugin_output last_check has_been_checked state_type\nOutputFormat: json\nResponseHeader: fixed16\n\n",
    ]);
    expect(snap.ok).toBe(true);
    expect(snap.servers.get("app-1")).toEqual({
      state: "warn",
      alerts: [],
      checks: [
        { name: "host", state: "ok", output: "PING OK", checkedAt: "2026-12-02T06:50:07.000Z" },
        {
          name: "tcp_port 8080",
          state: "warning",
          output: "TCP WARNING – slow",
          checkedAt: "2026-12-02T06:50:12.000Z",
        },
      ],
    });
  });

  it("answers ok: false for an error status, a bad header, a missing socket and a silent one", async () => {
    const cases: [string, (request: string, s: Socket) => void, string][] = [
      [
        "err",
        (_r, s) => s.end(fixed16(400, "Invalid GET request, no such table 'hostz'\n")),
        "status 400: Invalid GET request",
      ],
      [
        "hdr",
        (_r, s) => s.end("HTTP/1.1 400 Bad\r\n\r\n"),
        'not a Livestatus answer ("HTTP/1.1 400 Bad")',
      ],
      ["cut", (_r, s) => s.end(fixed16(200, "[[1]]").slice(0, 18)), "the answer was cut short"],
      ["txt", (_r, s) => s.end(fixed16(200, "app-1;0\n")), "the answer is not a JSON list of rows"],
      ["mute", () => undefined, "timed out after 300 ms"],
    ];
    for (const [name, answer, reason] of cases) {
      const socket = join(dir, name);
      await livestatusStandIn(socket, answer);
      const source = naemonHealthSource({
        name,
        kind: "naemon",
        timeoutMs: 300,
        livestatus: socket,
      });
      const snap = await source.read(["app-1"], signal());
      expect([snap.ok, snap.servers.size]).toEqual([false, 0]);
      expect(snap.reason).toContain(reason);
    }
    const missing = naemonHealthSource({
      name: "gone",
      kind: "naemon",
      timeoutMs: 300,
      livestatus: join(dir, "nothing"),
    });
    expect((await missing.read(["app-1"], signal())).reason).toBe(
      `${join(dir, "nothing")}: connect ENOENT ${join(dir, "nothing")}`,
    );
  });
});
