/**
 * Fills the secret backend registry (`SECRET_BACKENDS` in core): `sops` (SOPS files in the
 * repo, options `{ root, env }`) and `memory` (options `{ values }`).
 */
import { LabError } from "../../../core/errors.js";
import { memorySecretBackend } from "../../../core/memory-secret-backend.js";
import { SECRET_BACKENDS } from "../../../core/secret-backend.js";
import type { SopsBackendOptions } from "./sops-backend.js";
import { sopsBackend } from "./sops-backend.js";

function sopsOptions(options: unknown): SopsBackendOptions {
  const o = options as Partial<SopsBackendOptions> | undefined;
  if (typeof o?.root !== "string") {
    throw new LabError("INTERNAL", "the sops secret backend needs { root } (the config repo)");
  }
  return { ...o, root: o.root, env: o.env ?? {} };
}

/** Register the backends (again is harmless). */
export function registerSecretBackends(): void {
  SECRET_BACKENDS.set("sops", (options) => sopsBackend(sopsOptions(options)));
  SECRET_BACKENDS.set("memory", (options) => memorySecretBackend(options ?? {}));
}

registerSecretBackends();
