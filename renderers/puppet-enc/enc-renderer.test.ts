import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { SourcePos } from "../../core/diagnostics.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { encRenderer, formatEncNode } from "./enc-renderer.js";
import { isCertname } from "./enc-paths.js";
import type { EncNode } from "./enc-node.js";

function pos(file: string, line: number): SourcePos {
  return { file, line, col: 3 };
}

function server(name: string, over: Partial<ResolvedServer> = {}): ResolvedServer {
  return {
    name,
    provider: "xcpng",
    labels: [],
    environment: null,
    region: null,
    size: null,
    sizeFrom: null,
    address: name,
    groups: [],
    classes: [],
    alerts: [],
    secrets: [],
    ports: [],
    excludedFrom: [],
    spec: { provider: "xcpng" },
    source: pos("servers.yaml", 1),
    ...over,
  };
}

const label = { kind: "label" as const, name: "mailserver" };

function environmentOf(content: string): string {
  return (parse(content) as EncNode).environment;
}

function model(servers: ResolvedServer[]): ResolvedModel {
  return {
    settings: {
      name: "t",
      environments: { prod: "production", staging: "stage_env" },
      defaultBranch: "main",
      ignore: [],
      prices: {},
      regions: {},
    },
    servers,
    labels: [
      { name: "mailserver", spec: {}, classes: [], servers: [], source: pos("labels.yaml", 2) },
      { name: "base", spec: {}, classes: [], servers: [], source: pos("labels.yaml", 9) },
    ],
    groups: [
      {
        name: "eu",
        spec: {},
        members: [],
        subgroups: [],
        excluded: [],
        source: pos("groups.yaml", 4),
      },
    ],
    alerts: [],
    checks: [],
    sizes: [],
    secrets: [],
  };
}

const mail = server("mail-1", {
  labels: ["mailserver", "base"],
  environment: "prod",
  region: "eu-west",
  size: "medium",
  groups: ["eu"],
  classes: [
    {
      name: "postfix",
      params: { relayhost: "smtp.example.org", b: { z: 1, a: [2, 1] } },
      from: [label],
    },
    { name: "dovecot", params: {}, from: [label] },
    { name: "::postfix", params: { relayhost: "other" }, from: [label] },
    { name: "fail2ban", params: {}, from: [label] },
  ],
  secrets: [
    { path: "mail/tls-cert", access: "dynamic", from: [label] },
    { path: "mail/dkim-key", access: "read", from: [label] },
    { path: "mail/dkim-key", access: "read", from: [{ kind: "label", name: "base" }] },
  ],
  source: pos("servers.yaml", 5),
});

describe("encRenderer", () => {
  it("writes one document per node in Puppet's ENC format, classes in resolution order", () => {
    const { value, diagnostics } = encRenderer.render(model([mail]));
    expect(diagnostics).toEqual([]);
    expect(value.map((a) => a.path)).toEqual(["enc/nodes/mail-1.yaml"]);
    expect(value[0]!.content).toBe(
      [
        "classes:",
        "  postfix:",
        "    b:",
        "      a:",
        "        - 2",
        "        - 1",
        "      z: 1",
        "    relayhost: smtp.example.org",
        "  dovecot: {}",
        "  fail2ban: {}",
        "environment: production",
        "parameters:",
        "  lab_environment: prod",
        "  lab_groups:",
        "    - eu",
        "  lab_labels:",
        "    - mailserver",
        "    - base",
        "  lab_provider: xcpng",
        "  lab_region: eu-west",
        "  lab_secrets:",
        "    - mail/dkim-key",
        "    - mail/tls-cert",
        "  lab_size: medium",
        "",
      ].join("\n"),
    );
  });

  it("cites the server, its labels and its groups as sources", () => {
    const [artifact] = encRenderer.render(model([mail])).value;
    expect(artifact!.sources).toEqual([
      pos("groups.yaml", 4),
      pos("labels.yaml", 2),
      pos("labels.yaml", 9),
      pos("servers.yaml", 5),
    ]);
  });

  it("pins a server with no environment to production, nulls for what it lacks", () => {
    const [artifact] = encRenderer.render(model([server("bare")])).value;
    expect(parse(artifact!.content)).toEqual({
      classes: {},
      environment: "production",
      parameters: {
        lab_environment: null,
        lab_groups: [],
        lab_labels: [],
        lab_provider: "xcpng",
        lab_region: null,
        lab_secrets: [],
        lab_size: null,
      },
    });
  });

  it("maps the environment through lab.environments, else keeps a valid Puppet name", () => {
    const envs = (env: string) =>
      environmentOf(
        encRenderer.render(model([server("a", { environment: env })])).value[0]!.content,
      );
    expect(envs("staging")).toBe("stage_env");
    expect(envs("qa_2")).toBe("qa_2");
  });

  it("warns for an unmapped environment Puppet cannot name and falls back to production", () => {
    const { value, diagnostics } = encRenderer.render(
      model([server("a", { environment: "eu-Prod", source: pos("servers.yaml", 7) })]),
    );
    expect(environmentOf(value[0]!.content)).toBe("production");
    expect(diagnostics).toEqual([
      {
        file: "servers.yaml",
        line: 7,
        col: 3,
        severity: "warning",
        code: "LAB103",
        pointer: "/servers/a/environment",
        message:
          'environment "eu-Prod" of server a is not a Puppet environment name (lowercase ' +
          "letters, digits, _) and lab.environments does not map it (mapped: prod, staging); " +
          "its ENC data uses production",
        fix: "map it under lab.environments, e.g. eu-Prod: eu_prod",
      },
    ]);
  });

  it("warns for a server name Puppet cannot use as a certname", () => {
    const { diagnostics } = encRenderer.render(model([server("Web-1")]));
    expect(diagnostics.map((d) => [d.code, d.pointer, d.severity])).toEqual([
      ["LAB104", "/servers/Web-1", "warning"],
    ]);
  });

  it("quotes strings a YAML 1.1 reader (Puppet) would take for booleans or dates", () => {
    const text = formatEncNode({
      classes: { ntp: { enable: "on", since: "2024-01-01", flag: true } },
      environment: "production",
      parameters: {
        lab_environment: "no",
        lab_groups: [],
        lab_labels: ["yes"],
        lab_provider: "ssh",
        lab_region: null,
        lab_secrets: [],
        lab_size: null,
      },
    });
    expect(text).toContain('enable: "on"');
    expect(text).toContain('since: "2024-01-01"');
    expect(text).toContain("flag: true");
    expect(text).toContain('lab_environment: "no"');
    expect(text).toContain('- "yes"');
  });

  it("keeps a parameter named __proto__ as a plain key", () => {
    const params = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<
      string,
      unknown
    >;
    const odd = server("odd-1", { classes: [{ name: "ntp", params, from: [label] }] });
    const [artifact] = encRenderer.render(model([odd])).value;
    expect(artifact!.content).toContain("  ntp:\n    __proto__:\n      polluted: true\n    a: 1\n");
  });

  it("sorts artifacts by path and gives the same bytes for servers in any order", () => {
    const a = server("b-2");
    const b = server("a-1", { environment: "prod" });
    const one = encRenderer.render(model([a, mail, b])).value;
    const two = encRenderer.render(model([mail, b, a])).value;
    expect(one.map((x) => x.path)).toEqual([
      "enc/nodes/a-1.yaml",
      "enc/nodes/b-2.yaml",
      "enc/nodes/mail-1.yaml",
    ]);
    expect(two).toEqual(one);
  });
});

describe("isCertname", () => {
  it("accepts host names and refuses paths", () => {
    expect(["mail-1", "db.eu-west.example.org", "A1"].map(isCertname)).toEqual([true, true, true]);
    expect(["../x", "a/b", ".hidden", "a..b", "", "-x", "x-", "a b"].map(isCertname)).toEqual(
      Array(8).fill(false),
    );
  });
});
