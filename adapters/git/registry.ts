/**
 * The Git source implementations by name, and `gitSource()`, which picks one: the git binary when
 * it runs here, isomorphic-git otherwise, unless `use` forces either.
 */
import { LabError } from "../../core/errors.js";
import type { GitSource, GitSourceKind, GitSourceOptions } from "../../core/git-source.js";
import { isoGitSource } from "./iso-git-source.js";
import type { MemoryRemote } from "./memory-git-source.js";
import { memoryGitSource } from "./memory-git-source.js";
import { nativeGitSource } from "./native-git-source.js";
import { hasGitBinary } from "./native-run.js";

export interface GitSourceChoice extends GitSourceOptions {
  /** Which implementation (default "auto": native when git runs here, else isomorphic). */
  use?: GitSourceKind | "auto";
  /** The remote of the memory implementation. */
  memory?: MemoryRemote;
}

export interface GitSourceEntry {
  readonly kind: GitSourceKind;
  /** Whether it can run on this host. */
  available(): Promise<boolean>;
  open(url: string, options: GitSourceChoice): GitSource;
}

function buildRegistry(): ReadonlyMap<GitSourceKind, GitSourceEntry> {
  const registry = new Map<GitSourceKind, GitSourceEntry>();
  registry.set("native", {
    kind: "native",
    available: hasGitBinary,
    open: (url, options) => nativeGitSource(url, options),
  });
  registry.set("isomorphic", {
    kind: "isomorphic",
    available: () => Promise.resolve(true),
    open: (url, options) => isoGitSource(url, options),
  });
  registry.set("memory", {
    kind: "memory",
    available: () => Promise.resolve(true),
    open(url, options) {
      if (!options.memory) throw new LabError("USAGE", "the memory git source needs a remote");
      return memoryGitSource(options.memory, options);
    },
  });
  return registry;
}

export const GIT_SOURCES: ReadonlyMap<GitSourceKind, GitSourceEntry> = buildRegistry();

/**
 * A Git source for `url` (http(s)://, file:// or a local path). The token defaults to
 * `LAB_GIT_TOKEN` from `env`; without one, git's own credential helpers apply (native only).
 */
export async function gitSource(
  url: string,
  options: GitSourceChoice = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<GitSource> {
  const use = options.use ?? "auto";
  const kind: GitSourceKind =
    use !== "auto" ? use : (await hasGitBinary()) ? "native" : "isomorphic";
  const entry = GIT_SOURCES.get(kind);
  if (!entry) throw new LabError("USAGE", `unknown git source ${kind}`);
  const token = options.token ?? (env.LAB_GIT_TOKEN || undefined);
  return entry.open(url, { ...options, ...(token ? { token } : {}) });
}
