import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { modelFromYaml } from "../../test/yaml-model.js";
import { encRenderer, formatEncNode } from "./enc-renderer.js";
import { isCertname } from "./enc-paths.js";
import type { EncNode } from "./enc-node.js";

/** A small repo; servers are added per test. */
const BASE: Readonly<Record<string, string>> = {
  "lab.yaml": "lab:\n  environments: { prod: production, staging: stage_env }\n",
  "labels.yaml": [
    "labels:",
    "  mailserver:",
    "    puppet_classes:",
    "      postfix: { relayhost: smtp.example.org, b: { z: 1, a: [2, 1] } }",
    "      dovecot:",
    "      ::postfix: { relayhost: other }",
    "      fail2ban:",
    "    secrets: [mail/tls-cert, mail/dkim-key]",
    "    size: medium",
    "  base:",
    "    secrets: [mail/dkim-key]",
    "",
  ].join("\n"),
  "groups.yaml": "groups:\n  eu:\n    match: { region: eu-west }\n",
  "sizes.yaml":
    "sizes:\n  medium:\n    providers: { xcpng: { cores: 2, memory: 4GB, disk: 20GB } }\n",
  "secrets.yaml": [
    "secrets:",
    "  mail/tls-cert: { type: dynamic, generator: acme }",
    "  mail/dkim-key: { type: static }",
    "",
  ].join("\n"),
};

const MAIL =
  "  mail-1: { provider: xcpng, labels: [mailserver, base], environment: prod, region: eu-west }\n";

function repo(servers: string): Record<string, string> {
  return { ...BASE, "servers.yaml": `servers:\n${servers}` };
}

async function render(servers: string) {
  return encRenderer.render(await modelFromYaml(repo(servers)));
}

function environmentOf(content: string): string {
  return (parse(content) as EncNode).environment;
}

describe("encRenderer", () => {
  it("writes one document per node in Puppet's ENC format, classes in resolution order", async () => {
    const { value, diagnostics } = await render(MAIL);
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

  it("cites the server, its labels and its groups (where each is defined) as sources", async () => {
    const [artifact] = (await render(MAIL)).value;
    expect(artifact!.sources).toEqual([
      { file: "groups.yaml", line: 3, col: 5 },
      { file: "labels.yaml", line: 3, col: 5 },
      { file: "labels.yaml", line: 11, col: 5 },
      { file: "servers.yaml", line: 2, col: 11 },
    ]);
  });

  it("pins a server with no environment to production, nulls for what it lacks", async () => {
    const [artifact] = (await render("  bare: { provider: ssh }\n")).value;
    expect(parse(artifact!.content)).toEqual({
      classes: {},
      environment: "production",
      parameters: {
        lab_environment: null,
        lab_groups: [],
        lab_labels: [],
        lab_provider: "ssh",
        lab_region: null,
        lab_secrets: [],
        lab_size: null,
      },
    });
  });

  it("maps the environment through lab.environments", async () => {
    const { value } = await render(
      "  a: { provider: ssh, environment: staging }\n  b: { provider: ssh, environment: prod }\n",
    );
    expect(value.map((a) => environmentOf(a.content))).toEqual(["stage_env", "production"]);
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

  it("keeps a parameter named __proto__ as a plain key", async () => {
    const model = await modelFromYaml({
      "labels.yaml":
        "labels:\n  odd:\n    puppet_classes:\n      ntp: { __proto__: { polluted: true }, a: 1 }\n",
      "servers.yaml": "servers:\n  odd-1: { provider: ssh, labels: [odd] }\n",
    });
    const [artifact] = encRenderer.render(model).value;
    expect(artifact!.content).toContain("  ntp:\n    __proto__:\n      polluted: true\n    a: 1\n");
  });

  it("sorts artifacts by path and gives the same bytes for servers in any order", async () => {
    const a = "  b-2: { provider: ssh }\n";
    const b = "  a-1: { provider: ssh, environment: prod }\n";
    const one = (await render(a + MAIL + b)).value;
    const two = (await render(MAIL + b + a)).value;
    expect(one.map((x) => x.path)).toEqual([
      "enc/nodes/a-1.yaml",
      "enc/nodes/b-2.yaml",
      "enc/nodes/mail-1.yaml",
    ]);
    expect(two.map((x) => [x.path, x.content])).toEqual(one.map((x) => [x.path, x.content]));
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
