import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { FileSource } from "../core/file-source.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { loadRepo } from "../reconciler/load/load-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";

/** The loader's output must not depend on the order in which a FileSource lists files. */
const EXAMPLE = fileURLToPath(new URL("../examples/infra-repo/", import.meta.url));

/** Files that disagree with each other, so that the order decides which place is "first". */
const CONFLICTS: Record<string, string> = {
  "conflicts/a.yaml": [
    "servers:",
    "  dup-1: { provider: aws }",
    "alerts:",
    "  - { name: dup_alert, target: { servers: [dup-1] }, expr: up == 0 }",
    "lab: { default_branch: trunk }",
    "",
  ].join("\n"),
  "conflicts/b.yaml": [
    "servers:",
    "  dup-1: { provider: ssh }",
    "alerts:",
    "  - { name: dup_alert, target: { servers: [dup-1] }, expr: up == 1 }",
    "  - { name: second, target: { groups: [nope] }, condition: x >> 1 }",
    "lab: { default_branch: main }",
    "",
  ].join("\n"),
  "conflicts/c.yaml": "servers:\n  dup-1: { provider: xcpng }\nbogus: 1\n",
};

async function readAll(source: FileSource): Promise<Record<string, Uint8Array>> {
  const files: Record<string, Uint8Array> = {};
  for (const entry of (await source.list()).files) {
    files[entry.path] = await source.read(entry.path);
  }
  return files;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("load determinism", () => {
  it("gives identical config, files, puppet index and diagnostics for shuffled listings", async () => {
    const files = { ...(await readAll(dirSource(EXAMPLE))), ...CONFLICTS };
    const paths = Object.keys(files).sort();
    const reference = await checkRepo(memorySource(files, { order: paths }));
    expect(reference.diagnostics.map((d) => d.code)).toContain("LAB011");
    const referenceConfig = JSON.stringify(reference.repo.config);
    for (const seed of [1, 7, 42, 1234, 99991]) {
      const order = shuffled(paths, seed);
      expect(order).not.toEqual(paths);
      const run = await checkRepo(memorySource(files, { order }));
      expect(JSON.stringify(run.repo.config)).toBe(referenceConfig);
      expect(run.repo.files).toEqual(reference.repo.files);
      expect(JSON.stringify(run.repo.puppet)).toBe(JSON.stringify(reference.repo.puppet));
      expect(run.diagnostics).toEqual(reference.diagnostics);
    }
  });

  it("keeps the first definition by path, whatever the listing order", async () => {
    const paths = Object.keys(CONFLICTS);
    for (const order of [paths, [...paths].reverse()]) {
      const { value } = await loadRepo(memorySource(CONFLICTS, { order }));
      expect(value.config.servers?.["dup-1"]).toEqual({ provider: "aws" });
      expect(value.config.lab).toEqual({ default_branch: "trunk" });
      expect(value.config.alerts?.map((a) => a.expr ?? a.condition)).toEqual([
        "up == 0",
        "up == 1",
        "x >> 1",
      ]);
    }
  });
});
