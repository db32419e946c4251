/** One node's ENC document: what Puppet's exec node terminus reads for a certname. */
import type { Diagnostic } from "../../core/diagnostics.js";
import { sortedDeep } from "../../core/sorted-deep.js";
import { toPointer } from "../../core/json-pointer.js";
import type { ResolvedClass, ResolvedServer, Settings } from "../../core/model.js";

/** Puppet's own default environment: where a server with no lab environment is pinned. */
export const DEFAULT_PUPPET_ENVIRONMENT = "production";

/** The form Puppet accepts for an environment name. */
const PUPPET_ENVIRONMENT = /^[a-z0-9_]+$/;

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
    if (!seen.has(name)) seen.set(name, sortedDeep(c.params) as Record<string, unknown>);
  }
  return Object.fromEntries(seen);
}

/**
 * The Puppet environment of a server: its lab environment through `lab.environments`; an
 * unmapped one that is a valid Puppet name as it is; none, or an unusable name, `production`.
 */
export function puppetEnvironment(
  server: ResolvedServer,
  settings: Settings,
): { environment: string; diagnostic: Diagnostic | null } {
  const env = server.environment;
  if (env === null) return { environment: DEFAULT_PUPPET_ENVIRONMENT, diagnostic: null };
  const mapped = Object.hasOwn(settings.environments, env) ? settings.environments[env] : undefined;
  if (mapped !== undefined) return { environment: mapped, diagnostic: null };
  if (PUPPET_ENVIRONMENT.test(env)) return { environment: env, diagnostic: null };
  const known = Object.keys(settings.environments).sort();
  const diagnostic: Diagnostic = {
    ...server.source,
    severity: "warning",
    code: "LAB103",
    pointer: toPointer(["servers", server.name, "environment"]),
    message:
      `environment "${env}" of server ${server.name} is not a Puppet environment name ` +
      `(lowercase letters, digits, _) and lab.environments does not map it ` +
      `(mapped: ${known.length ? known.join(", ") : "none"}); its ENC data uses ` +
      `${DEFAULT_PUPPET_ENVIRONMENT}`,
    fix: `map it under lab.environments, e.g. ${env}: ${env.toLowerCase().replace(/[^a-z0-9_]/g, "_")}`,
  };
  return { environment: DEFAULT_PUPPET_ENVIRONMENT, diagnostic };
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
