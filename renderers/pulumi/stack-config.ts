/**
 * The stack config format: what `Pulumi.<stack>.yaml` holds for each server, and its parser (the
 * Pulumi program in adapters/pulumi reads the same format back).
 *
 * Stacks: one per provider Pulumi manages (aws, xcpng) and environment, named
 * `<provider>-<environment>`; servers without an environment go to the stack named after the
 * provider alone (`aws`), a name no environment can produce. Baremetal and ssh servers are not
 * managed by Pulumi: they are onboarded by other means (network boot, SSH enrollment).
 */
import { parse } from "yaml";
import type { Provider } from "../../core/model.js";
import { providerInfo } from "../../core/provider.js";
import type { AwsShape } from "./size-shapes.js";

/** The providers whose stacks this renderer writes (core/provider.ts: lifecycle `pulumi`). */
export type PulumiProvider = "aws" | "xcpng";

export function isPulumiProvider(provider: Provider): provider is PulumiProvider {
  return providerInfo(provider).lifecycle === "pulumi";
}

/** Stack config keys (Pulumi config is namespaced; lab's own keys live under `lab:`). */
export const CONFIG_KEYS = {
  provider: "lab:provider",
  environment: "lab:environment",
  servers: "lab:servers",
} as const;

export interface XcpngResources {
  cores: number;
  memory_mb: number;
  disk_gb: number;
}

interface ServerConfigBase {
  size: string;
  /** aws: an AMI id; xcpng: the Xen Orchestra template. */
  image?: string;
  region?: string;
}

export interface AwsServerConfig extends ServerConfigBase {
  aws: AwsShape;
  /** EC2 tags: lab's labels, groups and environment. */
  tags: Record<string, string>;
}

export interface XcpngServerConfig extends ServerConfigBase {
  xcpng: XcpngResources;
  /** Xen Orchestra tags (plain strings, `key=value`). */
  tags: string[];
}

export type StackConfig =
  | { provider: "aws"; environment: string | null; servers: Record<string, AwsServerConfig> }
  | { provider: "xcpng"; environment: string | null; servers: Record<string, XcpngServerConfig> };

export function stackName(provider: PulumiProvider, environment: string | null): string {
  return environment === null ? provider : `${provider}-${environment}`;
}

/** A Pulumi project name from the repo's name: letters, digits, `-`, `_`, `.`; at most 100. */
export function projectName(labName: string): string {
  const cleaned = labName.replace(/[^A-Za-z0-9_.-]+/g, "-").replace(/^[-.]+|[-.]+$/g, "");
  return (cleaned || "lab").slice(0, 100);
}

/** The document written as `Pulumi.<stack>.yaml`. */
export function stackConfigDocument(config: StackConfig): { config: Record<string, unknown> } {
  return {
    config: {
      [CONFIG_KEYS.provider]: config.provider,
      [CONFIG_KEYS.environment]: config.environment ?? undefined,
      [CONFIG_KEYS.servers]: config.servers,
    },
  };
}

export type ParsedStackConfig = { ok: true; config: StackConfig } | { ok: false; message: string };

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v > 0;
}

function optionalString(v: unknown): boolean {
  return v === undefined || typeof v === "string";
}

function serverProblem(provider: PulumiProvider, name: string, s: unknown): string | null {
  if (!isRecord(s)) return `server ${name} is not a mapping`;
  if (typeof s.size !== "string") return `server ${name} has no size`;
  if (!optionalString(s.image) || !optionalString(s.region)) {
    return `server ${name}: image and region must be strings`;
  }
  if (provider === "aws") {
    const aws = s.aws;
    if (!isRecord(aws) || typeof aws.instance_type !== "string") {
      return `server ${name} has no aws.instance_type`;
    }
    if (aws.volume_size !== undefined && !isPositiveInt(aws.volume_size)) {
      return `server ${name}: aws.volume_size must be a positive integer`;
    }
    const tags = s.tags;
    if (!isRecord(tags) || !Object.values(tags).every((t) => typeof t === "string")) {
      return `server ${name}: tags must map names to strings`;
    }
    return null;
  }
  const x = s.xcpng;
  if (!isRecord(x) || !isPositiveInt(x.cores) || !isPositiveInt(x.memory_mb)) {
    return `server ${name} needs xcpng.cores and xcpng.memory_mb (positive integers)`;
  }
  if (!isPositiveInt(x.disk_gb)) return `server ${name} needs xcpng.disk_gb (a positive integer)`;
  if (!Array.isArray(s.tags) || !s.tags.every((t) => typeof t === "string")) {
    return `server ${name}: tags must be a list of strings`;
  }
  return null;
}

/** Reads a rendered `Pulumi.<stack>.yaml` back; a malformed file is an error value. */
export function parseStackConfig(text: string): ParsedStackConfig {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    return { ok: false, message: `not YAML: ${(err as Error).message}` };
  }
  const config = isRecord(doc) ? doc.config : undefined;
  if (!isRecord(config)) return { ok: false, message: "no `config` mapping" };
  const provider = config[CONFIG_KEYS.provider];
  if (provider !== "aws" && provider !== "xcpng") {
    return { ok: false, message: `${CONFIG_KEYS.provider} must be aws or xcpng` };
  }
  const environment = config[CONFIG_KEYS.environment] ?? null;
  if (environment !== null && typeof environment !== "string") {
    return { ok: false, message: `${CONFIG_KEYS.environment} must be a string` };
  }
  const servers = config[CONFIG_KEYS.servers] ?? {};
  if (!isRecord(servers)) return { ok: false, message: `${CONFIG_KEYS.servers} must be a mapping` };
  for (const [name, s] of Object.entries(servers)) {
    const problem = serverProblem(provider, name, s);
    if (problem) return { ok: false, message: problem };
  }
  return { ok: true, config: { provider, environment, servers } as StackConfig };
}
