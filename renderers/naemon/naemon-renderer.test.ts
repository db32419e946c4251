import { describe, expect, it } from "vitest";
import { CHECKS } from "../../core/check-catalog.js";
import type { ResolvedModel } from "../../core/model.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { configValue, defineObject } from "./define-object.js";
import { naemonRenderer } from "./naemon-renderer.js";
import { naemonServices } from "./naemon-services.js";

/** A small repo covering what the renderer must handle. */
const REPO = `
labels:
  mailserver:
    ports: [25, 587, 993]
    alerts: [smtp_connect, imap_connect, mail_queue_length]
  postgres:
    ports: [5432]
    puppet_classes: [postgresql::server]
  web:
    ports: [9100, 443, 8080]
  unused:
    description: Not on any server
groups:
  production: { match: { environment: prod } }
  production-mail: { match: { labels: [mailserver], environment: prod } }
alerts:
  - name: mail_queue_critical
    target: { labels: [mailserver] }
    condition: mail_queue_length > 1000
    severity: critical
servers:
  bare-1: { provider: ssh }
  db-1: { provider: baremetal, labels: [postgres], environment: prod }
  mail-1: { provider: ssh, labels: [mailserver], environment: prod, region: eu-west, address: 10.0.0.5 }
  web-1: { provider: ssh, labels: [web], environment: staging, description: "Web front;\\nstaging" }
`;

function sample(): Promise<ResolvedModel> {
  return modelFromYaml(REPO);
}

function contentOf(model: ResolvedModel, path: string): string {
  const artifact = naemonRenderer.render(model).value.find((a) => a.path === path);
  if (!artifact) throw new Error(`no artifact ${path}`);
  return artifact.content;
}

/** [description, check_command, from] of the services of `server` in a one-label repo. */
async function servicesOf(label: string, server = "s-1"): Promise<[string, string, string][]> {
  const model = await modelFromYaml(
    `labels:\n  l: ${label}\nservers:\n  ${server}: { provider: ssh, labels: [l] }\n`,
  );
  const found = model.servers.find((s) => s.name === server)!;
  return naemonServices(found).map((s) => [s.description, s.checkCommand, s.from.join(", ")]);
}

describe("naemon renderer", () => {
  it("lays out fixed files, the hostgroups file and one file per server, sorted by path", async () => {
    const { value, diagnostics } = naemonRenderer.render(await sample());
    expect(diagnostics).toEqual([]);
    expect(value.map((a) => a.path)).toEqual([
      "naemon/commands.cfg",
      "naemon/contacts.cfg",
      "naemon/hostgroups.cfg",
      "naemon/hosts/bare-1.cfg",
      "naemon/hosts/db-1.cfg",
      "naemon/hosts/mail-1.cfg",
      "naemon/hosts/web-1.cfg",
      "naemon/templates.cfg",
      "naemon/timeperiods.cfg",
    ]);
    for (const artifact of value) {
      expect(artifact.content.endsWith("}\n")).toBe(true);
      expect(artifact.content).not.toMatch(/\r|\n\n\n/);
    }
  });

  it("renders a host with its hostgroups and one service per check and port", async () => {
    const service = (description: string, command: string, notes: string, from: string) => [
      "define service {",
      "  use                           lab-service-critical",
      "  host_name                     mail-1",
      `  service_description           ${description}`,
      `  check_command                 ${command}`,
      `  notes                         ${notes}`,
      `  _LAB_CHECK                    ${description.split(" ")[0]}`,
      `  _LAB_PORT                     ${description.split(" ")[1]}`,
      `  _LAB_FROM                     ${from}`,
      "}",
      "",
    ];
    expect(contentOf(await sample(), "naemon/hosts/mail-1.cfg")).toBe(
      [
        "# Managed by lab (naemon renderer). Do not edit: changes are overwritten.",
        "# Host mail-1.",
        "",
        "define host {",
        "  use                           lab-host",
        "  host_name                     mail-1",
        "  alias                         mail-1",
        "  address                       10.0.0.5",
        "  hostgroups                    env-prod,group-production,group-production-mail,label-mailserver",
        "  _LAB_PROVIDER                 ssh",
        "  _LAB_ENVIRONMENT              prod",
        "  _LAB_REGION                   eu-west",
        "}",
        "",
        ...service(
          "imap_connect 993",
          "check_imap_tls!993",
          "IMAP is not answering (port 993, TLS)",
          "label mailserver, port 993",
        ),
        ...service(
          "smtp_connect 25",
          "check_smtp!25",
          "SMTP is not answering (port 25)",
          "label mailserver, port 25",
        ),
        ...service(
          "smtp_connect 587",
          "check_smtp!587",
          "SMTP is not answering (port 587)",
          "label mailserver, port 587",
        ),
      ].join("\n"),
    );
  });

  it("gives every declared port of a port-bound check its own service on that port", async () => {
    expect(await servicesOf("{ ports: [587, 25] }")).toEqual([
      ["smtp_connect 25", "check_smtp!25", "label l, port 25"],
      ["smtp_connect 587", "check_smtp!587", "label l, port 587"],
    ]);
    expect(await servicesOf("{ ports: [993, 143] }")).toEqual([
      ["imap_connect 143", "check_imap!143", "label l, port 143"],
      ["imap_connect 993", "check_imap_tls!993", "label l, port 993"],
    ]);
    expect(await servicesOf("{ ports: [443, 80, 22, 53, 5432] }")).toEqual([
      ["dns_check 53", "check_dns_tcp!53", "label l, port 53"],
      ["http_check 80", "check_http!80", "label l, port 80"],
      ["https_check 443", "check_https!443", "label l, port 443"],
      ["postgres_connect 5432", "check_postgres_tcp!5432", "label l, port 5432"],
      ["ssh_check 22", "check_ssh!22", "label l, port 22"],
    ]);
    expect(await servicesOf("{ ports: [9100, 2222, 8080] }")).toEqual([
      ["tcp_port 2222", "check_tcp_port!2222", "label l, port 2222"],
      ["tcp_port 8080", "check_tcp_port!8080", "label l, port 8080"],
      ["tcp_port 9100", "check_tcp_port!9100", "label l, port 9100"],
    ]);
  });

  it("runs a check declared by name on the protocol's default port when no port brings it", async () => {
    expect(
      await servicesOf(
        "{ alerts: [smtp_connect, imap_connect, http_check, https_check, ssh_check, dns_check, postgres_connect] }",
      ),
    ).toEqual([
      ["dns_check 53", "check_dns_tcp!53", "label l"],
      ["http_check 80", "check_http!80", "label l"],
      ["https_check 443", "check_https!443", "label l"],
      ["imap_connect 143", "check_imap!143", "label l"],
      ["postgres_connect 5432", "check_postgres_tcp!5432", "label l"],
      ["smtp_connect 25", "check_smtp!25", "label l"],
      ["ssh_check 22", "check_ssh!22", "label l"],
    ]);
    // tcp_port has no default port: by name alone it checks nothing.
    expect(await servicesOf("{ alerts: [tcp_port] }")).toEqual([]);
  });

  it("lets a declared port replace the default one of a check declared by name", async () => {
    expect(await servicesOf("{ alerts: [smtp_connect], ports: [587] }")).toEqual([
      ["smtp_connect 587", "check_smtp!587", "label l, port 587"],
    ]);
    expect(await servicesOf("{ alerts: [imap_connect], ports: [993] }")).toEqual([
      ["imap_connect 993", "check_imap_tls!993", "label l, port 993"],
    ]);
    // A port with no specific check does not tell which protocol it speaks.
    expect(await servicesOf("{ alerts: [ssh_check], ports: [2222] }")).toEqual([
      ["ssh_check 22", "check_ssh!22", "label l"],
      ["tcp_port 2222", "check_tcp_port!2222", "label l, port 2222"],
    ]);
  });

  it("names a service the same whether its port was declared or defaulted", async () => {
    const byName = await servicesOf("{ alerts: [smtp_connect] }");
    const byPort = await servicesOf("{ ports: [25] }");
    expect(byName.map(([d, c]) => [d, c])).toEqual(byPort.map(([d, c]) => [d, c]));
  });

  it("keeps one service per port when several labels declare it, citing each", async () => {
    const model = await modelFromYaml(`
labels:
  a: { ports: [25, 8080] }
  b: { ports: [8080, 25], alerts: [smtp_connect] }
servers:
  s-1: { provider: ssh, labels: [a, b] }
`);
    const services = naemonServices(model.servers[0]!);
    expect(services.map((s) => [s.description, s.from])).toEqual([
      ["smtp_connect 25", ["label a", "label b", "port 25"]],
      ["tcp_port 8080", ["label a", "label b", "port 8080"]],
    ]);
  });

  it("gives unique service descriptions on hosts with many ports", async () => {
    const ports = [22, 25, 53, 80, 143, 443, 587, 993, 5432, 2222, 8080, 8443, 9100];
    const model = await modelFromYaml(`
labels:
  a: { ports: [${ports.join(", ")}], alerts: [smtp_connect, imap_connect, https_check] }
  b: { ports: [${[...ports].reverse().join(", ")}], alerts: [ssh_check, tcp_port] }
servers:
  s-1: { provider: ssh, labels: [a, b] }
`);
    const descriptions = naemonServices(model.servers[0]!).map((s) => s.description);
    expect(descriptions).toHaveLength(ports.length);
    expect(new Set(descriptions).size).toBe(ports.length);
    expect(descriptions.map((d) => Number(d.split(" ")[1])).sort((x, y) => x - y)).toEqual(
      [...ports].sort((x, y) => x - y),
    );
  });

  it("leaves out PromQL-only checks and user alerts", async () => {
    const model = await sample();
    const mail = model.servers.find((s) => s.name === "mail-1")!;
    expect(mail.alerts.map((a) => a.name)).toContain("mail_queue_length");
    expect(mail.alerts.map((a) => a.name)).toContain("mail_queue_critical");
    expect(naemonServices(mail).map((s) => s.description)).toEqual([
      "imap_connect 993",
      "smtp_connect 25",
      "smtp_connect 587",
    ]);
    const db = model.servers.find((s) => s.name === "db-1")!;
    expect(db.alerts.map((a) => a.name)).toContain("postgres_connections");
    expect(naemonServices(db).map((s) => [s.description, s.from])).toEqual([
      ["postgres_connect 5432", ["label postgres", "port 5432"]],
    ]);
  });

  it("escapes semicolons and folds newlines in free text", async () => {
    expect(contentOf(await sample(), "naemon/hosts/web-1.cfg")).toContain(
      "  alias                         Web front\\; staging\n",
    );
    expect(configValue("a\n b;c\\")).toBe("a b\\;c");
    expect(configValue(" a\u00a0 b ")).toBe("a b");
    expect(configValue("label web, port 8080")).toBe("label web, port 8080");
    expect(configValue(8080)).toBe("8080");
    expect(
      defineObject("host", [
        ["a", null],
        ["b", ""],
        ["c", 1],
      ]),
    ).toBe("define host {\n  c                             1\n}\n");
  });

  it("defines hostgroups for every label, group and environment, without members", async () => {
    const text = contentOf(await sample(), "naemon/hostgroups.cfg");
    const names = [...text.matchAll(/hostgroup_name\s+(\S+)/g)].map((m) => m[1]);
    expect(names).toEqual([
      "env-dev",
      "env-prod",
      "env-staging",
      "group-production",
      "group-production-mail",
      "label-mailserver",
      "label-postgres",
      "label-unused",
      "label-web",
    ]);
    expect(text).toContain("  alias                         Not on any server\n");
    expect(text).not.toContain("members");
  });

  it("cites the server, its labels and its groups as a host file's sources", async () => {
    const mail = naemonRenderer
      .render(await sample())
      .value.find((a) => a.path === "naemon/hosts/mail-1.cfg")!;
    expect(mail.sources).toEqual([
      { file: "repo.yaml", line: 4, col: 5 },
      { file: "repo.yaml", line: 14, col: 15 },
      { file: "repo.yaml", line: 15, col: 20 },
      { file: "repo.yaml", line: 24, col: 11 },
    ]);
  });

  it("writes the fixed files the same whatever the model holds", async () => {
    const full = naemonRenderer.render(await sample()).value;
    const empty = naemonRenderer.render(await modelFromYaml("servers: {}\n")).value;
    for (const path of ["commands", "templates", "timeperiods"]) {
      const p = `naemon/${path}.cfg`;
      expect(empty.find((a) => a.path === p)?.hash).toBe(full.find((a) => a.path === p)?.hash);
    }
  });

  it("defines every catalog Naemon command exactly once, each taking the port", async () => {
    const text = contentOf(await sample(), "naemon/commands.cfg");
    const names = [...text.matchAll(/command_name\s+(\S+)/g)].map((m) => m[1]);
    const catalog = [...CHECKS.values()].flatMap(({ naemon }) =>
      naemon ? [naemon, ...(naemon.tls ? [naemon.tls] : [])] : [],
    );
    expect(new Set(catalog.map((c) => c.command)).size).toBe(catalog.length);
    for (const { command, line } of catalog) {
      expect(names.filter((n) => n === command)).toEqual([command]);
      expect(line).toMatch(/ -p \$ARG1\$( |$)/);
      expect(text).toContain(`  command_line                  ${line}\n`);
    }
    expect(catalog.map((c) => c.command)).toContain("check_imap_tls");
  });

  it("renders every valid address as it is and reports nothing of its own", async () => {
    for (const address of ["web-1.example.org.", "10.0.0.1", "::1", "fe80::1%eth0"]) {
      const model = await modelFromYaml(
        `servers:\n  web-1: { provider: ssh, address: "${address}" }\n`,
      );
      const { value, diagnostics } = naemonRenderer.render(model);
      expect(diagnostics).toEqual([]);
      expect(value.find((a) => a.path === "naemon/hosts/web-1.cfg")?.content).toContain(
        `  address                       ${address}\n`,
      );
    }
  });

  it("renders byte-identical output twice and from reversed input order", async () => {
    const once = naemonRenderer.render(await sample()).value;
    const twice = naemonRenderer.render(await sample()).value;
    const model = await sample();
    const reversed = {
      ...model,
      servers: [...model.servers]
        .reverse()
        .map((s) => ({ ...s, ports: [...s.ports].reverse(), alerts: [...s.alerts].reverse() })),
      labels: [...model.labels].reverse(),
      groups: [...model.groups].reverse(),
    };
    expect(twice).toEqual(once);
    expect(naemonRenderer.render(reversed).value).toEqual(once);
  });
});
