import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { PuppetRun } from "../../core/puppet-run.js";
import { MAX_REPORT_BYTES, readPuppetReport, reportFormat } from "./read-report.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/puppet-reports/", import.meta.url));
const AT = "2026-12-02T07:00:00.000Z";

function fixture(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}.yaml`);
}

function run(body: Buffer | string, format: "yaml" | "json" = "yaml"): PuppetRun {
  const read = readPuppetReport(body, format, AT);
  if (read.kind !== "run") throw new Error(`not read: ${read.reason}`);
  return read.run;
}

function reason(body: Buffer | string, format: "yaml" | "json" = "yaml"): string {
  const read = readPuppetReport(body, format, AT);
  if (read.kind === "run") throw new Error("read as a run");
  return read.reason;
}

/** A small report as Puppet 7 writes one, with `extra` lines inside it. */
function report(lines: string[]): string {
  return ["--- !ruby/object:Puppet::Transaction::Report", ...lines, ""].join("\n");
}

const HEAD = ["host: web-1", "time: '2026-12-01T18:54:58.654718038+00:00'", "status: changed"];

describe("readPuppetReport: the reports Puppet 7.23 sent", () => {
  it("reads changed.yaml: mail-1 changed, class postfix", () => {
    expect(run(fixture("changed"))).toEqual({
      node: "mail-1",
      time: "2026-12-01T18:54:42.046Z",
      status: "changed",
      environment: "production",
      configurationVersion: "1796151282",
      puppetVersion: "7.23.0",
      failures: [],
      compileErrors: [],
      classes: ["postfix"],
      receivedAt: AT,
    });
  });

  it("reads failed.yaml: the exec's failure with its message, no compile error", () => {
    expect(run(fixture("failed"))).toEqual({
      node: "db-1",
      time: "2026-12-01T18:54:39.481Z",
      status: "failed",
      environment: "production",
      configurationVersion: "1796151279",
      puppetVersion: "7.23.0",
      failures: [
        {
          resource: "Exec[bars-fails]",
          message:
            "change from 'notrun' to ['0'] failed: '/bin/false' returned 1 instead of one of [0]",
          // Applied from `-e`: Puppet gives the file as '' (line 1), so there is no place.
          source: null,
        },
      ],
      // Puppet's own "'/bin/false' returned 1 …" line (source Puppet) repeats the failure.
      compileErrors: [],
      classes: ["app::broken"],
      receivedAt: AT,
    });
  });

  it("reads unchanged.yaml: a file resource of the top scope, so no class", () => {
    expect(run(fixture("unchanged"))).toEqual({
      node: "web-1",
      time: "2026-12-01T18:54:58.654Z",
      status: "unchanged",
      environment: "production",
      configurationVersion: "1796151298",
      puppetVersion: "7.23.0",
      failures: [],
      compileErrors: [],
      classes: [],
      receivedAt: AT,
    });
  });
});

describe("readPuppetReport: what a report can say", () => {
  it("takes a failure's message from its failed event when no log names it, and its file:line", () => {
    const body = report([
      ...HEAD.slice(0, 2),
      "status: failed",
      "logs:",
      "- level: err",
      "  message: |-",
      "    Found 1 dependency cycle:",
      "    (Notify[a] => Notify[b] => Notify[a])",
      "  source: Puppet",
      "- level: err",
      "  message: 'Failed to apply catalog: One or more resource dependency cycles detected'",
      "  source: Puppet",
      "- level: warning",
      "  message: not an error",
      "  source: Puppet",
      "resource_statuses:",
      "  Notify[b]:",
      "    resource: Notify[b]",
      "    file: /etc/puppetlabs/code/site.pp",
      "    line: 3",
      "    failed: true",
      "    containment_path: ['Stage[main]', Cyc, 'Mytype[x]', 'Notify[b]']",
      "    events:",
      "    - status: success",
      "      message: not this one",
      "    - status: failure",
      "      message: resource is part of a dependency cycle",
      "  Notify[a]:",
      "    failed: true",
      "    file: /etc/puppetlabs/code/site.pp",
      "    containment_path: ['Stage[main]', 'Class[Other::Thing]', 'Notify[a]']",
      "  Notify[c]:",
      "    failed: false",
      "    containment_path: ['Stage[main]', Main, 'Notify[c]']",
    ]);
    expect(run(body)).toMatchObject({
      status: "failed",
      environment: null,
      configurationVersion: null,
      puppetVersion: null,
      failures: [
        {
          resource: "Notify[a]",
          message: "failed (the report gives no message)",
          source: "/etc/puppetlabs/code/site.pp",
        },
        {
          resource: "Notify[b]",
          message: "resource is part of a dependency cycle",
          source: "/etc/puppetlabs/code/site.pp:3",
        },
      ],
      compileErrors: [
        "Found 1 dependency cycle: (Notify[a] => Notify[b] => Notify[a])",
        "Failed to apply catalog: One or more resource dependency cycles detected",
      ],
      classes: ["cyc", "other::thing"],
    });
  });

  it("reads the Ruby tags inside a report as the plain values they tag, and aliases", () => {
    const body = report([
      ...HEAD,
      "environment: !ruby/sym production",
      "configuration_version: !ruby/string:Foo abc123",
      "resource_statuses: !ruby/hash:Puppet::Util::Hash",
      "  Exec[x]: !ruby/object:Puppet::Resource::Status",
      "    failed: true",
      "    containment_path: &path ['Stage[main]', Web, 'Exec[x]']",
      "    events: [{ status: failure, message: boom }]",
      "  Exec[y]: !ruby/object:Puppet::Resource::Status",
      "    containment_path: *path",
    ]);
    expect(run(body)).toMatchObject({
      environment: "production",
      configurationVersion: "abc123",
      failures: [{ resource: "Exec[x]", message: "boom", source: null }],
      classes: ["web"],
    });
  });

  it("reads the same report as JSON", () => {
    const body = JSON.stringify({
      host: "mail-1",
      time: "2026-12-01T18:54:42.046311+00:00",
      status: "unchanged",
      environment: "production",
      configuration_version: 7,
      puppet_version: "7.23.0",
      logs: [],
      resource_statuses: {},
    });
    expect(run(body, "json")).toEqual({
      node: "mail-1",
      time: "2026-12-01T18:54:42.046Z",
      status: "unchanged",
      environment: "production",
      configurationVersion: "7",
      puppetVersion: "7.23.0",
      failures: [],
      compileErrors: [],
      classes: [],
      receivedAt: AT,
    });
  });
});

describe("readPuppetReport: malformed bodies", () => {
  it("names what is wrong", () => {
    expect(reason("host: [a, b")).toMatch(/^not YAML: /);
    expect(reason("")).toBe("the body is empty");
    expect(reason("{ not json", "json")).toMatch(/^not JSON: /);
    expect(reason("- a\n- b\n")).toBe(
      "not a Puppet report: expected a mapping with host, time and status",
    );
    expect(reason("--- !ruby/object:Puppet::Node::Facts\nname: web-1\n")).toBe(
      "not a Puppet report: the document is tagged !ruby/object:Puppet::Node::Facts",
    );
    expect(reason(report([HEAD[0]!, HEAD[1]!]))).toBe("the report has no status");
    expect(reason(report([HEAD[1]!, HEAD[2]!]))).toBe(
      "the report has no host (the node's certname)",
    );
    expect(reason(report([HEAD[0]!, HEAD[2]!]))).toBe("the report has no time");
    expect(reason(report([...HEAD.slice(0, 2), "status: broken"]))).toBe(
      'status "broken": expected one of changed, unchanged, failed',
    );
    expect(reason(report(["host: a/b", ...HEAD.slice(1)]))).toBe('host "a/b" is not a certname');
    expect(reason(report([HEAD[0]!, "time: yesterday", HEAD[2]!]))).toBe(
      'time "yesterday" is not a time',
    );
    expect(reason(report([...HEAD, "logs: 3"]))).toBe("logs is not a list");
    expect(reason(report([...HEAD, "environment: !Ref production"]))).toBe(
      "not YAML: unknown tag !<!Ref> (line 5)",
    );
    expect(reason(report([...HEAD, "resource_statuses: [1]"]))).toBe(
      "resource_statuses is not a mapping",
    );
    expect(reason(report([...HEAD, "host: again"]))).toBe(
      "not YAML: duplicated mapping key (line 5)",
    );
  });

  it("refuses a YAML bomb (aliases past the bound) and a body over 16 MB", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 0; i < 11; i++) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      bomb.push(`${next}: &${next} [${Array(10).fill(`*${prev}`).join(", ")}]`);
    }
    expect(reason([...HEAD, ...bomb].join("\n"))).toBe(
      "more than 100 aliases: not a Puppet report",
    );
    const big = readPuppetReport(Buffer.alloc(MAX_REPORT_BYTES + 1, 0x20), "yaml", AT);
    expect(big).toEqual({
      kind: "too-large",
      reason: "the report is larger than 16777216 bytes",
    });
  });
});

describe("readPuppetReport: a large report", () => {
  it("reads 10,000 resource statuses (8 MB) in a few seconds at most, not minutes", () => {
    const base = fixture("failed").toString();
    const from = base.indexOf("  Notify[ok]:");
    const to = base.indexOf("  Schedule[puppet]:");
    const block = base.slice(from, to);
    const many = Array.from({ length: 10_000 }, (_, n) =>
      block.replaceAll("Notify[ok]", `Notify[ok-${n}]`),
    ).join("");
    const body = base.slice(0, from) + many + base.slice(to);
    expect(Buffer.byteLength(body)).toBeGreaterThan(8_000_000);
    const started = performance.now();
    const read = run(body);
    // Parsed with yaml's unique-key check it took 33 s here; js-yaml takes about 0.5 s.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(read.failures.map((f) => f.resource)).toEqual(["Exec[bars-fails]"]);
    expect(read.classes).toEqual(["app::broken"]);
  });
});

describe("reportFormat", () => {
  it("knows YAML and JSON by their content types, and nothing else", () => {
    expect(reportFormat("application/x-yaml")).toBe("yaml");
    expect(reportFormat("text/yaml; charset=utf-8")).toBe("yaml");
    expect(reportFormat("Application/JSON")).toBe("json");
    expect(reportFormat("text/plain")).toBeNull();
    expect(reportFormat(undefined)).toBeNull();
  });
});
