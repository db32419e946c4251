/**
 * Every rendered service's command line, with its macros substituted as Naemon does, run with
 * the real monitoring plugins against loopback stand-ins: a listening service is OK, a closed
 * port CRITICAL, and a TLS port that answers without TLS CRITICAL (so it is checked with TLS).
 */
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Artifact } from "../core/renderer.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import { loopbackAddress, standIn, type Protocol, type StandIn } from "./naemon-loopback.js";
import { NAGIOS_PLUGINS, requireTool } from "./tools.js";
import { modelFromYaml } from "./yaml-model.js";

interface Run {
  service: string;
  code: number;
  output: string;
}

/** `define <type> { … }` blocks of a rendered file as key -> value maps. */
function objects(content: string, type: string): Map<string, string>[] {
  const blocks = content.split(`define ${type} {\n`).slice(1);
  return blocks.map(
    (block) =>
      new Map(
        block
          .split("\n}")[0]!
          .split("\n")
          .map((line) => /^\s+(\S+)\s+(.*)$/.exec(line))
          .flatMap((m) => (m ? [[m[1]!, m[2]!] as [string, string]] : [])),
      ),
  );
}

/** The command line Naemon would run for `checkCommand` on a host at `address`. */
function commandLine(commands: Map<string, string>, checkCommand: string, address: string): string {
  const [name, ...args] = checkCommand.split("!");
  const template = commands.get(name!);
  if (template === undefined) throw new Error(`no command ${name}`);
  const line = template
    .replaceAll("$USER1$", NAGIOS_PLUGINS)
    .replaceAll("$HOSTADDRESS$", address)
    .replace(/\$ARG(\d+)\$/g, (_, n: string) => args[Number(n) - 1] ?? "");
  expect(line).not.toMatch(/\$\w+\$/);
  return line;
}

function sh(line: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("/bin/sh", ["-c", line], { timeout: 20_000 }, (error, stdout) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, output: stdout.trim() });
    });
  });
}

/** Runs every service of one host file, as Naemon would. */
async function runHost(artifacts: readonly Artifact[], host: string): Promise<Run[]> {
  const file = (path: string): string => artifacts.find((a) => a.path === path)!.content;
  const commands = new Map(
    objects(file("naemon/commands.cfg"), "command").map((c) => [
      c.get("command_name")!,
      c.get("command_line")!,
    ]),
  );
  const hostFile = file(`naemon/hosts/${host}.cfg`);
  const address = objects(hostFile, "host")[0]!.get("address")!;
  const services = objects(hostFile, "service");
  return Promise.all(
    services.map(async (s) => {
      const line = commandLine(commands, s.get("check_command")!, address);
      return { service: s.get("service_description")!, ...(await sh(line)) };
    }),
  );
}

const open: StandIn[] = [];
const addresses = { up: loopbackAddress(), down: loopbackAddress(), plain: loopbackAddress() };

/** port -> what listens there on `up`; 587 is left closed. */
const LISTENING: [number, Protocol, boolean][] = [
  [22, "ssh", false],
  [25, "smtp", false],
  [53, "tcp", false],
  [80, "http", false],
  [143, "imap", false],
  [443, "http", true],
  [993, "imap", true],
  [2222, "ssh", false],
  [5432, "tcp", false],
  [8080, "http", false],
];

const REPO = `
labels:
  all-ports: { ports: [22, 25, 53, 80, 143, 443, 587, 993, 2222, 5432, 8080] }
  by-name: { alerts: [smtp_connect, imap_connect, http_check, https_check, ssh_check, dns_check, postgres_connect] }
servers:
  up-1: { provider: ssh, labels: [all-ports], address: ${addresses.up} }
  named-1: { provider: ssh, labels: [by-name], address: ${addresses.up} }
  down-1: { provider: ssh, labels: [all-ports, by-name], address: ${addresses.down} }
  plain-1: { provider: ssh, labels: [all-ports], address: ${addresses.plain} }
`;

let artifacts: Artifact[] = [];

beforeAll(async () => {
  requireTool("check_tcp");
  for (const [port, protocol, tls] of LISTENING) {
    open.push(await standIn(addresses.up, port, protocol, tls));
  }
  // The same protocols without TLS, on the TLS ports and on one plain port.
  open.push(await standIn(addresses.plain, 443, "http"));
  open.push(await standIn(addresses.plain, 993, "imap"));
  open.push(await standIn(addresses.plain, 143, "imap"));
  const { value, diagnostics } = naemonRenderer.render(await modelFromYaml(REPO));
  expect(diagnostics).toEqual([]);
  artifacts = value;
});

afterAll(async () => {
  await Promise.all(open.map((s) => s.close()));
});

function states(runs: readonly Run[]): Record<string, number> {
  return Object.fromEntries(runs.map((r): [string, number] => [r.service, r.code]));
}

describe("rendered check commands run with the real plugins", () => {
  it("are OK for each listening port and CRITICAL for the closed one", async () => {
    const runs = await runHost(artifacts, "up-1");
    expect(states(runs)).toEqual({
      "dns_check 53": 0,
      "http_check 80": 0,
      "https_check 443": 0,
      "imap_connect 143": 0,
      "imap_connect 993": 0,
      "postgres_connect 5432": 0,
      "smtp_connect 25": 0,
      "smtp_connect 587": 2,
      "ssh_check 22": 0,
      "tcp_port 2222": 0,
      "tcp_port 8080": 0,
    });
    expect(runs.find((r) => r.service === "smtp_connect 587")?.output).toContain(
      `${addresses.up} and port 587: Connection refused`,
    );
    expect(runs.find((r) => r.service === "smtp_connect 25")?.output).toMatch(/^SMTP OK/);
  });

  it("check a check declared by name on its protocol's default port", async () => {
    expect(states(await runHost(artifacts, "named-1"))).toEqual({
      "dns_check 53": 0,
      "http_check 80": 0,
      "https_check 443": 0,
      "imap_connect 143": 0,
      "postgres_connect 5432": 0,
      "smtp_connect 25": 0,
      "ssh_check 22": 0,
    });
  });

  it("are all CRITICAL on a host where nothing listens", async () => {
    const runs = await runHost(artifacts, "down-1");
    expect(runs).toHaveLength(11);
    expect(runs.filter((r) => r.code !== 2)).toEqual([]);
  });

  it("check a TLS port with TLS: a plain answer there is CRITICAL", async () => {
    const runs = await runHost(artifacts, "plain-1");
    const codes = states(runs);
    expect([
      codes["imap_connect 143"],
      codes["imap_connect 993"],
      codes["https_check 443"],
    ]).toEqual([0, 2, 2]);
    for (const service of ["imap_connect 993", "https_check 443"]) {
      expect(runs.find((r) => r.service === service)?.output).toContain(
        "Cannot make SSL connection",
      );
    }
  });
});
