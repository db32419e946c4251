import { describe, expect, it } from "vitest";
import type { ResolvedModel, ResolvedServer } from "../core/model.js";
import { restrictModel } from "./restrict-model.js";

const pos = { file: "x.yaml", line: 1, col: 1 };

function server(name: string): ResolvedServer {
  return {
    name,
    provider: "ssh",
    labels: ["web"],
    environment: "prod",
    region: null,
    size: null,
    sizeFrom: null,
    address: name,
    groups: ["g"],
    classes: [],
    alerts: [],
    secrets: [],
    ports: [],
    excludedFrom: [],
    spec: { provider: "ssh" },
    source: pos,
  };
}

const from = [{ kind: "label" as const, name: "web" }];
const model: ResolvedModel = {
  settings: {
    name: "t",
    environments: {},
    defaultBranch: "main",
    ignore: [],
    prices: {},
    regions: {},
  },
  servers: [server("a"), server("b"), server("c")],
  labels: [{ name: "web", spec: {}, classes: [], servers: ["a", "b", "c"], source: pos }],
  groups: [
    {
      name: "g",
      spec: {},
      members: [
        { name: "a", from },
        { name: "b", from },
      ],
      subgroups: [],
      excluded: [{ name: "c", why: [{ by: "servers", value: "c" }] }],
      source: pos,
    },
  ],
  alerts: [
    {
      name: "u",
      spec: { name: "u", target: { labels: ["web"] } },
      severity: "warning",
      members: [{ name: "b", from }],
      excluded: [],
      source: pos,
    },
  ],
  checks: [
    { name: "only_c", members: [{ name: "c", from }] },
    {
      name: "all",
      members: [
        { name: "a", from },
        { name: "c", from },
      ],
    },
  ],
  sizes: [],
  secrets: [{ path: "s", spec: null, servers: ["a", "c"], source: null }],
};

describe("restrictModel", () => {
  it("keeps only the given servers everywhere, and drops checks left with none", () => {
    const r = restrictModel(model, new Set(["a"]));
    expect(r.servers.map((s) => s.name)).toEqual(["a"]);
    expect(r.labels[0]?.servers).toEqual(["a"]);
    expect(r.groups[0]?.members.map((m) => m.name)).toEqual(["a"]);
    expect(r.groups[0]?.excluded).toEqual([]);
    expect(r.alerts[0]?.members).toEqual([]);
    expect(r.checks.map((c) => [c.name, c.members.map((m) => m.name)])).toEqual([["all", ["a"]]]);
    expect(r.secrets[0]?.servers).toEqual(["a"]);
  });

  it("does not touch the model it was given", () => {
    const copy = structuredClone(model);
    restrictModel(model, new Set(["b"]));
    expect(model).toEqual(copy);
  });
});
