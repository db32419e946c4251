/** A FileSource over files held in memory: for tests, dry runs and sources already read. */
import { LabError } from "../../core/errors.js";
import type { FileEntry, FileSource } from "../../core/file-source.js";

export interface MemorySourceOptions {
  /** Lists files in this order of paths instead of insertion order (to test order independence). */
  order?: readonly string[];
  description?: string;
}

/** Files by path (relative, forward slashes); sizes are UTF-8 byte lengths. */
export function memorySource(
  files: Readonly<Record<string, string>>,
  options: MemorySourceOptions = {},
): FileSource {
  const paths = options.order ?? Object.keys(files);
  return {
    description: options.description ?? "memory",
    list(signal) {
      signal?.throwIfAborted();
      const entries: FileEntry[] = paths.map((path) => ({
        path,
        size: Buffer.byteLength(files[path] ?? "", "utf8"),
      }));
      return Promise.resolve(entries);
    },
    read(path, signal) {
      signal?.throwIfAborted();
      const text = Object.hasOwn(files, path) ? files[path] : undefined;
      if (text === undefined) return Promise.reject(new LabError("NOT_FOUND", `no file ${path}`));
      return Promise.resolve(text);
    },
  };
}
