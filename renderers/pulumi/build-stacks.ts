/** From the resolved model to the stacks Pulumi manages: servers grouped and mapped. Pure. */
import { cmp } from "../../core/diagnostics.js";
import type { SourcePos } from "../../core/diagnostics.js";
import { LabError } from "../../core/errors.js";
import type { ResolvedModel, ResolvedServer, ResolvedSize } from "../../core/model.js";
import { awsRegionOf } from "./aws-region.js";
import { awsShape, xcpngShape } from "./size-shapes.js";
import { isPulumiProvider, stackName } from "./stack-config.js";
import type {
  AwsServerConfig,
  PulumiProvider,
  StackConfig,
  XcpngServerConfig,
} from "./stack-config.js";

export interface StackSpec {
  name: string;
  config: StackConfig;
  /** The servers, sizes and labels that produced the stack. */
  sources: SourcePos[];
}

export interface StackSet {
  stacks: StackSpec[];
  /** Servers of providers Pulumi does not manage, by provider, sorted. */
  unmanaged: { baremetal: string[]; ssh: string[] };
}

interface Context {
  model: ResolvedModel;
  sizes: ReadonlyMap<string, ResolvedSize>;
  labelSources: ReadonlyMap<string, SourcePos>;
}

/** A model validate passed has none of these; meeting one is a bug, not a user mistake. */
function unvalidated(server: ResolvedServer, what: string): never {
  throw new LabError(
    "INTERNAL",
    `pulumi renderer: ${server.provider} server "${server.name}" ${what}; validate reports this (LAB206, LAB207) before rendering`,
  );
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(cmp);
}

function awsTags(repo: string, server: ResolvedServer, size: string): Record<string, string> {
  const tags: Record<string, string> = { Name: server.name, "lab:repo": repo, "lab:size": size };
  if (server.environment !== null) tags["lab:environment"] = server.environment;
  if (server.region !== null) tags["lab:region"] = server.region;
  if (server.labels.length) tags["lab:labels"] = sortedUnique(server.labels).join(",");
  if (server.groups.length) tags["lab:groups"] = sortedUnique(server.groups).join(",");
  return tags;
}

function xcpngTags(repo: string, server: ResolvedServer, size: string): string[] {
  const tags = [`lab:repo=${repo}`, `lab:size=${size}`];
  if (server.environment !== null) tags.push(`lab:environment=${server.environment}`);
  if (server.region !== null) tags.push(`lab:region=${server.region}`);
  for (const label of server.labels) tags.push(`lab:label=${label}`);
  for (const group of server.groups) tags.push(`lab:group=${group}`);
  return sortedUnique(tags);
}

/** The server's size (validate guarantees a server Pulumi manages has one). */
function sizeOf(ctx: Context, server: ResolvedServer): ResolvedSize {
  const size = server.size === null ? undefined : ctx.sizes.get(server.size);
  return size ?? unvalidated(server, "has no size");
}

function base(server: ResolvedServer, size: ResolvedSize): { size: string; image?: string } {
  const image = server.spec.image;
  return image === undefined ? { size: size.name } : { size: size.name, image };
}

function awsServer(ctx: Context, server: ResolvedServer, size: ResolvedSize): AwsServerConfig {
  const shape =
    awsShape(size.spec) ?? unvalidated(server, `has size "${size.name}" with no aws mapping`);
  const tags = awsTags(ctx.model.settings.name, server, size.name);
  const out: AwsServerConfig = { ...base(server, size), aws: shape, tags };
  const awsRegion = awsRegionOf(ctx.model.settings.regions, server.region);
  if (awsRegion !== undefined) out.region = awsRegion;
  return out;
}

function xcpngServer(ctx: Context, server: ResolvedServer, size: ResolvedSize): XcpngServerConfig {
  const shape = xcpngShape(size.spec);
  const { cores, memory_mb, disk_gb } = shape ?? {};
  if (cores === undefined || memory_mb === undefined || disk_gb === undefined) {
    return unvalidated(server, `has size "${size.name}" with no complete xcpng mapping`);
  }
  const tags = xcpngTags(ctx.model.settings.name, server, size.name);
  const out: XcpngServerConfig = {
    ...base(server, size),
    xcpng: { cores, memory_mb, disk_gb },
    tags,
  };
  if (server.region !== null) out.region = server.region;
  return out;
}

interface Bucket {
  provider: PulumiProvider;
  environment: string | null;
  servers: Record<string, AwsServerConfig | XcpngServerConfig>;
  sources: SourcePos[];
}

function addServer(ctx: Context, buckets: Map<string, Bucket>, server: ResolvedServer): void {
  if (!isPulumiProvider(server.provider)) return;
  const provider = server.provider;
  const size = sizeOf(ctx, server);
  const entry = provider === "aws" ? awsServer(ctx, server, size) : xcpngServer(ctx, server, size);
  const name = stackName(provider, server.environment);
  let bucket = buckets.get(name);
  if (!bucket) {
    bucket = { provider, environment: server.environment, servers: {}, sources: [] };
    buckets.set(name, bucket);
  }
  bucket.servers[server.name] = entry;
  bucket.sources.push(server.source, size.source);
  if (server.sizeFrom?.kind === "label") {
    const labelPos = ctx.labelSources.get(server.sizeFrom.name);
    if (labelPos) bucket.sources.push(labelPos);
  }
}

/**
 * Group the model's servers into stacks. The model is a validated one: every server Pulumi
 * manages has a size mapped for its provider (validate reports LAB206/LAB207 otherwise).
 */
export function buildStacks(model: ResolvedModel): StackSet {
  const ctx: Context = {
    model,
    sizes: new Map(model.sizes.map((s) => [s.name, s])),
    labelSources: new Map(model.labels.map((l) => [l.name, l.source])),
  };
  const buckets = new Map<string, Bucket>();
  const unmanaged = { baremetal: [] as string[], ssh: [] as string[] };
  const servers = [...model.servers].sort((a, b) => cmp(a.name, b.name));
  for (const server of servers) {
    if (server.provider === "baremetal" || server.provider === "ssh") {
      unmanaged[server.provider].push(server.name);
    } else {
      addServer(ctx, buckets, server);
    }
  }
  const stacks = [...buckets.entries()]
    .sort(([a], [b]) => cmp(a, b))
    .map(([name, b]) => ({
      name,
      config: {
        provider: b.provider,
        environment: b.environment,
        servers: b.servers,
      } as StackConfig,
      sources: b.sources,
    }));
  return { stacks, unmanaged };
}
