/** A FileSource over files held in memory: for tests, dry runs and sources already read. */
import { LabError } from "../../core/errors.js";
import type { FileEntry, FileSource } from "../../core/file-source.js";

export interface MemorySourceOptions {
  /** Lists files in this order of paths instead of insertion order (to test order independence). */
  order?: readonly string[];
  description?: string;
}

/** A file's content: text (stored as UTF-8) or the exact bytes. */
export type MemoryFile = string | Uint8Array;

function bytesOf(content: MemoryFile): Uint8Array {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}

/** Files by path (relative, forward slashes); sizes are byte lengths. */
export function memorySource(
  files: Readonly<Record<string, MemoryFile>>,
  options: MemorySourceOptions = {},
): FileSource {
  const paths = options.order ?? Object.keys(files);
  const content = (path: string): MemoryFile | undefined =>
    Object.hasOwn(files, path) ? files[path] : undefined;
  return {
    description: options.description ?? "memory",
    list(signal) {
      signal?.throwIfAborted();
      const entries: FileEntry[] = paths.map((path) => {
        const file = content(path) ?? "";
        const size = typeof file === "string" ? Buffer.byteLength(file, "utf8") : file.length;
        return { path, size };
      });
      return Promise.resolve({ files: entries, unreadable: [] });
    },
    read(path, signal) {
      signal?.throwIfAborted();
      const file = content(path);
      if (file === undefined) return Promise.reject(new LabError("NOT_FOUND", `no file ${path}`));
      return Promise.resolve(bytesOf(file));
    },
  };
}
