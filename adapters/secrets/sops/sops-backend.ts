/**
 * The `sops` secret backend: secret `a/b/key` is the top-level `key` of
 * `secrets/a/b.sops.yaml` (or `.sops.yml`, `.sops.json`, `.sops.env`) in the config repo. A
 * string is the value as is; a number or boolean its text; a structured value its JSON.
 */
import { LabError } from "../../../core/errors.js";
import { SecretValue, type SecretBackend } from "../../../core/secret-backend.js";
import { listSecretValues, SECRETS_DIR, splitSecretPath } from "./secret-files.js";
import { jsonText } from "./sops-json.js";
import type { SopsRepo, SopsRepoOptions } from "./sops-repo.js";
import { sopsRepo } from "./sops-repo.js";
import type { SopsMapNode, SopsNode } from "./sops-tree.js";
import { scalar } from "./sops-tree.js";

export interface SopsBackendOptions extends SopsRepoOptions {
  /** A generated value for `rotate` without one (the secret's declared generator), or null. */
  generate?: (path: string) => SecretValue | null;
}

function parts(path: string): { prefix: string; key: string } {
  const p = splitSecretPath(path);
  if (!p)
    throw new LabError(
      "USAGE",
      `"${path}" is not a secret path: it needs a file part and a key (mail/dkim-key)`,
    );
  return p;
}

/** The text a value stands for: a string as is, a scalar's text, a structure's JSON. */
export function valueText(node: SopsNode): string | null {
  if (node.kind === "scalar") return node.value === null ? null : String(node.value);
  return jsonText(node);
}

function withValue(plain: SopsMapNode, key: string, value: SopsNode | null): SopsMapNode {
  const entries = plain.entries.filter((e) => e.key !== key || value !== null);
  const at = entries.findIndex((e) => e.key === key);
  if (value === null) return { kind: "map", entries };
  if (at >= 0) entries[at] = { key, value };
  else entries.push({ key, value });
  return { kind: "map", entries };
}

export function sopsBackend(options: SopsBackendOptions): SecretBackend & { repo: SopsRepo } {
  const repo = sopsRepo(options);
  async function change(path: string, value: SopsNode | null, signal?: AbortSignal): Promise<void> {
    const { prefix, key } = parts(path);
    const existing = await repo.fileOf(prefix, signal);
    const file = existing ?? `${SECRETS_DIR}/${prefix}.sops.yaml`;
    const text = existing ? await repo.readText(existing, signal) : null;
    if (text === null && value === null) return;
    const from = text === null ? null : await repo.open(file, text, signal);
    const plain = withValue(from?.plain ?? { kind: "map", entries: [] }, key, value);
    await repo.write(file, from, plain, signal);
  }
  const backend: SecretBackend & { repo: SopsRepo } = {
    name: "sops",
    repo,
    async get(path, signal) {
      const { prefix, key } = parts(path);
      const file = await repo.fileOf(prefix, signal);
      const text = file ? await repo.readText(file, signal) : null;
      if (!file || text === null) return null;
      const entry = (await repo.open(file, text, signal)).plain.entries.find((e) => e.key === key);
      const shown = entry ? valueText(entry.value) : null;
      return shown === null ? null : new SecretValue(shown);
    },
    set: (path, value, signal) => change(path, scalar(value.reveal()), signal),
    delete: (path, signal) => change(path, null, signal),
    async list(signal) {
      return (await listSecretValues(options.root, signal)).map((r) => r.path);
    },
    async rotate(path, value, signal) {
      const next = value ?? options.generate?.(path) ?? null;
      if (!next) {
        throw new LabError(
          "USAGE",
          `${path} has no generator to make a new value; give the new value on stdin`,
        );
      }
      await change(path, scalar(next.reveal()), signal);
    },
  };
  return backend;
}
