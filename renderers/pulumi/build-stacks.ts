/** From the resolved model to the stacks Pulumi manages: servers grouped and mapped. Pure. */
import { cmp } from "../../core/diagnostics.js";
import type { Diagnostic, SourcePos } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import type { ResolvedModel, ResolvedServer, ResolvedSize } from "../../core/model.js";
import { awsShape, xcpngShape } from "./size-shapes.js";
import { isPulumiProvider, stackName } from "./stack-config.js";
import type {
  AwsServerConfig,
  PulumiProvider,
  StackConfig,
  XcpngServerConfig,
} from "./stack-config.js";

/** An AWS region name such as eu-west-1 or us-gov-west-1 (lab regions may be broader). */
const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$/;

/** The AWS region of a lab region: mapped by `lab.regions.aws`, else the name itself if it is one. */
function awsRegionOf(model: ResolvedModel, region: string | null): string | undefined {
  if (region === null) return undefined;
  const mapped = model.settings.regions.aws?.[region];
  if (mapped !== undefined) return mapped;
  return AWS_REGION.test(region) ? region : undefined;
}

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
  diagnostics: Diagnostic[];
}

function serverPointer(server: ResolvedServer, key?: string): string {
  return `/servers/${escapeToken(server.name)}${key ? `/${key}` : ""}`;
}

function report(ctx: Context, d: Omit<Diagnostic, "file" | "line" | "col">, at: SourcePos): void {
  ctx.diagnostics.push({ file: at.file, line: at.line, col: at.col, ...d });
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

/** The server's size, or a diagnostic when it has none. */
function sizeOf(ctx: Context, server: ResolvedServer): ResolvedSize | null {
  const size = server.size === null ? undefined : ctx.sizes.get(server.size);
  if (size) return size;
  const known = [...ctx.sizes.keys()].join(", ") || "none defined";
  report(
    ctx,
    {
      severity: "error",
      code: "LAB207",
      pointer: serverPointer(server),
      message: `${server.provider} server "${server.name}" has no size, so there is nothing to create (known sizes: ${known})`,
      fix: "set `size:` on the server or on one of its labels",
    },
    server.source,
  );
  return null;
}

function noMapping(ctx: Context, server: ResolvedServer, size: ResolvedSize, what: string): void {
  report(
    ctx,
    {
      severity: "error",
      code: "LAB206",
      pointer: `/sizes/${escapeToken(size.name)}/providers/${server.provider}`,
      message: `size "${size.name}" (of server "${server.name}") ${what}`,
      fix: `add providers.${server.provider} to size ${size.name}`,
    },
    size.source,
  );
}

function warnMissing(ctx: Context, server: ResolvedServer, missing: string[]): void {
  if (!missing.length) return;
  report(
    ctx,
    {
      severity: "warning",
      code: "LAB207",
      pointer: serverPointer(server),
      message: `${server.provider} server "${server.name}": ${missing.join("; ")}`,
    },
    server.source,
  );
}

function base(server: ResolvedServer, size: ResolvedSize): { size: string; image?: string } {
  const image = server.spec.image;
  return image === undefined ? { size: size.name } : { size: size.name, image };
}

function awsServer(
  ctx: Context,
  server: ResolvedServer,
  size: ResolvedSize,
): AwsServerConfig | null {
  const shape = awsShape(size.spec);
  if (!shape) {
    noMapping(ctx, server, size, "has no aws mapping (instance_type)");
    return null;
  }
  const missing: string[] = [];
  if (server.spec.image === undefined)
    missing.push("no image (an AMI id such as ami-0123456789abcdef0)");
  const region = server.region;
  const awsRegion = awsRegionOf(ctx.model, region);
  if (awsRegion === undefined) {
    const what =
      region === null
        ? "no region"
        : `region "${region}" is not an AWS region and lab.regions.aws does not map it`;
    missing.push(
      `${what}: the stack uses the AWS provider's default region (aws:region, AWS_REGION)`,
    );
  }
  warnMissing(ctx, server, missing);
  const tags = awsTags(ctx.model.settings.name, server, size.name);
  const out: AwsServerConfig = { ...base(server, size), aws: shape, tags };
  if (awsRegion !== undefined) out.region = awsRegion;
  return out;
}

function xcpngServer(
  ctx: Context,
  server: ResolvedServer,
  size: ResolvedSize,
): XcpngServerConfig | null {
  const shape = xcpngShape(size.spec);
  if (!shape || shape.cores === undefined || shape.memory_mb === undefined) {
    noMapping(ctx, server, size, shape ? "gives xcpng no cores or memory" : "has no xcpng mapping");
    return null;
  }
  if (shape.disk_gb === undefined) {
    noMapping(ctx, server, size, "gives xcpng no disk (providers.xcpng.disk or abstract.disk)");
    return null;
  }
  if (server.spec.image === undefined) {
    warnMissing(ctx, server, [
      "no image: Pulumi clones the site's default Xen Orchestra template, if one is set",
    ]);
  }
  const xcpng = { cores: shape.cores, memory_mb: shape.memory_mb, disk_gb: shape.disk_gb };
  const tags = xcpngTags(ctx.model.settings.name, server, size.name);
  const out: XcpngServerConfig = { ...base(server, size), xcpng, tags };
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
  if (!size) return;
  const entry = provider === "aws" ? awsServer(ctx, server, size) : xcpngServer(ctx, server, size);
  if (!entry) return;
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

/** Group the model's servers into stacks; diagnostics for servers that cannot be mapped. */
export function buildStacks(model: ResolvedModel): { value: StackSet; diagnostics: Diagnostic[] } {
  const ctx: Context = {
    model,
    sizes: new Map(model.sizes.map((s) => [s.name, s])),
    labelSources: new Map(model.labels.map((l) => [l.name, l.source])),
    diagnostics: [],
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
  return { value: { stacks, unmanaged }, diagnostics: ctx.diagnostics };
}
