/**
 * The secret backend contract (docs/architecture.md, "Plugin contracts"): where secret values
 * are kept and how they are read and changed. A value travels in a `SecretValue`, which never
 * prints itself. Typed now so the reconciler's seams are fixed; the SOPS adapter fills the
 * registry.
 */
import { inspect } from "node:util";

/** A secret value: `toString`, `toJSON` and `inspect` say `[REDACTED]`; `reveal()` gives it. */
export class SecretValue {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[REDACTED]";
  }
  toJSON(): string {
    return "[REDACTED]";
  }
  [inspect.custom](): string {
    return "[REDACTED]";
  }
}

export interface SecretBackend {
  readonly name: string;
  get(path: string, signal?: AbortSignal): Promise<SecretValue | null>;
  set(path: string, value: SecretValue, signal?: AbortSignal): Promise<void>;
  delete(path: string, signal?: AbortSignal): Promise<void>;
  /** Every path the backend holds, sorted. */
  list(signal?: AbortSignal): Promise<string[]>;
  /** A new value for `path`: the one given, or a generated one for generated kinds. */
  rotate(path: string, value?: SecretValue, signal?: AbortSignal): Promise<void>;
}

/** The secret backends by name, filled entry by entry by the adapters that implement them. */
export const SECRET_BACKENDS = new Map<string, (options?: unknown) => SecretBackend>();
