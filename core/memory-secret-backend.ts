/** A secret backend in memory, for tests and dry runs: paths to values, nothing persisted. */
import { UsageError } from "./errors.js";
import { SecretValue, type SecretBackend } from "./secret-backend.js";

export interface MemorySecretBackendOptions {
  /** The values it starts with. */
  values?: Readonly<Record<string, string>>;
  /** A generated value for `rotate` without one, or null. */
  generate?: (path: string) => SecretValue | null;
}

export function memorySecretBackend(options: MemorySecretBackendOptions = {}): SecretBackend {
  const values = new Map<string, string>(Object.entries(options.values ?? {}));
  return {
    name: "memory",
    get: (path) => Promise.resolve(values.has(path) ? new SecretValue(values.get(path)!) : null),
    set(path, value) {
      values.set(path, value.reveal());
      return Promise.resolve();
    },
    delete(path) {
      values.delete(path);
      return Promise.resolve();
    },
    list: () => Promise.resolve([...values.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))),
    rotate(path, value) {
      const next = value ?? options.generate?.(path) ?? null;
      if (!next)
        return Promise.reject(new UsageError(`${path} has no generator to make a new value`));
      values.set(path, next.reveal());
      return Promise.resolve();
    },
  };
}
