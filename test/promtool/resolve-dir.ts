/** The pipeline up to the resolved model, for the renderer suites that start from a repo on disk. */
import { dirSource } from "../../adapters/fs/dir-source.js";
import type { Diagnostic } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import type { ResolvedModel } from "../../core/model.js";
import { loadRepo } from "../../reconciler/load/load-repo.js";
import { resolve } from "../../reconciler/resolve/resolve.js";

/** A FileSource listing the same files in a seeded pseudo-random order. */
export function shuffledSource(source: FileSource, seed: number): FileSource {
  return {
    description: `${source.description} (shuffled)`,
    read: (path, signal) => source.read(path, signal),
    async list(signal) {
      const entries = await source.list(signal);
      let state = seed >>> 0 || 1;
      const next = (): number => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) / 2 ** 32;
      };
      for (let i = entries.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [entries[i], entries[j]] = [entries[j]!, entries[i]!];
      }
      return entries;
    },
  };
}

export interface Resolved {
  model: ResolvedModel;
  diagnostics: Diagnostic[];
}

/** Loads and resolves the repo in `dir` (file order shuffled when a seed is given). */
export async function resolveDir(
  dir: string,
  options: { shuffleSeed?: number } = {},
): Promise<Resolved> {
  const base = dirSource(dir);
  const source =
    options.shuffleSeed === undefined ? base : shuffledSource(base, options.shuffleSeed);
  const loaded = await loadRepo(source);
  const resolved = resolve(loaded.value);
  return { model: resolved.value, diagnostics: [...loaded.diagnostics, ...resolved.diagnostics] };
}
