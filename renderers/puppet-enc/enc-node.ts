/** One node's ENC document: what Puppet's exec node terminus reads for a certname. */
import { sortedDeep } from "../../core/sorted-deep.js";
import type { ResolvedClass, ResolvedServer, Settings } from "../../core/model.js";

/** Puppet's own default environment: where a server with no lab environment is pinned. */
export const DEFAULT_PUPPET_ENVIRONMENT = "production";

/** Top-scope variables every node gets; null where the server has no value. */
export interface EncParameters {
  lab_environment: string | null;
  lab_groups: string[];
  lab_labels: string[];
  lab_provider: string;
  lab_region: string | null;
  lab_secrets: string[];
  lab_size: string | null;
}

/** Puppet's ENC output format. `classes` keeps resolution order (label order, de-duplicated). */
export interface EncNode {
  classes: Record<string, Record<string, unknown>>;
  environment: string;
  parameters: EncParameters;
}

/** Class -> parameters, first occurrence wins (`::ntp` and `ntp` are one class). */
function encClasses(classes: readonly ResolvedClass[]): EncNode["classes"] {
  const seen = new Map<string, Record<string, unknown>>();
  for (const c of classes) {
    const name = c.name.startsWith("::") ? c.name.slice(2) : c.name;
    if (!seen.has(name)) seen.set(name, sortedDeep(c.params));
  }
  return Object.fromEntries(seen);
}

/**
 * The Puppet environment of a server: its lab environment through `lab.environments` (validate
 * makes sure every server's environment is a known one); none, `production`.
 */
export function puppetEnvironment(server: ResolvedServer, settings: Settings): string {
  const env = server.environment;
  if (env === null || !Object.hasOwn(settings.environments, env)) return DEFAULT_PUPPET_ENVIRONMENT;
  return settings.environments[env] ?? DEFAULT_PUPPET_ENVIRONMENT;
}

export function encNode(server: ResolvedServer, environment: string): EncNode {
  return {
    classes: encClasses(server.classes),
    environment,
    parameters: {
      lab_environment: server.environment,
      lab_groups: [...server.groups].sort(),
      lab_labels: [...server.labels],
      lab_provider: server.provider,
      lab_region: server.region,
      lab_secrets: [...new Set(server.secrets.map((s) => s.path))].sort(),
      lab_size: server.size,
    },
  };
}
