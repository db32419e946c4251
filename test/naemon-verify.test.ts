/**
 * The rendered Naemon tree is checked by the real `nagios4 -v` (Debian nagios4-core reads the
 * same object format), with a main config written here: cfg_dir at the rendered naemon/ folder,
 * $USER1$ at the monitoring plugins, state files in a temp dir, running as root.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { ResolvedModel } from "../core/model.js";
import type { Artifact } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { contactsOf } from "../renderers/naemon/contacts-file.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import { naemonServices } from "../renderers/naemon/naemon-services.js";
import { mainConfig, writeTree } from "./naemon-loopback.js";
import { requireTool } from "./tools.js";
import { modelFromYaml } from "./yaml-model.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Every port-bound check on its ports and by name, two contacts, escapes, no-label servers. */
const REPO = `
lab:
  contacts:
    ops: { email: ops@example.com, alias: "Ops; on call" }
    pager: { email: pager+x@example.com, notify: [critical, recovery] }
    flaps: { email: flaps@example.com, notify: [flapping] }
    muted: { email: muted@example.com, notify: [] }
labels:
  mailserver:
    ports: [25, 587, 143, 993]
    alerts: [smtp_connect, imap_connect, mail_queue_length]
  web:
    description: "Front ends; public"
    ports: [80, 443, 8080, 8443, 9100]
  infra:
    ports: [22, 53, 2222, 5432]
    alerts: [ssh_check, dns_check, tcp_port]
  named:
    alerts: [smtp_connect, imap_connect, http_check, https_check, ssh_check, dns_check, postgres_connect]
groups:
  production: { match: { environment: prod } }
servers:
  bare-1: { provider: ssh }
  mail-1: { provider: ssh, labels: [mailserver, infra], environment: prod, address: 10.0.0.5 }
  web-1: { provider: ssh, labels: [web], environment: staging, address: "fe80::1%eth0" }
  named-1: { provider: baremetal, labels: [named], address: named-1.example.org. }
`;

interface Verified {
  status: number | null;
  output: string;
  counts: Record<string, number>;
}

/** Writes the artifacts (and any extra files) to a temp dir and runs `nagios4 -v` on them. */
function verify(artifacts: readonly Artifact[], extra: Record<string, string> = {}): Verified {
  const dir = mkdtempSync(join(tmpdir(), "lab-naemon-"));
  dirs.push(dir);
  writeTree(dir, artifacts);
  for (const [path, content] of Object.entries(extra)) writeFileSync(join(dir, path), content);
  const run = spawnSync(requireTool("nagios4"), ["-v", mainConfig(dir)], { encoding: "utf8" });
  if (run.error) throw run.error;
  const output = run.stdout + run.stderr;
  const counts: Record<string, number> = {};
  const checked = output.slice(output.indexOf("Checking objects"));
  for (const m of checked.matchAll(/Checked (\d+) ([a-z ]+)\./g)) {
    counts[m[2]!] ??= Number(m[1]);
  }
  return { status: run.status, output, counts };
}

function serviceCount(model: ResolvedModel): number {
  return model.servers.reduce((n, s) => n + naemonServices(s).length, 0);
}

function countOf(artifacts: readonly Artifact[], path: string, type: string): number {
  const file = artifacts.find((a) => a.path === path);
  return file?.content.match(new RegExp(`^define ${type} \\{$`, "gm"))?.length ?? 0;
}

function expectAccepted(model: ResolvedModel, artifacts: readonly Artifact[]): void {
  const result = verify(artifacts);
  expect(result.output).toContain("Total Errors:   0");
  expect(result.output).toContain("Total Warnings: 0");
  // Some warnings (a duplicate definition, which drops an object) are not counted in the total.
  expect(result.output.split("\n").filter((l) => /warning/i.test(l))).toEqual([
    "Total Warnings: 0",
  ]);
  expect(result.status).toBe(0);
  expect(result.counts).toMatchObject({
    hosts: model.servers.length,
    services: serviceCount(model),
    "host groups": countOf(artifacts, "naemon/hostgroups.cfg", "hostgroup"),
    contacts: contactsOf(model.settings).length,
    "contact groups": 1,
    commands: countOf(artifacts, "naemon/commands.cfg", "command"),
    "time periods": 1,
  });
}

describe("nagios4 -v on the rendered Naemon tree", () => {
  it("accepts a tree with a service per check and port, and the repo's contacts", async () => {
    const model = await modelFromYaml(REPO);
    const { value, diagnostics } = naemonRenderer.render(model);
    expect(diagnostics).toEqual([]);
    const mail = model.servers.find((s) => s.name === "mail-1")!;
    expect(naemonServices(mail).map((s) => s.description)).toEqual([
      "dns_check 53",
      "imap_connect 143",
      "imap_connect 993",
      "postgres_connect 5432",
      "smtp_connect 25",
      "smtp_connect 587",
      "ssh_check 22",
      "tcp_port 2222",
    ]);
    expect(serviceCount(model)).toBe(8 + 5 + 7);
    expect(contactsOf(model.settings).map(([name]) => name)).toEqual([
      "flaps",
      "muted",
      "ops",
      "pager",
    ]);
    expectAccepted(model, value);
  });

  it("accepts the default contact when the repo declares none", async () => {
    // nagios4 refuses a tree without services, so the server has a port.
    const model = await modelFromYaml(
      "labels:\n  l: { ports: [22] }\nservers:\n  a-1: { provider: ssh, labels: [l] }\n",
    );
    expect(contactsOf(model.settings).map(([name]) => name)).toEqual(["admin"]);
    expectAccepted(model, naemonRenderer.render(model).value);
  });

  it("accepts the tree rendered from examples/infra-repo", async () => {
    const example = fileURLToPath(new URL("../examples/infra-repo", import.meta.url));
    const { model, diagnostics } = await checkRepo(dirSource(example));
    expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    if (!model) throw new Error("examples/infra-repo did not resolve");
    const { value, diagnostics: rendered } = naemonRenderer.render(model);
    expect(rendered).toEqual([]);
    expect(model.servers.length).toBeGreaterThan(10);
    expect(serviceCount(model)).toBeGreaterThan(model.servers.length);
    expect(contactsOf(model.settings).length).toBeGreaterThan(1);
    expectAccepted(model, value);
  });

  it("fails on a service whose command is not defined (the verification step can fail)", async () => {
    const { value } = naemonRenderer.render(await modelFromYaml(REPO));
    const broken = value.map((a) =>
      a.path === "naemon/hosts/mail-1.cfg"
        ? { ...a, content: a.content.replace("check_smtp!587", "check_smtp_missing!587") }
        : a,
    );
    const result = verify(broken);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("check_smtp_missing");
    expect(result.output).not.toContain("Total Errors:   0");
  });

  it("sees a service lost to a duplicate description on a host (warned, not counted)", async () => {
    const model = await modelFromYaml(REPO);
    const { value } = naemonRenderer.render(model);
    const broken = value.map((a) =>
      a.path === "naemon/hosts/mail-1.cfg"
        ? { ...a, content: a.content.replace("smtp_connect 587\n", "smtp_connect 25\n") }
        : a,
    );
    const result = verify(broken);
    expect(result.output).toContain(
      "Warning: Duplicate definition found for service 'smtp_connect 25' on host 'mail-1'",
    );
    expect(result.counts.services).toBe(serviceCount(model) - 1);
  });

  it("fails on an object file that does not parse", async () => {
    const { value } = naemonRenderer.render(await modelFromYaml(REPO));
    const result = verify(value, { "naemon/broken.cfg": "define host {\n  host_name x\n" });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("Unexpected EOF in file");
  });
});
