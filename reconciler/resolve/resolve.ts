/** Resolution: who gets what, with provenance (DESIGN.md §2). Pure and synchronous. */
import type { Diagnosed } from "../../core/diagnostics.js";
import type { LoadedRepo, ResolvedModel } from "../../core/model.js";

export function resolve(repo: LoadedRepo): Diagnosed<ResolvedModel> {
  const lab = repo.config.lab ?? {};
  return {
    value: {
      settings: {
        name: lab.name ?? "lab",
        environments: { prod: "production", staging: "staging", dev: "development" },
        defaultBranch: lab.default_branch ?? "main",
        ignore: lab.ignore ?? [],
        prices: {},
      },
      servers: [],
      labels: [],
      groups: [],
      alerts: [],
      checks: [],
      sizes: [],
      secrets: [],
    },
    diagnostics: [],
  };
}
