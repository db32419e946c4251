/**
 * The output contract (docs/apply.md): where one renderer's artifacts go and how the tool that
 * reads them is told. An apply writes the whole set at once, checks it (`verify`), tells the
 * consumer (`notify`) and, when something refuses, puts the previous set back (`restore`).
 * `loaded` answers, after a crash, whether the consumer already runs a set — so a restart does
 * not tell it twice.
 */
import type { RendererName } from "./renderer.js";

/** One file of an output, relative to the output's own folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
  /** sha256 of content, hex. */
  readonly hash: string;
}

export type StepResult = { ok: true; detail?: string } | { ok: false; reason: string };

/** What `write` left to undo: the previous set, kept until `commit` or `restore`. */
export interface WriteHandle {
  /** Whether anything was written (false: the files were already in place). */
  readonly wrote: boolean;
  /** Puts the previous set back, atomically. */
  restore(signal?: AbortSignal): Promise<void>;
  /** Forgets the previous set. */
  commit(signal?: AbortSignal): Promise<void>;
}

export interface OutputTarget {
  /** The output's name: the renderer's. */
  readonly name: RendererName;
  /** Where the files are, for messages. */
  readonly location: string;
  /** The files there now: path -> sha256 (empty when there is nothing yet). */
  current(signal?: AbortSignal): Promise<Record<string, string>>;
  /** Replaces every file at once: a reader sees the old set or the new one, never a mix. */
  write(files: readonly OutputFile[], signal?: AbortSignal): Promise<WriteHandle>;
  /** Checks the files in place before the consumer is told (e.g. `naemon -v`). */
  verify?(signal?: AbortSignal): Promise<StepResult>;
  /** Tells the consumer to read the files (a reload), and checks that it did. */
  notify?(files: readonly OutputFile[], signal?: AbortSignal): Promise<StepResult>;
  /**
   * After a crash: whether the consumer read these files at or after `since` (an ISO time, when
   * the unfinished notify was journaled) — true, false, or null when it cannot say (then the
   * restart tells it again).
   */
  loaded?(
    files: readonly OutputFile[],
    since: string,
    signal?: AbortSignal,
  ): Promise<boolean | null>;
}

/** An output kept in memory, for tests and dry runs; it counts what it was told. */
export interface MemoryOutput extends OutputTarget {
  readonly files: Map<string, string>;
  readonly notified: number;
}

export function memoryOutput(
  name: RendererName,
  options: { refuse?: (files: readonly OutputFile[]) => string | null } = {},
): MemoryOutput {
  let files = new Map<string, string>();
  let loadedSet: Map<string, string> | null = null;
  let loadedAt = 0;
  let notified = 0;
  const hashes = (): Record<string, string> => Object.fromEntries([...files].sort());
  return {
    name,
    location: `memory:${name}`,
    get files() {
      return files;
    },
    get notified() {
      return notified;
    },
    current() {
      return Promise.resolve(hashes());
    },
    write(next) {
      const previous = files;
      files = new Map(next.map((f) => [f.path, f.hash]));
      const wrote = JSON.stringify([...previous].sort()) !== JSON.stringify([...files].sort());
      return Promise.resolve({
        wrote,
        restore: () => {
          files = previous;
          return Promise.resolve();
        },
        commit: () => Promise.resolve(),
      });
    },
    notify(next) {
      notified += 1;
      const reason = options.refuse?.(next) ?? null;
      if (reason) return Promise.resolve({ ok: false, reason });
      loadedSet = new Map(files);
      loadedAt = Date.now();
      return Promise.resolve({ ok: true });
    },
    loaded(_next, since) {
      return Promise.resolve(
        loadedSet !== null &&
          loadedAt >= Date.parse(since) &&
          JSON.stringify([...loadedSet]) === JSON.stringify([...files]),
      );
    },
  };
}
