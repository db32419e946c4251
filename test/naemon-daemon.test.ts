/**
 * The rendered tree run by the real nagios4 daemon (foreground, as root, interval_length=1 so
 * the templates' minutes are seconds) against a loopback SMTP stand-in listening on port 25 and
 * nothing on 587: the service for 587 goes CRITICAL (hard) and notifies the repo's contacts, the
 * one for 25 stays OK. Mail delivery is replaced by a stand-in that appends each notification
 * (with $CONTACTEMAIL$) to a file; everything else is the rendered config as it is.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Artifact } from "../core/renderer.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import {
  FAST_DAEMON,
  loopbackAddress,
  mainConfig,
  standIn,
  writeTree,
  type StandIn,
} from "./naemon-loopback.js";
import { requireTool } from "./tools.js";
import { modelFromYaml } from "./yaml-model.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Runs the daemon with the templates' intervals in seconds and every check scheduled at once. */
const FAST = [...FAST_DAEMON, "enable_notifications=1", "log_notifications=1"];

/** The rendered notification commands with the mail pipe replaced by an append to `log`. */
function mailStandIn(artifacts: readonly Artifact[], log: string): Artifact[] {
  const line = `/usr/bin/printf "%s %s %s %s\\n" "$CONTACTEMAIL$" "$HOSTNAME$" "$SERVICEDESC$" "$SERVICESTATE$" >> ${log}`;
  return artifacts.map((a) => {
    if (a.path !== "naemon/commands.cfg") return a;
    const content = a.content.replace(
      /(command_name\s+lab-notify-service-by-email\n\s+command_line\s+).*\n/,
      `$1${line}\n`,
    );
    expect(content).not.toBe(a.content);
    return { ...a, content };
  });
}

type Status = Map<string, Record<string, string>>;

/** servicestatus blocks of status.dat by service description. */
function serviceStatus(path: string): Status {
  const out: Status = new Map();
  if (!existsSync(path)) return out;
  for (const block of readFileSync(path, "utf8").split("servicestatus {").slice(1)) {
    const fields: Record<string, string> = {};
    for (const m of block.split("}")[0]!.matchAll(/^\s*(\w+)=(.*)$/gm)) fields[m[1]!] = m[2]!;
    if (fields.service_description) out.set(fields.service_description, fields);
  }
  return out;
}

async function until<T>(what: () => T | null, seconds: number): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const value = what();
    if (value !== null) return value;
    if (Date.now() > end) throw new Error(`not reached within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface Daemon {
  process: ChildProcess;
  /** What it printed so far. */
  output(): string;
}

function startDaemon(config: string): Daemon {
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

describe("nagios4 running the rendered tree (mail stand-in)", () => {
  it("turns the closed port's service CRITICAL and notifies the repo's contacts", async () => {
    const address = loopbackAddress();
    const smtp: StandIn = await standIn(address, 25, "smtp");
    cleanups.push(() => smtp.close());
    const model = await modelFromYaml(`
lab:
  contacts:
    ops: { email: ops@example.com }
    pager: { email: pager+mail@example.com, notify: [critical, recovery] }
    muted: { email: muted@example.com, notify: [] }
labels:
  mailserver: { ports: [25, 587], alerts: [smtp_connect] }
servers:
  mail-1: { provider: ssh, labels: [mailserver], address: ${address} }
`);
    const { value, diagnostics } = naemonRenderer.render(model);
    expect(diagnostics).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), "lab-naemon-daemon-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const notified = join(dir, "notified.log");
    writeTree(dir, mailStandIn(value, notified));
    const daemon = startDaemon(mainConfig(dir, FAST));
    const status = join(dir, "var", "status.dat");

    const states = await until(() => {
      if (daemon.process.exitCode !== null) {
        throw new Error(`nagios4 exited ${daemon.process.exitCode}: ${daemon.output()}`);
      }
      const s = serviceStatus(status);
      const closed = s.get("smtp_connect 587");
      const open = s.get("smtp_connect 25");
      const done =
        closed?.current_state === "2" &&
        closed.state_type === "1" &&
        open?.has_been_checked === "1" &&
        existsSync(notified) &&
        readFileSync(notified, "utf8").split("\n").length > 2;
      return done ? s : null;
    }, 60);
    expect(daemon.process.exitCode).toBeNull();
    expect(states.get("smtp_connect 25")).toMatchObject({ current_state: "0" });
    expect(states.get("smtp_connect 25")?.plugin_output).toMatch(/^SMTP OK/);
    expect(states.get("smtp_connect 587")).toMatchObject({ current_state: "2", state_type: "1" });
    expect(states.get("smtp_connect 587")?.plugin_output).toContain("port 587: Connection refused");
    const lines = readFileSync(notified, "utf8").trim().split("\n").sort();
    expect(lines).toEqual([
      "ops@example.com mail-1 smtp_connect 587 CRITICAL",
      "pager+mail@example.com mail-1 smtp_connect 587 CRITICAL",
    ]);
  }, 90_000);
});
