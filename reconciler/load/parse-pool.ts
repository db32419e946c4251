/**
 * Parses config files on a small pool of worker threads when there is enough YAML for it to pay,
 * each worker running the same `parseYamlFile`; otherwise, and for every file a worker could not
 * hand back, on the calling thread. The result is the same either way, in the order of the jobs.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { MAX_DEPTH, parseYamlFile, type ParsedFile } from "./yaml-file.js";

export interface ParseJob {
  path: string;
  text: string;
}

export interface ParseOptions {
  signal?: AbortSignal;
  /** The worker script; by default the compiled `parse-worker.js` beside this module. */
  workerUrl?: URL;
  /** Workers are used only from this many characters of text in all jobs together. */
  minChars?: number;
  /** At most this many workers (fewer on a machine with fewer cores, never more than jobs). */
  maxWorkers?: number;
}

export interface ParseOutcome {
  /** One per job, in the order of the jobs. */
  files: ParsedFile[];
  /** How many workers handed back parsed files (0: all were parsed on the calling thread). */
  workers: number;
}

/** Below this much YAML, starting workers costs more than it saves. */
export const POOL_MIN_CHARS = 1_000_000;
export const POOL_MAX_WORKERS = 4;
/** Small files travel to a worker together, up to about this many characters at a time. */
const BATCH_CHARS = 64 * 1024;

const WORKER_URL = new URL("./parse-worker.js", import.meta.url);

/** Parses one file on the calling thread; running out of stack is a diagnostic, not a crash. */
export function parseOnThread(job: ParseJob): ParsedFile {
  try {
    return parseYamlFile(job.path, job.text);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    const message = `nesting too deep to parse (more than ${MAX_DEPTH} levels is refused)`;
    return {
      path: job.path,
      positions: null,
      sections: null,
      sops: false,
      diagnostics: [
        {
          file: job.path,
          line: 1,
          col: 1,
          severity: "error",
          code: "LAB003",
          pointer: "",
          message,
        },
      ],
    };
  }
}

/** How many workers to start: 0 when the jobs are too few or too small, or one core is all. */
export function poolSize(jobs: readonly ParseJob[], options: ParseOptions = {}): number {
  let chars = 0;
  for (const job of jobs) chars += job.text.length;
  if (chars < (options.minChars ?? POOL_MIN_CHARS)) return 0;
  const cores = availableParallelism();
  const size = Math.min(cores, options.maxWorkers ?? POOL_MAX_WORKERS, jobs.length);
  return size >= 2 ? size : 0;
}

/** Job indices grouped for sending, the biggest files first so that the last ones are small. */
export function batchJobs(jobs: readonly ParseJob[]): number[][] {
  const order = jobs.map((_, i) => i).sort((a, b) => jobs[b]!.text.length - jobs[a]!.text.length);
  const batches: number[][] = [];
  let batch: number[] = [];
  let chars = 0;
  for (const i of order) {
    batch.push(i);
    chars += jobs[i]!.text.length;
    if (chars >= BATCH_CHARS) {
      batches.push(batch);
      batch = [];
      chars = 0;
    }
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Parses every job, on workers when it pays and they start, else on the calling thread. Rejects
 * with the signal's reason on abort; no worker outlives the call.
 */
export async function parseFiles(
  jobs: readonly ParseJob[],
  options: ParseOptions = {},
): Promise<ParseOutcome> {
  const { signal } = options;
  signal?.throwIfAborted();
  const files = new Array<ParsedFile | null>(jobs.length).fill(null);
  const size = poolSize(jobs, options);
  const url = options.workerUrl ?? WORKER_URL;
  const workers = size > 0 && scriptExists(url) ? await runPool(jobs, files, size, url, signal) : 0;
  const out = new Array<ParsedFile>(jobs.length);
  for (let i = 0; i < jobs.length; i++) {
    signal?.throwIfAborted();
    out[i] = files[i] ?? parseOnThread(jobs[i]!);
  }
  return { files: out, workers };
}

function scriptExists(url: URL): boolean {
  return url.protocol === "file:" && existsSync(fileURLToPath(url));
}

function stopWorker(worker: Worker): void {
  worker.removeAllListeners();
  worker.on("error", () => undefined);
  worker.unref();
  void worker.terminate().catch(() => undefined);
}

/**
 * Hands batches to `size` workers as they become free and stores what they send back in
 * `files`. A batch whose worker fails stays null (the caller parses it); when no worker is left,
 * the rest of the queue does too. An abort stops every worker at once (the caller then throws).
 * Resolves with the number of workers that sent files back.
 */
function runPool(
  jobs: readonly ParseJob[],
  files: (ParsedFile | null)[],
  size: number,
  url: URL,
  signal: AbortSignal | undefined,
): Promise<number> {
  const queue = batchJobs(jobs);
  const live = new Set<Worker>();
  let delivered = 0;
  return new Promise<number>((resolve) => {
    const finish = (): void => {
      signal?.removeEventListener("abort", finish);
      for (const worker of live) stopWorker(worker);
      live.clear();
      resolve(delivered);
    };
    const retire = (worker: Worker): void => {
      if (!live.delete(worker)) return;
      stopWorker(worker);
      if (live.size === 0) finish();
    };
    const start = (): void => {
      let worker: Worker;
      try {
        worker = new Worker(url, { name: "lab-yaml-parse", execArgv: [] });
      } catch {
        return;
      }
      live.add(worker);
      let batch: number[] | undefined;
      let sent = false;
      const next = (): void => {
        batch = queue.shift();
        if (!batch) return retire(worker);
        worker.postMessage(batch.map((i) => ({ path: jobs[i]!.path, text: jobs[i]!.text })));
      };
      worker.on("message", (replies: unknown) => {
        if (!batch || !Array.isArray(replies) || replies.length !== batch.length) {
          return retire(worker);
        }
        batch.forEach((i, k) => (files[i] = (replies[k] as ParsedFile | null) ?? null));
        if (!sent) delivered += 1;
        sent = true;
        next();
      });
      worker.on("error", () => retire(worker));
      worker.on("messageerror", () => retire(worker));
      worker.on("exit", () => retire(worker));
      next();
    };
    signal?.addEventListener("abort", finish, { once: true });
    for (let k = 0; k < size; k++) start();
    if (live.size === 0) finish();
  });
}
