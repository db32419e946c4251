import { describe, expect, it } from "vitest";
import { memoryOutput } from "../../core/output.js";
import { makeArtifact, type Artifact } from "../../core/renderer.js";
import { createMemoryStateStore, type StateStore } from "../../core/state-store.js";
import { applyOutputs, type ApplyOptions } from "./apply-outputs.js";

function artifacts(version: string): Artifact[] {
  return [
    makeArtifact("prometheus/rules/a.yaml", `groups: [] # ${version}\n`, []),
    makeArtifact("prometheus/targets/x.json", "[]\n", []),
    makeArtifact("naemon/hosts.cfg", `# ${version}\n`, []),
  ];
}

class Crash extends Error {}

async function run(
  store: StateStore,
  outputs: ReturnType<typeof memoryOutput>[],
  version: string,
  extra: Partial<ApplyOptions> = {},
) {
  const runId = await store.startRun({ revision: version, trigger: "test" });
  return applyOutputs(outputs, artifacts(version), {
    store,
    runId,
    revision: version,
    holder: "test-1",
    ...extra,
  });
}

describe("applying outputs", () => {
  it("writes and tells each output once; the same revision again does nothing", async () => {
    const store = createMemoryStateStore();
    const outputs = [memoryOutput("prometheus"), memoryOutput("naemon")];
    const first = await run(store, outputs, "r1");
    expect(first.map((r) => [r.name, r.status, r.added, r.notified])).toEqual([
      ["prometheus", "applied", 2, true],
      ["naemon", "applied", 1, true],
    ]);
    expect([...outputs[0]!.files.keys()]).toEqual(["rules/a.yaml", "targets/x.json"]);
    const again = await run(store, outputs, "r1");
    expect(again.map((r) => r.status)).toEqual(["unchanged", "unchanged"]);
    expect(outputs.map((o) => o.notified)).toEqual([1, 1]);
    expect((await store.applied("prometheus"))?.revision).toBe("r1");
    expect(await store.pendingIntents()).toEqual([]);
  });

  it("puts the previous files back when the consumer refuses, and records nothing", async () => {
    const store = createMemoryStateStore();
    const refusing = memoryOutput("prometheus", {
      refuse: (files) => (files.some((f) => f.content.includes("r2")) ? "bad rule" : null),
    });
    await run(store, [refusing], "r1");
    const before = new Map(refusing.files);
    const [result] = await run(store, [refusing], "r2");
    expect(result).toMatchObject({ status: "failed", reason: "bad rule", changed: 1 });
    expect(refusing.files).toEqual(before);
    expect((await store.applied("prometheus"))?.revision).toBe("r1");
  });

  for (const step of ["write", "written", "verified", "notify", "notified"]) {
    it(`finishes what a run killed at "${step}" left, telling the consumer exactly once`, async () => {
      const store = createMemoryStateStore();
      const output = memoryOutput("prometheus");
      await run(store, [output], "r1");
      const crash = (_target: string, at: string) => {
        if (at === step) throw new Crash(step);
      };
      await expect(run(store, [output], "r2", { at: crash })).rejects.toBeInstanceOf(Crash);
      await store.releaseLease("prometheus", "test-1");
      const [result] = await run(store, [output], "r2");
      expect(result?.status).toBe("applied");
      expect(output.notified).toBe(2);
      expect((await store.applied("prometheus"))?.revision).toBe("r2");
      expect(await store.pendingIntents()).toEqual([]);
      expect((await run(store, [output], "r2"))[0]?.status).toBe("unchanged");
      expect(output.notified).toBe(2);
    });
  }

  it("leaves an output another holder is applying alone", async () => {
    const store = createMemoryStateStore();
    const output = memoryOutput("prometheus");
    expect(await store.acquireLease("prometheus", "other", 60_000)).toBe(true);
    const [result] = await run(store, [output], "r1");
    expect(result).toMatchObject({ status: "busy", reason: "another lab (other) is applying it" });
    expect(output.files.size).toBe(0);
  });

  it("records a revision whose files are those already applied without writing", async () => {
    const store = createMemoryStateStore();
    const output = memoryOutput("naemon");
    const naemonOnly = (v: string) => artifacts(v).filter((a) => !a.path.startsWith("naemon/"));
    const runId = await store.startRun({ revision: "r1", trigger: "test" });
    const options = { store, runId, holder: "h", revision: "r1" };
    await applyOutputs([output], naemonOnly("r1"), options);
    const r2 = await applyOutputs([output], naemonOnly("r2"), { ...options, revision: "r2" });
    expect(r2[0]?.status).toBe("unchanged");
    expect((await store.applied("naemon"))?.revision).toBe("r2");
  });
});
