/** Helpers for resolution tests: YAML in memory → LoadedRepo → ResolvedModel. */
import type { Diagnostic } from "../../core/diagnostics.js";
import type { LoadedRepo, ResolvedModel, ResolvedServer } from "../../core/model.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { resolve } from "./resolve.js";

export interface Resolved {
  repo: LoadedRepo;
  model: ResolvedModel;
  diagnostics: Diagnostic[];
  server(name: string): ResolvedServer;
}

/** Loads files held in memory (a single string is `repo.yaml`); load errors throw. */
export async function loadFiles(files: string | Record<string, string>): Promise<LoadedRepo> {
  const loaded = await loadRepo(
    memorySource(typeof files === "string" ? { "repo.yaml": files } : files),
  );
  const errors = loaded.diagnostics.filter((d) => d.severity === "error");
  if (errors.length) throw new Error(`test repo does not load: ${JSON.stringify(errors)}`);
  return loaded.value;
}

/** Loads and resolves (without validation, so broken references reach resolve). */
export async function resolveFiles(files: string | Record<string, string>): Promise<Resolved> {
  const repo = await loadFiles(files);
  const { value: model, diagnostics } = resolve(repo);
  return {
    repo,
    model,
    diagnostics,
    server(name) {
      const found = model.servers.find((s) => s.name === name);
      if (!found) throw new Error(`no server ${name} in the model`);
      return found;
    },
  };
}

/** Names of the members of a group or alert. */
export function memberNames(model: ResolvedModel, kind: "group" | "alert", name: string): string[] {
  const items: readonly { readonly name: string; readonly members: readonly { name: string }[] }[] =
    kind === "group" ? model.groups : model.alerts;
  const item = items.find((x) => x.name === name);
  if (!item) throw new Error(`no ${kind} ${name} in the model`);
  return item.members.map((m) => m.name);
}
