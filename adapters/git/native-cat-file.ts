/**
 * One long-lived `git cat-file --batch` process per repository: objects are asked for by id on
 * stdin and answered in order on stdout (`<id> blob <size>\n<bytes>\n`, or `<id> missing\n`), so
 * reading a tree's files costs one process, not one per file.
 */
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { spawn } from "node:child_process";
import { LabError } from "../../core/errors.js";
import { gitEnv } from "./native-run.js";

interface Pending {
  id: string;
  resolve(bytes: Uint8Array | undefined): void;
  reject(error: Error): void;
}

export interface CatFile {
  /** The object's bytes, or undefined when the repository does not have it. */
  read(id: string, signal?: AbortSignal): Promise<Uint8Array | undefined>;
  close(): Promise<void>;
}

/** Starts the process on first use and again if it dies; `close()` ends it. */
export function catFile(gitDir: string): CatFile {
  let child: ChildProcessWithoutNullStreams | undefined;
  let queue: Pending[] = [];
  let buffer: Buffer = Buffer.alloc(0);
  let closing = false;

  function fail(error: Error): void {
    const waiting = queue;
    queue = [];
    child = undefined;
    buffer = Buffer.alloc(0);
    for (const p of waiting) p.reject(error);
  }

  /** Answers as many queued requests as the buffer holds. */
  function drain(): void {
    for (;;) {
      const head = queue[0];
      const nl = buffer.indexOf(10);
      if (!head || nl < 0) return;
      const line = buffer.subarray(0, nl).toString("latin1");
      if (line.endsWith(" missing") || line.endsWith(" ambiguous")) {
        buffer = buffer.subarray(nl + 1);
        queue.shift();
        head.resolve(undefined);
        continue;
      }
      const size = Number(line.split(" ")[2]);
      if (!Number.isInteger(size)) {
        fail(new LabError("GIT", `git cat-file answered "${line}" for ${head.id}`));
        return;
      }
      if (buffer.length < nl + 1 + size + 1) return;
      const bytes = Uint8Array.prototype.slice.call(buffer, nl + 1, nl + 1 + size);
      buffer = buffer.subarray(nl + 1 + size + 1);
      queue.shift();
      head.resolve(bytes);
    }
  }

  /** An idle process does not keep Node running; one with questions pending does. */
  function hold(proc: ChildProcessWithoutNullStreams, busy: boolean): void {
    const handles = [proc, proc.stdout, proc.stdin, proc.stderr] as unknown as Array<{
      ref?: () => void;
      unref?: () => void;
    }>;
    for (const handle of handles) {
      if (busy) handle.ref?.();
      else handle.unref?.();
    }
  }

  function start(): ChildProcessWithoutNullStreams {
    const proc = spawn("git", [`--git-dir=${gitDir}`, "cat-file", "--batch"], {
      env: gitEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    proc.stdout.on("data", (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      drain();
      if (queue.length === 0) hold(proc, false);
    });
    proc.stderr.resume();
    proc.stdin.on("error", () => undefined);
    proc.on("error", (e) =>
      fail(new LabError("GIT", "git cat-file could not start", { cause: e })),
    );
    proc.on("close", (code) => {
      if (child === proc)
        fail(new LabError("GIT", `git cat-file exited with ${code ?? "a signal"}`));
    });
    return proc;
  }

  return {
    read(id, signal) {
      if (closing) return Promise.reject(new LabError("GIT", "the git source is closed"));
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      if (!/^[0-9a-f]{40,64}$/.test(id)) return Promise.resolve(undefined);
      child ??= start();
      const proc = child;
      return new Promise((resolve, reject) => {
        // An aborted read stops waiting; its answer is still consumed, in order, and dropped.
        const onAbort = (): void => reject(signal?.reason as Error);
        signal?.addEventListener("abort", onAbort, { once: true });
        const done = (): void => signal?.removeEventListener("abort", onAbort);
        queue.push({
          id,
          resolve: (bytes) => (done(), resolve(bytes)),
          reject: (error) => (done(), reject(error)),
        });
        hold(proc, true);
        proc.stdin.write(`${id}\n`);
      });
    },
    close() {
      closing = true;
      const proc = child;
      child = undefined;
      if (!proc) return Promise.resolve();
      return new Promise((resolve) => {
        proc.once("close", () => resolve());
        // Held while it exits: an unref'd process would let Node end with this promise pending.
        hold(proc, true);
        proc.stdin.end();
      });
    },
  };
}
