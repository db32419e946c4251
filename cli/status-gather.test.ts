import { describe, expect, it } from "vitest";
import type { HealthSource } from "../core/health-source.js";
import { memoryHealthSource } from "../core/memory-health-source.js";
import { createMemoryStateStore } from "../core/state-store.js";
import { gatherFacts, localBudgetMs, readBounded, readSources } from "./status-gather.js";

const NOW = Date.parse("2026-03-15T15:00:00Z");
const never = new AbortController().signal;

/** A source that never answers and ignores its signal: only the bound ends the wait. */
const hanging: HealthSource = {
  name: "stuck",
  kind: "memory",
  read: () => new Promise(() => {}),
};

describe("reading health sources", () => {
  it("a source that throws is a snapshot that did not answer, with the reason", async () => {
    const broken: HealthSource = {
      name: "broken",
      kind: "memory",
      read: () => Promise.reject(new Error("status file is not readable")),
    };
    const snap = await readBounded(broken, ["web-1"], 500, never, () => NOW);
    expect(snap).toEqual({
      source: "broken",
      ok: false,
      reason: "status file is not readable",
      at: "2026-03-15T15:00:00.000Z",
      servers: new Map(),
    });
  });

  it("a source that hangs is cut at its bound; the others answer as they are", async () => {
    const memory = memoryHealthSource({ name: "naemon" });
    memory.set("web-1", "ok");
    const started = performance.now();
    const snaps = await readSources(
      [hanging, memory],
      ["web-1"],
      5_000,
      never,
      new Map([["stuck", 150]]),
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(snaps.map((s) => [s.source, s.ok, s.reason])).toEqual([
      ["stuck", false, "timed out after 0.2 s"],
      ["naemon", true, null],
    ]);
    expect(snaps[1]!.servers.get("web-1")?.state).toBe("ok");
  });

  it("the budget bounds a source whose own timeout is longer", async () => {
    const snaps = await readSources([hanging], ["web-1"], 100, never, new Map([["stuck", 30_000]]));
    expect(snaps[0]!.reason).toBe("timed out after 0.1 s");
  });
});

describe("localBudgetMs: a shell command's sources get what is left of 900 ms after its start", () => {
  it("the rest of 900 ms, never more than 800 ms nor less than 400 ms", () => {
    expect([0, 100, 300, 500, 700, 5000].map(localBudgetMs)).toEqual([
      800, 800, 600, 400, 400, 400,
    ]);
  });
});

describe("gatherFacts", () => {
  it("the head is the newest run that is not invalid; each output's applied revision; Puppet runs by name", async () => {
    const store = createMemoryStateStore();
    const good = await store.startRun({ revision: "a".repeat(40), trigger: "cli" });
    await store.recordApplied("prometheus", "a".repeat(40), {});
    await store.finishRun(good, { result: "ok", diagnostics: 0 });
    const bad = await store.startRun({ revision: "b".repeat(40), trigger: "cli" });
    await store.finishRun(bad, { result: "invalid", diagnostics: 3 });
    await store.recordPuppetRun(
      {
        node: "10.0.0.2",
        time: "2026-03-15T14:50:00Z",
        status: "failed",
        environment: "production",
        configurationVersion: null,
        puppetVersion: null,
        failures: [],
        compileErrors: ["Could not find class ::nope"],
        classes: [],
        receivedAt: "2026-03-15T14:50:01Z",
      },
      false,
    );
    const facts = await gatherFacts({
      servers: [
        { name: "web-1", address: "10.0.0.1" },
        { name: "db-1", address: "10.0.0.2" },
      ],
      store,
      outputs: ["naemon", "prometheus"],
      sources: null,
      now: () => NOW,
    });
    expect(facts.sync).toEqual({
      head: "a".repeat(40),
      outputs: [
        { name: "naemon", revision: null },
        { name: "prometheus", revision: "a".repeat(40) },
      ],
      run: { revision: "a".repeat(40), result: "ok" },
      drift: [],
    });
    expect([...facts.puppet!.keys()]).toEqual(["db-1"]);
    expect(facts.puppet!.get("db-1")).not.toHaveProperty("known");
    expect(facts.health).toBeNull();
    expect(facts.identity).toBeNull();
    expect(facts.now).toBe(NOW);
  });
});
