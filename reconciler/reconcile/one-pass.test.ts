/**
 * One pass over memory parts (a memory state store, memory outputs, files held in memory): the
 * revision is rendered once; a later pass over the same content finds its outputs holding it
 * already and renders nothing (already-applied.ts), unless an output or the store says otherwise.
 */
import { describe, expect, it } from "vitest";
import { memoryOutput, type MemoryOutput } from "../../core/output.js";
import { createMemoryStateStore, type StateStore } from "../../core/state-store.js";
import { checkRepo } from "../check-repo.js";
import { memorySource } from "../load/memory-source.js";
import type { RenderedSets, RenderedSetStore } from "./already-applied.js";
import { reconcileOnce, type PassInput } from "./one-pass.js";

const REPO: Readonly<Record<string, string>> = {
  "lab.yaml": "lab:\n  name: small\n",
  "labels.yaml": "labels:\n  web:\n    puppet_classes: [nginx]\n",
  "servers.yaml": [
    "servers:",
    "  web-1: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.1 }",
    "  web-2: { provider: ssh, labels: [web], environment: prod, address: 10.0.0.2 }",
    "",
  ].join("\n"),
};

function setStore(): RenderedSetStore & { entries: Map<string, RenderedSets> } {
  const entries = new Map<string, RenderedSets>();
  return {
    entries,
    read: (key) => entries.get(key) ?? null,
    write: (key, sets) => void entries.set(key, sets),
  };
}

interface World {
  store: StateStore;
  outputs: MemoryOutput[];
  sets: ReturnType<typeof setStore>;
  checks: number;
}

function world(): World {
  const names = ["prometheus", "naemon", "enc", "pulumi"] as const;
  return {
    store: createMemoryStateStore(),
    outputs: names.map((n) => memoryOutput(n)),
    sets: setStore(),
    checks: 0,
  };
}

/** A pass over `files` at `revision`; the key is the content, as the persistent cache's is. */
function pass(w: World, revision: string, files: Readonly<Record<string, string>> = REPO) {
  let tick = 0;
  const input: PassInput = {
    source: memorySource(files),
    revision,
    store: w.store,
    outputs: () => w.outputs,
    holder: "test:1",
    trigger: "test",
    renderedSets: w.sets,
    // Every reading of the clock is one ms later: a stage that ran took at least one.
    now: () => tick++,
    check: async (source) => {
      w.checks += 1;
      return { checked: await checkRepo(source), key: JSON.stringify(files) };
    },
  };
  return reconcileOnce(input);
}

describe("a pass over a revision its outputs already hold", () => {
  it("renders nothing and changes nothing; the first pass rendered and applied", async () => {
    const w = world();
    const first = await pass(w, "r1");
    expect(first.result).toBe("ok");
    expect(first.timings.render).toBeGreaterThan(0);
    expect(w.sets.entries.size).toBe(1);
    const again = await pass(w, "r1");
    expect(again.result).toBe("no-change");
    expect(again.timings.render).toBe(0);
    expect(again.targets.map((t) => [t.name, t.status])).toEqual([
      ["prometheus", "unchanged"],
      ["naemon", "unchanged"],
      ["enc", "unchanged"],
      ["pulumi", "unchanged"],
    ]);
    expect(again.plan?.summary.changes).toBe(false);
    expect(again.plan?.base).toBe("r1");
    expect(w.outputs.map((o) => o.notified)).toEqual([1, 1, 1, 1]);
  });

  it("records a new commit with the same content as applied, still without rendering", async () => {
    const w = world();
    await pass(w, "r1");
    const next = await pass(w, "r2");
    expect(next.result).toBe("no-change");
    expect(next.timings.render).toBe(0);
    expect(next.plan?.base).toBe("r1");
    for (const o of w.outputs) expect((await w.store.applied(o.name))?.revision).toBe("r2");
  });

  it("renders and puts back an output whose files were changed by hand", async () => {
    const w = world();
    await pass(w, "r1");
    const enc = w.outputs[2]!;
    const [path] = [...enc.files.keys()];
    enc.files.set(path!, "edited");
    const again = await pass(w, "r1");
    expect(again.timings.render).toBeGreaterThan(0);
    expect(again.targets.find((t) => t.name === "enc")).toMatchObject({
      status: "applied",
      changed: 1,
    });
    expect(enc.files.get(path!)).not.toBe("edited");
  });

  it("renders when the store does not say the files are applied, or a step is journaled", async () => {
    const w = world();
    await pass(w, "r1");
    const fresh = { ...w, store: createMemoryStateStore() };
    const again = await pass(fresh, "r1");
    expect(again.timings.render).toBeGreaterThan(0);
    // A store that lost its records converges: the outputs are recorded as applied again.
    expect((await fresh.store.applied("enc"))?.revision).toBe("r1");
    const runId = await w.store.startRun({ revision: "r1", trigger: "test" });
    await w.store.journalIntent(runId, "naemon", "notify", `${runId}/left`);
    const journaled = await pass(w, "r1");
    expect(journaled.timings.render).toBeGreaterThan(0);
  });

  it("renders a revision whose content it has not seen, and applies only what changed", async () => {
    const w = world();
    await pass(w, "r1");
    const changed = {
      ...REPO,
      "labels.yaml": "labels:\n  web:\n    puppet_classes: [nginx, php]\n",
    };
    const next = await pass(w, "r2", changed);
    expect(next.timings.render).toBeGreaterThan(0);
    expect(next.result).toBe("ok");
    expect(next.targets.find((t) => t.name === "enc")).toMatchObject({
      status: "applied",
      changed: 2,
    });
    expect(w.sets.entries.size).toBe(2);
  });

  it("never remembers a revision with errors", async () => {
    const w = world();
    const broken = { ...REPO, "servers.yaml": "servers:\n  web-1: { labels: [nope] }\n" };
    const result = await pass(w, "bad", broken);
    expect(result.result).toBe("invalid");
    expect(w.sets.entries.size).toBe(0);
  });
});
