/**
 * A synthetic config repo for benchmarks and scale tests, deterministic from its seed: servers
 * over several files, labels with classes/ports/sizes/checks/secrets, nested groups with
 * exclusions, alerts with targets and excludes, sizes, secret metadata and Puppet classes.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { makeFleet } from "./gen-fleet.js";
import { makeAlerts, makeGroups } from "./gen-targets.js";
import { repoFiles } from "./gen-yaml.js";
import { mulberry32, shuffled } from "./prng.js";

export interface GenerateOptions {
  servers: number;
  labels: number;
  groups: number;
  alerts: number;
  seed: number;
}

export interface GenerateSummary extends GenerateOptions {
  files: number;
  bytes: number;
}

/** The performance budget's scale (bench/README.md) (10k servers: 1,000 labels, 300 groups, 2,000 alerts), proportionally. */
export function scaleFor(servers: number): Omit<GenerateOptions, "seed"> {
  return {
    servers,
    labels: Math.max(10, Math.round(servers / 10)),
    groups: Math.max(8, Math.round((servers * 3) / 100)),
    alerts: Math.max(5, Math.round(servers / 5)),
  };
}

/** Every file of the generated repo, path -> content. Pure: same options, same bytes. */
export function generateFiles(options: GenerateOptions): Map<string, string> {
  if (options.servers < options.labels) {
    throw new RangeError("generateFiles needs at least as many servers as labels");
  }
  const rng = mulberry32(options.seed);
  const fleet = makeFleet(rng, options);
  const groups = makeGroups(rng, fleet, options.groups);
  const alerts = makeAlerts(groups, options.alerts);
  return repoFiles({
    name: `bench-${options.servers}`,
    fleet,
    groups: shuffled(rng, groups.groups),
    alerts,
  });
}

/** Writes the generated repo under `dir` (which may exist). */
export async function generateRepo(
  dir: string,
  options: GenerateOptions,
  signal?: AbortSignal,
): Promise<GenerateSummary> {
  const files = generateFiles(options);
  const dirs = new Set([...files.keys()].map((path) => dirname(join(dir, path))));
  for (const d of dirs) await mkdir(d, { recursive: true });
  let bytes = 0;
  for (const [path, content] of files) {
    signal?.throwIfAborted();
    await writeFile(join(dir, path), content, { signal });
    bytes += Buffer.byteLength(content);
  }
  return { ...options, files: files.size, bytes };
}
