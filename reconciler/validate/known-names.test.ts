import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { validate } from "./validate.js";

async function check(files: Record<string, string>): Promise<string[]> {
  const { value, diagnostics } = await loadRepo(memorySource(files));
  expect(diagnostics).toEqual([]);
  return validate(value).map(brief);
}

function brief(d: Diagnostic): string {
  return `${d.severity} ${d.code} ${d.pointer} | ${d.message}`;
}

describe("environments", () => {
  it("are checked against the default set when the repo declares none", async () => {
    const d = await check({
      "s.yaml": [
        "servers:",
        "  a: { provider: ssh, environment: prod }",
        "  b: { provider: ssh, environment: production }",
        "  c: { provider: ssh, environment: qa }",
        "",
      ].join("\n"),
    });
    expect(d).toEqual([
      'error LAB208 /servers/b/environment | unknown environment "production" (did you mean "prod"?); the default environments are dev, prod, staging',
      'error LAB208 /servers/c/environment | unknown environment "qa"; the default environments are dev, prod, staging',
    ]);
  });

  it("are only the declared ones when lab.environments declares some", async () => {
    const d = await check({
      "lab.yaml": "lab:\n  environments: { live: production }\n",
      "s.yaml":
        "servers:\n  a: { provider: ssh, environment: prod }\n  b: { provider: ssh, environment: live }\n",
      "g.yaml": "groups:\n  g: { match: { environment: [live, lvie] } }\n",
    });
    expect(d).toEqual([
      'error LAB208 /groups/g/match/environment/1 | unknown environment "lvie" (did you mean "live"?); lab.environments declares live',
      'error LAB208 /servers/a/environment | unknown environment "prod"; lab.environments declares live',
    ]);
  });

  it("are not checked again where the schema already refused the value", async () => {
    const d = await check({ "s.yaml": "servers:\n  a: { provider: ssh, environment: [prod] }\n" });
    expect(d.map((line) => line.split(" ")[1])).toEqual(["LAB101"]);
  });
});

describe("regions", () => {
  it("warn for a region written once that is close to one written several times", async () => {
    const d = await check({
      "s.yaml": [
        "servers:",
        "  a: { provider: ssh, region: dc-north }",
        "  b: { provider: ssh, region: dc-north }",
        "  c: { provider: ssh, region: dc-nroth }",
        "  d: { provider: ssh, region: attic }",
        "",
      ].join("\n"),
    });
    expect(d).toEqual([
      'warning LAB209 /servers/c/region | region "dc-nroth" is written only here (did you mean "dc-north"?); regions have no declared list, so lab cannot check it',
    ]);
  });

  it("count a region lab.regions maps as known", async () => {
    const d = await check({
      "lab.yaml": "lab:\n  regions: { aws: { eu-west: eu-west-1 } }\n",
      "s.yaml":
        "servers:\n  a: { provider: ssh, region: eu-west }\n  b: { provider: ssh, region: eu-wets }\n",
    });
    expect(d.map((line) => line.split(" | ")[0])).toEqual(["warning LAB209 /servers/b/region"]);
  });
});
