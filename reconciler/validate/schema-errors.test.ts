import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { validate } from "./validate.js";

async function schemaDiagnostics(yaml: string): Promise<Diagnostic[]> {
  const { value, diagnostics } = await loadRepo(memorySource({ "r.yaml": yaml }));
  expect(diagnostics).toEqual([]);
  return validate(value).filter((d) => d.code.startsWith("LAB1"));
}

function brief(d: Diagnostic): string {
  return `${d.line}:${d.col} ${d.code} ${d.pointer} | ${d.message}`;
}

describe("ajv error mapping", () => {
  it("reports an unknown key at the key, with did-you-mean and the allowed keys (LAB100)", async () => {
    const d = await schemaDiagnostics("servers:\n  web-01:\n    provider: aws\n    sise: large\n");
    expect(d.map(brief)).toEqual([
      '4:5 LAB100 /servers/web-01/sise | servers.web-01: unknown key "sise" (did you mean "size"?); allowed keys: address, description, environment, image, ipmi, labels, mac, provider, region, size, user',
    ]);
  });

  it("reports a wrong type naming the value (LAB101)", async () => {
    const d = await schemaDiagnostics("labels:\n  web:\n    ports: [80, '443']\n");
    expect(d.map(brief)).toEqual([
      '3:17 LAB101 /labels/web/ports/1 | labels.web.ports[1]: expected a whole number, got the string "443"',
    ]);
  });

  it("reports a missing required key at the owner's key, with a fix listing choices (LAB102)", async () => {
    const d = await schemaDiagnostics("servers:\n  web-01:\n    size: small\n");
    expect(d).toEqual([
      {
        file: "r.yaml",
        line: 2,
        col: 3,
        severity: "error",
        code: "LAB102",
        pointer: "/servers/web-01/provider",
        message: 'servers.web-01: missing required key "provider"',
        fix: "add provider: one of aws, xcpng, baremetal, ssh",
      },
    ]);
  });

  it("reports a value outside an enum with the valid ones (LAB103)", async () => {
    const d = await schemaDiagnostics("servers:\n  web-01: { provider: awz }\n");
    expect(d.map(brief)).toEqual([
      '2:23 LAB103 /servers/web-01/provider | servers.web-01.provider: provider "awz" is not allowed (did you mean "aws"?); valid: aws, xcpng, baremetal, ssh',
    ]);
  });

  it("reports a bad pattern in words (LAB104)", async () => {
    const d = await schemaDiagnostics("sizes:\n  m:\n    abstract: { memory: 8 gigs }\n");
    expect(d.map(brief)).toEqual([
      '3:25 LAB104 /sizes/m/abstract/memory | sizes.m.abstract.memory: the string "8 gigs" does not fit: expected an amount such as 8GB, 8192MB or 1TB',
    ]);
  });

  it("reports a bad name at the key (LAB104) and a bad enum key (LAB103)", async () => {
    const d = await schemaDiagnostics(
      "servers:\n  Web_01: { provider: aws }\nlab:\n  prices:\n    awz: { t3.small: 15 }\n",
    );
    expect(d.map(brief)).toEqual([
      "2:3 LAB104 /servers/Web_01 | servers: invalid name \"Web_01\": expected a host name: letters, digits, '.' and '-', starting and ending with a letter or digit",
      '5:5 LAB103 /lab/prices/awz | lab.prices: key "awz" is not allowed (did you mean "aws"?); valid: aws, xcpng, baremetal, ssh',
    ]);
  });

  it("collapses oneOf into one message when no branch fits the type", async () => {
    const d = await schemaDiagnostics(
      "groups:\n  g: { match: { labels: 5, provider: { a: 1 } } }\nlabels:\n  l: { puppet_classes: ntp }\n",
    );
    expect(d.map(brief)).toEqual([
      "2:25 LAB101 /groups/g/match/labels | groups.g.match.labels: expected one name or a list of names, got the number 5",
      "2:38 LAB101 /groups/g/match/provider | groups.g.match.provider: expected one provider or a list of providers, got a mapping",
      '4:24 LAB101 /labels/l/puppet_classes | labels.l.puppet_classes: expected classes in order, or a mapping of class -> parameters, got the string "ntp"',
    ]);
  });

  it("keeps only the fitting branch's errors when the type picks a oneOf branch", async () => {
    const d = await schemaDiagnostics(
      "groups:\n  g: { match: { labels: [ok, 'not ok'], provider: awz } }\n",
    );
    expect(d.map((x) => `${x.code} ${x.pointer}`)).toEqual([
      "LAB104 /groups/g/match/labels/1",
      "LAB103 /groups/g/match/provider",
    ]);
  });

  it("does not blame a list for the enum of the single-value branch", async () => {
    const d = await schemaDiagnostics(
      "alerts:\n  - name: a\n    target: { provider: [aws, xcp] }\n    expr: up == 0\n",
    );
    expect(d.map(brief)).toEqual([
      '3:31 LAB103 /alerts/0/target/provider/1 | alerts[0].target.provider[1]: provider "xcp" is not allowed (did you mean "xcpng"?); valid: aws, xcpng, baremetal, ssh',
    ]);
  });

  it("reports nothing for a valid config", async () => {
    expect(
      await schemaDiagnostics(
        "servers:\n  web-01: { provider: aws, labels: [web] }\nlabels:\n  web: { puppet_classes: { nginx: { port: 80 } } }\n",
      ),
    ).toEqual([]);
  });
});
