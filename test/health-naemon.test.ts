/**
 * The Naemon health source against the real nagios4 daemon running lab's rendered tree
 * (interval_length=1, so the templates' minutes are seconds): two servers with a tcp_port 8080
 * service (check_tcp), each with a TCP listener on a loopback address of its own. Both read ok
 * through status.dat; then app-2's listener closes, and app-2 alone turns failed, its service
 * CRITICAL with check_tcp's output, while app-1 stays ok. A status.dat that is not there, or
 * is older than the bound, is a source that does not answer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { HealthSnapshot } from "../core/health-source.js";
import { naemonHealthSource } from "../adapters/health/naemon/naemon-source.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import { FAST_DAEMON, loopbackAddress, mainConfig, standIn, writeTree } from "./naemon-loopback.js";
import { healthColumn } from "./health-column.js";
import { requireTool } from "./tools.js";
import { modelFromYaml } from "./yaml-model.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The templates' intervals in seconds, every check scheduled at once, status.dat every second. */
const FAST = [...FAST_DAEMON, "enable_notifications=0"];

function startDaemon(config: string): { process: ChildProcess; output: () => string } {
  const daemon = spawn(requireTool("nagios4"), [config], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  daemon.stdout.on("data", (c: Buffer) => (output += c.toString()));
  daemon.stderr.on("data", (c: Buffer) => (output += c.toString()));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        if (daemon.exitCode !== null) return resolve();
        daemon.once("exit", () => resolve());
        daemon.kill("SIGTERM");
      }),
  );
  return { process: daemon, output: () => output };
}

/** Summary lines of a snapshot: `server state: check=state …`. */
function summary(snap: HealthSnapshot): string[] {
  return [...snap.servers].map(
    ([name, h]) => `${name} ${h.state}: ${h.checks.map((c) => `${c.name}=${c.state}`).join(", ")}`,
  );
}

describe("the Naemon health source on a real nagios4 running the rendered tree", () => {
  it("turns exactly the server whose port closed, read through status.dat", async () => {
    const [a1, a2] = [loopbackAddress(), loopbackAddress()];
    const listener1 = await standIn(a1, 8080, "tcp");
    const listener2 = await standIn(a2, 8080, "tcp");
    cleanups.push(() => listener1.close());
    let closed2 = false;
    cleanups.push(() => (closed2 ? undefined : listener2.close()));
    const text = `
labels:
  app: { ports: [8080] }
servers:
  app-1: { provider: ssh, labels: [app], address: ${a1} }
  app-2: { provider: ssh, labels: [app], address: ${a2} }
`;
    const model = await modelFromYaml(text);
    const { value } = naemonRenderer.render(model);
    const dir = mkdtempSync(join(tmpdir(), "lab-health-naemon-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeTree(dir, value);
    const daemon = startDaemon(mainConfig(dir, FAST));
    const statusFile = join(dir, "var", "status.dat");
    // The same repo with lab.health naming this daemon's status.dat, for `lab get servers`.
    const repoText =
      `lab:\n  health: { sources: [{ name: nagios, kind: naemon, status_file: "${statusFile}", max_age: 30s }] }\n` +
      text;
    const source = naemonHealthSource({
      name: "nagios",
      kind: "naemon",
      timeoutMs: 2_000,
      statusFile,
      maxAgeMs: 30_000,
    });
    const wanted = ["app-1", "app-2", "ghost-1"];
    const until = async (
      done: (s: string[]) => boolean,
      seconds: number,
    ): Promise<HealthSnapshot> => {
      const end = Date.now() + seconds * 1000;
      let last: string[] = [];
      for (;;) {
        if (daemon.process.exitCode !== null) throw new Error(`nagios4 exited: ${daemon.output()}`);
        const snap = await source.read(wanted, AbortSignal.timeout(5_000));
        last = snap.ok ? summary(snap) : [`not ok: ${snap.reason}`];
        if (snap.ok && done(last)) return snap;
        if (Date.now() > end)
          throw new Error(`not reached in ${seconds} s; last: ${last.join(" | ")}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    };

    const healthy = ["app-1 ok: host=ok, tcp_port 8080=ok", "app-2 ok: host=ok, tcp_port 8080=ok"];
    const first = await until((s) => s.join("\n") === healthy.join("\n"), 40);
    expect(summary(first)).toEqual(healthy);
    expect(first.servers.get("app-1")?.checks[1]?.output).toMatch(/^TCP OK/);
    expect(first.servers.has("ghost-1")).toBe(false);
    const okCells = [
      ["app-1", "✓ ok"],
      ["app-2", "✓ ok"],
    ];
    expect((await healthColumn(repoText)).cells).toEqual(okCells);

    await listener2.close();
    closed2 = true;
    const failed = await until((s) => s[1]?.startsWith("app-2 failed") ?? false, 40);
    expect(summary(failed)).toEqual([
      "app-1 ok: host=ok, tcp_port 8080=ok",
      "app-2 failed: host=ok, tcp_port 8080=critical",
    ]);
    const service = failed.servers.get("app-2")!.checks[1]!;
    expect(service.output).toContain("Connection refused");
    expect(service.checkedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(failed.servers.get("app-2")!.alerts).toEqual([]);
    // The HEALTH column of `lab get servers` follows: app-2 alone.
    const column = await healthColumn(repoText, (c) => c.json[1]?.[1] === "failed");
    expect(column.json).toEqual([
      ["app-1", "ok"],
      ["app-2", "failed"],
    ]);
    expect(column.cells[0]).toEqual(okCells[0]);
    expect(column.cells[1]?.[1]).toMatch(/^✗ /);

    const stale = naemonHealthSource(
      { name: "nagios", kind: "naemon", timeoutMs: 2_000, statusFile, maxAgeMs: 30_000 },
      { now: () => Date.now() + 60_000 },
    );
    const old = await stale.read(wanted, AbortSignal.timeout(5_000));
    expect(old.ok).toBe(false);
    expect(old.reason).toMatch(
      / was last written 6\d(\.\d)? s ago \(more than 30 s\): is the daemon running\?$/,
    );
    expect(old.reason?.startsWith(`${statusFile} was last written `)).toBe(true);
    expect(old.servers.size).toBe(0);
  }, 120_000);

  it("answers ok: false with the reason when status.dat is missing", async () => {
    const path = join(tmpdir(), "lab-health-naemon-missing", "status.dat");
    const source = naemonHealthSource({
      name: "nagios",
      kind: "naemon",
      timeoutMs: 2_000,
      statusFile: path,
    });
    const snap = await source.read(["app-1"], AbortSignal.timeout(5_000));
    expect(snap).toMatchObject({
      source: "nagios",
      ok: false,
      reason: `${path}: no such file or directory (ENOENT)`,
    });
    expect(snap.servers.size).toBe(0);
  });
});
