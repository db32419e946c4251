/**
 * Where the config and the code name a secret: each label's `secrets:` entry and each
 * `lab::secret('…')` call in Puppet code, located. The declarations are the model's secrets.
 */
import { cmp, type SourcePos } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import type { LoadedRepo } from "../../core/model.js";

/** One place that reads a secret: a label's list entry, or a class's call. */
export interface SecretReference {
  path: string;
  kind: "label" | "class";
  /** The label or the class. */
  name: string;
  pos: SourcePos;
}

export function posCmp(a: SourcePos, b: SourcePos): number {
  return cmp(a.file, b.file) || a.line - b.line || a.col - b.col;
}

/** Every reference in the repo, sorted by path, then position. */
export function secretReferences(
  repo: Pick<LoadedRepo, "config" | "sources" | "puppet">,
): SecretReference[] {
  const out: SecretReference[] = [];
  for (const [name, spec] of Object.entries(repo.config.labels ?? {})) {
    const list: unknown = spec?.secrets;
    if (!Array.isArray(list)) continue;
    list.forEach((path: unknown, i) => {
      if (typeof path !== "string") return;
      const pos = repo.sources.locate(`/labels/${escapeToken(name)}/secrets/${i}`);
      out.push({ path, kind: "label", name, pos });
    });
  }
  for (const [name, cls] of Object.entries(repo.puppet.classes)) {
    for (const use of cls.secrets) out.push({ path: use.path, kind: "class", name, pos: use.pos });
  }
  return out.sort((a, b) => cmp(a.path, b.path) || posCmp(a.pos, b.pos));
}

/** The references grouped by path. */
export function referencesByPath(refs: readonly SecretReference[]): Map<string, SecretReference[]> {
  const out = new Map<string, SecretReference[]>();
  for (const r of refs) {
    const list = out.get(r.path);
    if (list) list.push(r);
    else out.set(r.path, [r]);
  }
  return out;
}

/** `label mailserver (labels/roles.yaml:9)`, `class postfix (puppet/…/init.pp:9)`. */
export function referenceText(r: SecretReference): string {
  return `${r.kind} ${r.name} (${r.pos.file}:${r.pos.line})`;
}
