/** The pipeline up to the resolved model, for the renderer suites that start from a repo on disk. */
import { dirSource } from "../../adapters/fs/dir-source.js";
import { formatDiagnostic, type Diagnostic } from "../../core/diagnostics.js";
import type { FileSource } from "../../core/file-source.js";
import type { ResolvedModel } from "../../core/model.js";
import { checkRepo } from "../../reconciler/check-repo.js";

/** A FileSource listing the same files in a seeded pseudo-random order. */
export function shuffledSource(source: FileSource, seed: number): FileSource {
  return {
    description: `${source.description} (shuffled)`,
    read: (path, signal) => source.read(path, signal),
    async list(signal) {
      const listing = await source.list(signal);
      const entries = listing.files;
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
      return listing;
    },
  };
}

export interface Resolved {
  model: ResolvedModel;
  diagnostics: Diagnostic[];
}

/**
 * `checkRepo` (load, validate, resolve) on the repo in `dir`, its file list shuffled when a seed
 * is given. Throws, listing the diagnostics, when the repo has errors.
 */
export async function resolveDir(
  dir: string,
  options: { shuffleSeed?: number } = {},
): Promise<Resolved> {
  const base = dirSource(dir);
  const source =
    options.shuffleSeed === undefined ? base : shuffledSource(base, options.shuffleSeed);
  const { model, diagnostics } = await checkRepo(source);
  if (!model)
    throw new Error(`${dir} has errors:\n${diagnostics.map(formatDiagnostic).join("\n")}`);
  return { model, diagnostics };
}
