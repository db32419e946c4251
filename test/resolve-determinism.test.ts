/** Resolution is a pure function of the config: file order and key order never show in the model. */
import { describe, expect, it } from "vitest";
import { generateFiles, scaleFor } from "../bench/generate.js";
import { mulberry32, shuffled, type Rng } from "../bench/prng.js";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { LoadedRepo } from "../core/model.js";
import { loadRepo } from "../reconciler/load/load-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";
import { resolve } from "../reconciler/resolve/resolve.js";

/** A deep copy whose object keys are in a random order — except a puppet_classes mapping's. */
function shuffleKeys(value: unknown, rng: Rng, parentKey = ""): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, rng));
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const keys =
    parentKey === "puppet_classes" ? Object.keys(source) : shuffled(rng, Object.keys(source));
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = shuffleKeys(source[key], rng, key);
  return out;
}

async function readAll(root: string): Promise<Record<string, string>> {
  const source = dirSource(root);
  const files: Record<string, string> = {};
  for (const { path } of (await source.list()).files) {
    files[path] = Buffer.from(await source.read(path)).toString("utf8");
  }
  return files;
}

async function loadInOrder(files: Record<string, string>, order: string[]): Promise<LoadedRepo> {
  const loaded = await loadRepo(memorySource(files, { order }));
  expect(loaded.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loaded.value;
}

/** The resolved model and diagnostics as JSON: sorted file order, then shuffled file and key orders. */
async function resolvedVariants(files: Record<string, string>, seeds: number[]): Promise<string[]> {
  const paths = Object.keys(files).sort();
  const out: string[] = [];
  const baseline = resolve(await loadInOrder(files, paths));
  out.push(JSON.stringify(baseline));
  for (const seed of seeds) {
    const rng = mulberry32(seed);
    const repo = await loadInOrder(files, shuffled(rng, paths));
    const config = shuffleKeys(repo.config, rng) as LoadedRepo["config"];
    out.push(JSON.stringify(resolve({ ...repo, config })));
  }
  return out;
}

describe("resolve determinism", () => {
  it("examples/infra-repo: shuffled file and key order give byte-identical models", async () => {
    const [baseline, ...variants] = await resolvedVariants(
      await readAll("examples/infra-repo"),
      [1, 2, 3],
    );
    expect(baseline).toContain('"name":"worker-5"');
    for (const variant of variants) expect(variant).toBe(baseline);
  });

  it("a generated repo (nested groups, excludes, alerts, classes with secrets) likewise", async () => {
    const generated = generateFiles({ ...scaleFor(600), seed: 11 });
    const files = Object.fromEntries(generated);
    const [baseline, ...variants] = await resolvedVariants(files, [4, 5]);
    const parsed = JSON.parse(baseline!) as { value: { servers: unknown[] } };
    expect(parsed.value.servers).toHaveLength(600);
    for (const variant of variants) expect(variant).toBe(baseline);
  });

  it("the shuffling really changes the order resolve sees", async () => {
    const files = await readAll("examples/infra-repo");
    const repo = await loadInOrder(files, Object.keys(files).sort());
    const keys = Object.keys(repo.config.servers ?? {});
    const shuffledKeys = Object.keys(
      (shuffleKeys(repo.config, mulberry32(1)) as LoadedRepo["config"]).servers ?? {},
    );
    expect(shuffledKeys.sort()).toEqual([...keys].sort());
    expect(shuffledKeys.join()).not.toBe(keys.join());
  });

  it("resolving the same repo twice gives the same bytes", async () => {
    const repo = await loadInOrder({ "a.yaml": "servers: { s: { provider: ssh } }\n" }, ["a.yaml"]);
    expect(JSON.stringify(resolve(repo))).toBe(JSON.stringify(resolve(repo)));
  });
});
