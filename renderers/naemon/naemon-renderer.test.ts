import { describe, expect, it } from "vitest";
import { CHECKS } from "../../core/check-catalog.js";
import type { ResolvedModel } from "../../core/model.js";
import { configValue, defineObject } from "./define-object.js";
import { naemonRenderer } from "./naemon-renderer.js";
import { naemonServices } from "./naemon-services.js";
import { sampleModel } from "./sample-model.js";

function contentOf(model: ResolvedModel, path: string): string {
  const artifact = naemonRenderer.render(model).value.find((a) => a.path === path);
  if (!artifact) throw new Error(`no artifact ${path}`);
  return artifact.content;
}

function emptyModel(): ResolvedModel {
  return { ...sampleModel(), servers: [], labels: [], groups: [] };
}

describe("naemon renderer", () => {
  it("lays out fixed files, the hostgroups file and one file per server, sorted by path", () => {
    const { value, diagnostics } = naemonRenderer.render(sampleModel());
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

  it("renders a host with its hostgroups and one service per Naemon check", () => {
    expect(contentOf(sampleModel(), "naemon/hosts/mail-1.cfg")).toBe(
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
        "  _LAB_PROVIDER                 xcpng",
        "  _LAB_ENVIRONMENT              prod",
        "  _LAB_REGION                   eu-west",
        "  _LAB_SIZE                     medium",
        "}",
        "",
        "define service {",
        "  use                           lab-service-critical",
        "  host_name                     mail-1",
        "  service_description           imap_connect",
        "  check_command                 check_imap",
        "  notes                         IMAP is not answering",
        "  _LAB_CHECK                    imap_connect",
        "  _LAB_FROM                     label mailserver, port 993",
        "}",
        "",
        "define service {",
        "  use                           lab-service-critical",
        "  host_name                     mail-1",
        "  service_description           smtp_connect",
        "  check_command                 check_smtp",
        "  notes                         SMTP is not answering",
        "  _LAB_CHECK                    smtp_connect",
        "  _LAB_FROM                     label mailserver, port 25, port 587",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("gives each generic port its own tcp_port service with the port as $ARG1$", () => {
    const web = sampleModel().servers.find((s) => s.name === "web-1")!;
    const services = naemonServices(web);
    expect(services.map((s) => [s.description, s.checkCommand, s.severity, s.from])).toEqual([
      ["https_check", "check_https", "critical", ["port 443"]],
      ["tcp_port 8080", "check_tcp_port!8080", "warning", ["label web", "port 8080"]],
      ["tcp_port 9100", "check_tcp_port!9100", "warning", ["label web", "port 9100"]],
    ]);
  });

  it("leaves out PromQL-only checks and user alerts", () => {
    const mail = sampleModel().servers.find((s) => s.name === "mail-1")!;
    expect(mail.alerts.map((a) => a.name)).toContain("mail_queue_length");
    expect(mail.alerts.map((a) => a.name)).toContain("mail_queue_critical");
    expect(naemonServices(mail).map((s) => s.description)).toEqual([
      "imap_connect",
      "smtp_connect",
    ]);
    const db = sampleModel().servers.find((s) => s.name === "db-1")!;
    expect(naemonServices(db).map((s) => s.description)).toEqual(["postgres_connect"]);
  });

  it("takes a port's specific check from the port even when no alert reference names it", () => {
    const model = sampleModel();
    const db = model.servers.find((s) => s.name === "db-1")!;
    db.alerts = [];
    expect(naemonServices(db).map((s) => [s.description, s.from])).toEqual([
      ["postgres_connect", ["port 5432"]],
    ]);
  });

  it("escapes semicolons and folds newlines in free text", () => {
    expect(contentOf(sampleModel(), "naemon/hosts/web-1.cfg")).toContain(
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

  it("defines hostgroups for every label, group and environment, without members", () => {
    const text = contentOf(sampleModel(), "naemon/hostgroups.cfg");
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

  it("cites the server, its labels and its groups as a host file's sources", () => {
    const mail = naemonRenderer
      .render(sampleModel())
      .value.find((a) => a.path === "naemon/hosts/mail-1.cfg")!;
    expect(mail.sources).toEqual([
      { file: "groups.yaml", line: 2, col: 3 },
      { file: "groups.yaml", line: 5, col: 3 },
      { file: "labels.yaml", line: 2, col: 3 },
      { file: "servers.yaml", line: 4, col: 3 },
    ]);
  });

  it("writes the fixed files the same whatever the model holds", () => {
    const full = naemonRenderer.render(sampleModel()).value;
    const empty = naemonRenderer.render(emptyModel()).value;
    for (const path of ["commands", "contacts", "templates", "timeperiods"]) {
      const p = `naemon/${path}.cfg`;
      expect(empty.find((a) => a.path === p)?.hash).toBe(full.find((a) => a.path === p)?.hash);
    }
  });

  it("defines every catalog Naemon command exactly once", () => {
    const text = contentOf(sampleModel(), "naemon/commands.cfg");
    const names = [...text.matchAll(/command_name\s+(\S+)/g)].map((m) => m[1]);
    const catalog = [...CHECKS.values()].flatMap((c) => (c.naemon ? [c.naemon.command] : []));
    expect(new Set(catalog).size).toBe(catalog.length);
    for (const name of catalog) expect(names.filter((n) => n === name)).toEqual([name]);
    expect(text).toContain("$USER1$/check_tcp -H $HOSTADDRESS$ -p $ARG1$");
  });

  it("accepts host names and IPv4/IPv6 addresses, refuses option-like ones", () => {
    const model = sampleModel();
    const web = model.servers.find((s) => s.name === "web-1")!;
    for (const address of ["web-1.example.org", "10.0.0.1", "::1", "fe80::1%eth0"]) {
      web.address = address;
      expect(naemonRenderer.render(model).diagnostics).toEqual([]);
    }
    web.address = "-oProxyCommand=x";
    expect(naemonRenderer.render(model).diagnostics.map((d) => d.code)).toEqual(["LAB104"]);
  });

  it("refuses an address a shell would interpret, as a located diagnostic", () => {
    const model = sampleModel();
    const web = model.servers.find((s) => s.name === "web-1")!;
    web.address = "web-1; rm -rf /";
    const { value, diagnostics } = naemonRenderer.render(model);
    expect(value.map((a) => a.path)).not.toContain("naemon/hosts/web-1.cfg");
    expect(diagnostics).toEqual([
      {
        file: "servers.yaml",
        line: 5,
        col: 3,
        severity: "error",
        code: "LAB104",
        pointer: "/servers/web-1/address",
        message:
          'address "web-1; rm -rf /" of server "web-1" is not a host name or IP address (allowed: letters, digits, ".", ":", "-", "_", "%")',
        fix: "set address to the server's DNS name or IP address",
      },
    ]);
  });

  it("renders byte-identical output twice and from reversed input order", () => {
    const once = naemonRenderer.render(sampleModel()).value;
    const twice = naemonRenderer.render(sampleModel()).value;
    const reversed = sampleModel();
    reversed.servers.reverse();
    reversed.labels.reverse();
    reversed.groups.reverse();
    for (const s of reversed.servers) s.ports.reverse();
    expect(twice).toEqual(once);
    expect(naemonRenderer.render(reversed).value).toEqual(once);
  });
});
