import { describe, expect, it } from "vitest";
import { evaluateSelector } from "./evaluate.js";
import { buildIndex, rankIndex, type ServerFacts, type Universe } from "./universe.js";

function facts(name: string, labels: string[], environment: string | null): ServerFacts {
  return { name, labels, environment, region: null, provider: "ssh", size: null };
}

const SERVERS = [facts("a", ["x"], "prod"), facts("b", ["y"], "dev"), facts("c", ["x", "y"], null)];

/** A universe whose group "inner" is evaluated while an outer selection is being built. */
function universe(): Universe {
  const u: Universe = {
    servers: SERVERS,
    rankOf: rankIndex(SERVERS),
    index: buildIndex(SERVERS),
    groupMembers: (name) =>
      name === "inner" ? new Set(evaluateSelector(u, { labels: ["y"] }).ranks) : undefined,
  };
  return u;
}

describe("evaluateSelector", () => {
  it("evaluates nested selections (groups resolved on demand) without mixing their state", () => {
    const u = universe();
    const outer = evaluateSelector(u, { environment: "prod", groups: ["inner"] });
    expect(outer.members.map((m) => [m.name, m.from])).toEqual([
      ["a", [{ kind: "environment", name: "prod" }]],
      ["b", [{ kind: "group", name: "inner" }]],
      ["c", [{ kind: "group", name: "inner" }]],
    ]);
    expect(evaluateSelector(u, { labels: "x" }).members.map((m) => m.name)).toEqual(["a", "c"]);
  });

  it("shares one provenance array between members picked the same way", () => {
    const sel = evaluateSelector(universe(), { labels: ["x"] });
    expect(sel.members[0]!.from).toBe(sel.members[1]!.from);
  });

  it("returns members in name order even when sources add them out of order", () => {
    const sel = evaluateSelector(universe(), { servers: ["c", "a"], exclude: { labels: "y" } });
    expect(sel.members.map((m) => m.name)).toEqual(["a"]);
    expect(sel.ranks).toEqual([0]);
    expect(sel.excluded).toEqual([{ name: "c", why: [{ by: "labels", value: "y" }] }]);
    expect(sel.excludedRanks).toEqual([2]);
  });
});
