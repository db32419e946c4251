/**
 * The worker side of the parse pool: parses the files it is sent with `parseYamlFile` and posts
 * back each `ParsedFile`, or null for a file the calling thread must parse itself.
 */
import { parentPort } from "node:worker_threads";
import type { ParseJob } from "./parse-pool.js";
import { parseYamlFile, type ParsedFile } from "./yaml-file.js";

/** True when structured cloning gives back the same data: plain objects, arrays and primitives. */
export function isPlainData(value: unknown, seen = new Set<object>()): boolean {
  if (value === null) return true;
  const type = typeof value;
  if (type === "function" || type === "symbol") return false;
  if (type !== "object") return true;
  const object = value as object;
  if (seen.has(object)) return true;
  seen.add(object);
  const proto: unknown = Object.getPrototypeOf(object);
  if (Array.isArray(object)) {
    return proto === Array.prototype && object.every((item) => isPlainData(item, seen));
  }
  if (proto !== Object.prototype) return false;
  return Object.values(object).every((item) => isPlainData(item, seen));
}

/**
 * A file's ParsedFile when a clone of it means the same on the calling thread, else null: when
 * parsing throws, when nesting hit a limit (LAB003, which depends on the thread's stack), or when
 * the data holds values that do not clone as themselves (a `!!binary` Buffer under `%YAML 1.1`).
 */
export function parseForTransfer(job: ParseJob): ParsedFile | null {
  let parsed: ParsedFile;
  try {
    parsed = parseYamlFile(job.path, job.text);
  } catch {
    return null;
  }
  if (parsed.diagnostics.some((d) => d.code === "LAB003")) return null;
  if (parsed.sections !== null && !isPlainData(parsed.sections)) return null;
  return parsed;
}

const port = parentPort;
if (port) {
  port.on("message", (jobs: ParseJob[]) => {
    port.postMessage(jobs.map(parseForTransfer));
  });
}
