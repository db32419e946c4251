import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { validate } from "./validate.js";

async function check(files: Record<string, string>): Promise<Diagnostic[]> {
  const { value, diagnostics } = await loadRepo(memorySource(files));
  expect(diagnostics).toEqual([]);
  return validate(value);
}

function brief(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.severity} ${d.code} ${d.pointer} | ${d.message}`;
}

const BASE = `
labels:
  web: { size: small, secrets: [tls/cert], alerts: [http_check] }
sizes:
  small: { providers: { aws: { instance_type: t3.small } } }
secrets:
  tls/cert: { type: static }
groups:
  front: { match: { labels: web } }
`;

describe("validate: references", () => {
  it("finds nothing wrong in a consistent repo", async () => {
    const d = await check({
      "base.yaml": BASE,
      "s.yaml":
        "servers:\n  web-1: { provider: aws, labels: [web], size: small, image: ami-0a1b2c3d4e5f60718, region: us-east-1 }\n",
    });
    expect(d).toEqual([]);
  });

  it("warns about a server label no labels: entry defines (LAB200)", async () => {
    const d = await check({
      "base.yaml": BASE,
      "s.yaml":
        "servers:\n  web-1: { provider: aws, labels: [wbe, web], image: ami-0a1b2c3d4e5f60718, region: us-east-1 }\n",
    });
    expect(d.map(brief)).toEqual([
      's.yaml:2:36 warning LAB200 /servers/web-1/labels/0 | unknown label "wbe" (did you mean "web"?); known labels: web',
    ]);
  });

  it("reports unknown groups, servers and sizes in every selector (LAB201, LAB202, LAB204)", async () => {
    const d = await check({
      "base.yaml": BASE,
      "s.yaml":
        "servers:\n  web-1: { provider: aws, size: small, image: ami-0a1b2c3d4e5f60718, region: us-east-1 }\n",
      "g.yaml": [
        "groups:",
        "  g1: { groups: [frnt], servers: [web-2], exclude: { groups: [nope], servers: [web-1], size: big } }",
        "  g2: { match: { size: [small, huge] } }",
        "alerts:",
        "  - name: a",
        "    target: { groups: [front, g3], servers: [web-9], size: tiny }",
        "    exclude: { groups: [g4], servers: [web-8] }",
        "    expr: up == 0",
        "",
      ].join("\n"),
    });
    expect(d.map((x) => `${x.line}:${x.col} ${x.code} ${x.pointer}`)).toEqual([
      "2:18 LAB201 /groups/g1/groups/0",
      "2:35 LAB202 /groups/g1/servers/0",
      "2:63 LAB201 /groups/g1/exclude/groups/0",
      "2:94 LAB204 /groups/g1/exclude/size",
      "3:32 LAB204 /groups/g2/match/size/1",
      "6:31 LAB201 /alerts/0/target/groups/1",
      "6:46 LAB202 /alerts/0/target/servers/0",
      "6:60 LAB204 /alerts/0/target/size",
      "7:25 LAB201 /alerts/0/exclude/groups/0",
      "7:40 LAB202 /alerts/0/exclude/servers/0",
    ]);
    expect(d[0]?.message).toBe(
      'unknown group "frnt" (did you mean "front"?); known groups: front, g1, g2',
    );
    expect(d[0]?.fix).toBe('replace "frnt" with "front"');
    expect(d[2]?.fix).toBe('define "nope" under groups:');
  });

  it("reports unknown secrets, sizes and checks of labels (LAB203, LAB204, LAB205)", async () => {
    const d = await check({
      "base.yaml": BASE,
      "l.yaml": "labels:\n  db: { secrets: [tls/crt], size: smal, alerts: [mysql_upp] }\n",
    });
    expect(d.map(brief)).toEqual([
      'l.yaml:2:19 error LAB203 /labels/db/secrets/0 | unknown secret "tls/crt" (did you mean "tls/cert"?); known secrets: tls/cert',
      'l.yaml:2:35 error LAB204 /labels/db/size | unknown size "smal" (did you mean "small"?); known sizes: small',
      'l.yaml:2:50 error LAB205 /labels/db/alerts/0 | unknown check "mysql_upp" (did you mean "mysql_up"?); known checks: cert_expiry, cpu_threshold, dns_check, haproxy_up, http_check, https_check, imap_connect, kubelet_healthy, mail_queue_length, memory_threshold, mysql_up, nginx_up and 9 more',
    ]);
  });

  it("reports a secret read in Puppet code with no metadata, at the call (LAB203)", async () => {
    const d = await check({
      "base.yaml": BASE,
      "puppet/modules/web/manifests/init.pp":
        "class web {\n  $k = lab::secret('tls/key')\n  $c = lab::secret('tls/cert')\n}\n",
    });
    expect(d).toEqual([
      {
        file: "puppet/modules/web/manifests/init.pp",
        line: 2,
        col: 8,
        severity: "error",
        code: "LAB203",
        pointer: "",
        message:
          'class web reads unknown secret "tls/key"; add it under secrets: (known secrets: tls/cert)',
        fix: "add secrets: { tls/key: { type: static } }",
        name: "tls/key",
      },
    ]);
  });

  it("a size with no mapping for a provider lab creates servers on is an error (LAB206)", async () => {
    const d = await check({
      "base.yaml": BASE,
      "s.yaml": "servers:\n  box: { provider: xcpng, size: small, image: debian-12 }\n",
    });
    expect(d.map(brief)).toEqual([
      's.yaml:2:33 error LAB206 /servers/box/size | size "small" has no mapping for provider "xcpng" (it maps aws), so lab cannot create box',
    ]);
    expect(d[0]?.fix).toBe("add sizes.small.providers.xcpng");
  });

  it("for providers lab does not create servers on, the missing mapping is a warning", async () => {
    const d = await check({
      "base.yaml": BASE,
      "s.yaml": "servers:\n  box: { provider: ssh, size: small }\n",
    });
    expect(d.map(brief)).toEqual([
      's.yaml:2:31 warning LAB206 /servers/box/size | size "small" has no mapping for provider "ssh" (it maps aws)',
    ]);
  });

  it("never checks references inside parts that failed the schema", async () => {
    const d = await check({
      "s.yaml":
        "servers:\n  Bad_Name: { provider: aws, labels: [nope], size: nope }\n  ok: { provider: aws, labels: 7 }\n",
    });
    expect(d.map((x) => x.code)).toEqual(["LAB104", "LAB101"]);
  });
});

describe("validate: group cycles (LAB210)", () => {
  it("names each cycle once, at the edge that closes it", async () => {
    const d = await check({
      "g.yaml": [
        "groups:",
        "  a: { groups: [b] }",
        "  b: { groups: [c] }",
        "  c: { groups: [a, d] }",
        "  d: { groups: [d] }",
        "  e: { groups: [a] }",
        "",
      ].join("\n"),
    });
    expect(d.map(brief)).toEqual([
      "g.yaml:4:17 error LAB210 /groups/c/groups/0 | group cycle: a → b → c → a",
      "g.yaml:5:17 error LAB210 /groups/d/groups/0 | group cycle: d → d",
    ]);
    expect(d[0]?.related).toEqual([
      { file: "g.yaml", line: 2, col: 17 },
      { file: "g.yaml", line: 3, col: 17 },
    ]);
  });
});

describe("validate: alerts and durations", () => {
  it("reports malformed durations (LAB220) and conditions (LAB221)", async () => {
    const d = await check({
      "a.yaml": [
        "alerts:",
        "  - name: a",
        "    target: {}",
        "    condition: mail_queue_length >> 1000",
        "    for: 5 min",
        "secrets:",
        "  x: { type: dynamic, generator: acme, rotate_every: '90' }",
        "",
      ].join("\n"),
    });
    expect(d.map(brief)).toEqual([
      'a.yaml:4:35 error LAB221 /alerts/0/condition | alert a: malformed condition "mail_queue_length >> 1000": unexpected ">" (at "> 1000"); expected "metric OP number" (OP: > < >= <= == !=), e.g. memory_usage_percent > 90',
      'a.yaml:5:10 error LAB220 /alerts/0/for | malformed duration "5 min" (expected e.g. 30s, 5m, 1h30m or 90d: units y w d h m s ms, largest first)',
      'a.yaml:7:54 error LAB220 /secrets/x/rotate_every | malformed duration "90" (expected e.g. 30s, 5m, 1h30m or 90d: units y w d h m s ms, largest first)',
    ]);
    expect(d[2]?.fix).toBe("write 90s or 90m");
  });

  it("reports an alert with neither or both of condition and expr (LAB222)", async () => {
    const d = await check({
      "a.yaml": [
        "alerts:",
        "  - name: neither",
        "    target: {}",
        "  - name: both",
        "    target: {}",
        "    condition: up < 1",
        "    expr: up == 0",
        "",
      ].join("\n"),
    });
    expect(d.map(brief)).toEqual([
      "a.yaml:2:5 error LAB222 /alerts/0 | alert neither has neither condition nor expr; give exactly one",
      "a.yaml:4:5 error LAB222 /alerts/1 | alert both has both condition and expr; give exactly one",
    ]);
  });
});
