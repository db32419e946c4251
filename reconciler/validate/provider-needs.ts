/**
 * What a server's provider needs to create it. LAB207: a size (the server's own, else the first
 * of its labels' sizes, as resolve picks it) for the providers lab creates servers on (aws,
 * xcpng); an image and a region AWS knows (warnings). LAB206: the size mapped for the server's
 * provider (an error where lab creates the server, else a warning), and an xcpng mapping that
 * gives cores, memory and disk (itself or through the size's abstract shape).
 */
import { cmp, type SourcePos } from "../../core/diagnostics.js";
import type { Settings } from "../../core/model.js";
import { awsRegionOf } from "../../renderers/pulumi/aws-region.js";
import { xcpngShape } from "../../renderers/pulumi/size-shapes.js";
import { PULUMI_PROVIDERS } from "../../core/provider.js";
import { resolveSettings } from "../resolve/settings.js";
import { child, entriesOf, isRecord, type CheckContext, type Json } from "./check-context.js";
import { listNames } from "./describe.js";
import { hintFor, suggest } from "../../core/suggest.js";

/** The size a server gets, and the label that gave it (null: the server's own `size`). */
interface SizeChoice {
  size: string;
  label: string | null;
}

/** "unknown": the schema or a reference already reported what decides the size. */
type Choice = SizeChoice | "none" | "unknown";

/** What a size is for a provider; "skip" when the size failed the schema or is unknown. */
type Mapping = "mapped" | "unmapped" | "incomplete" | "skip";

interface Needs {
  ctx: CheckContext;
  sizes: Readonly<Record<string, Json>>;
  /** label -> its size; null when the schema flagged it. Labels without a size are absent. */
  labelSizes: ReadonlyMap<string, string | null>;
  /** lab.regions; null when it failed the schema (nothing is said about regions then). */
  regions: Settings["regions"] | null;
  /** `provider size` -> what the size is for the provider (each worked out once). */
  mappings: Map<string, Mapping>;
  /** xcpng sizes missing cores, memory or disk -> the servers using them, and how they chose it. */
  incomplete: Map<string, { server: string; pointer: string }[]>;
}

function creates(provider: string): boolean {
  return (PULUMI_PROVIDERS as readonly string[]).includes(provider);
}

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function labelSizes(ctx: CheckContext): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [label, spec] of entriesOf(ctx.repo.config.labels)) {
    if (spec.size === undefined) continue;
    const ok = typeof spec.size === "string" && ctx.ok(child("/labels", label, "size"));
    out.set(label, ok ? (spec.size as string) : null);
  }
  return out;
}

/** The server's own size, else the first of its labels' sizes (as resolve picks it). */
function sizeChoice(n: Needs, server: Json): Choice {
  if (server.size !== undefined) {
    return typeof server.size === "string" ? { size: server.size, label: null } : "unknown";
  }
  const labels: unknown = server.labels;
  if (!Array.isArray(labels)) return "none";
  for (const label of labels) {
    if (typeof label !== "string") continue;
    const size = n.labelSizes.get(label);
    if (size === undefined) continue;
    return size === null ? "unknown" : { size, label };
  }
  return "none";
}

/** The `size` value that chose the size. */
function choicePointer(at: string, choice: SizeChoice): string {
  return choice.label === null ? child(at, "size") : child("/labels", choice.label, "size");
}

function noSize(n: Needs, at: string, name: string, provider: string): void {
  const known = listNames(Object.keys(n.sizes)) || "none defined";
  n.ctx.report(
    "LAB207",
    at,
    `${provider} server "${name}" has no size, so there is nothing to create (known sizes: ${known})`,
    { fix: "set `size:` on the server or on one of its labels" },
  );
}

/** Where a size from a label was chosen and where it is defined. */
function labelRelated(n: Needs, at: string, choice: SizeChoice): SourcePos[] {
  const sources = n.ctx.repo.sources;
  return [sources.locate(choicePointer(at, choice)), sources.locate(child("/sizes", choice.size))];
}

function noMapping(n: Needs, at: string, name: string, provider: string, choice: SizeChoice): void {
  const spec = own(n.sizes, choice.size);
  const mapped = isRecord(spec?.providers) ? Object.keys(spec.providers) : [];
  const has = mapped.length > 0 ? `it maps ${listNames(mapped)}` : "it maps no provider";
  const from = choice.label === null ? "" : ` (from label ${choice.label})`;
  const fix = `add sizes.${choice.size}.providers.${provider}`;
  const severity = creates(provider) ? "error" : "warning";
  n.ctx.report(
    "LAB206",
    choice.label === null ? child(at, "size") : at,
    `size "${choice.size}"${from} has no mapping for provider "${provider}" (${has})` +
      (creates(provider) ? `, so lab cannot create ${name}` : ""),
    choice.label === null
      ? { severity, fix }
      : {
          severity,
          fix: `${fix}, or set \`size:\` on ${name}`,
          related: labelRelated(n, at, choice),
        },
  );
}

function mappingOf(n: Needs, provider: string, size: string): Mapping {
  const spec = own(n.sizes, size);
  if (spec === undefined || !n.ctx.ok(child("/sizes", size))) return "skip";
  const mapping = isRecord(spec.providers) ? own(spec.providers, provider) : undefined;
  if (mapping === undefined) return "unmapped";
  if (provider !== "xcpng") return "mapped";
  const shape = xcpngShape(spec);
  const complete = shape?.cores !== undefined && shape.memory_mb !== undefined;
  return complete && shape.disk_gb !== undefined ? "mapped" : "incomplete";
}

/** The size's mapping for the provider: missing (reported now) or incomplete (collected). */
function checkMapping(
  n: Needs,
  at: string,
  name: string,
  provider: string,
  choice: SizeChoice,
): void {
  const key = `${provider} ${choice.size}`;
  let mapping = n.mappings.get(key);
  if (mapping === undefined) {
    mapping = mappingOf(n, provider, choice.size);
    n.mappings.set(key, mapping);
  }
  if (mapping === "unmapped") noMapping(n, at, name, provider, choice);
  if (mapping !== "incomplete") return;
  const users = n.incomplete.get(choice.size) ?? [];
  users.push({ server: name, pointer: choicePointer(at, choice) });
  n.incomplete.set(choice.size, users);
}

const XCPNG_FIELDS = ["cores", "memory", "disk"] as const;

/** How many servers' positions an incomplete size's diagnostic carries (its message lists as many). */
const RELATED_LIMIT = 12;

function reportIncomplete(
  n: Needs,
  size: string,
  users: readonly { server: string; pointer: string }[],
): void {
  const shape = xcpngShape(own(n.sizes, size) ?? {});
  const value = { cores: shape?.cores, memory: shape?.memory_mb, disk: shape?.disk_gb };
  const missing = XCPNG_FIELDS.filter((f) => value[f] === undefined);
  const what = missing.map((f) => `no ${f} (providers.xcpng.${f} or abstract.${f})`);
  const fields = missing.join(" and ");
  const pointer = child("/sizes", size, "providers", "xcpng");
  const sorted = [...users].sort((a, b) => cmp(a.server, b.server));
  n.ctx.report(
    "LAB206",
    pointer,
    `size "${size}" gives xcpng ${what.join(" and ")}, so lab cannot create ${listNames(sorted.map((u) => u.server))}`,
    {
      fix: `add ${fields} to sizes.${size}.providers.xcpng or sizes.${size}.abstract`,
      related: sorted.slice(0, RELATED_LIMIT).map((u) => n.ctx.repo.sources.locate(u.pointer)),
    },
  );
}

function checkImageAndRegion(
  n: Needs,
  at: string,
  name: string,
  provider: string,
  server: Json,
): void {
  if (server.image === undefined) {
    const aws = provider === "aws";
    n.ctx.report(
      "LAB207",
      at,
      aws
        ? `aws server "${name}" has no image (an AMI id such as ami-0123456789abcdef0)`
        : `xcpng server "${name}" has no image: Pulumi clones the site's default Xen Orchestra template, if one is set`,
      {
        severity: "warning",
        fix: aws
          ? `set \`image:\` on ${name}`
          : `set \`image:\` on ${name} (a Xen Orchestra template), or a default template in the site settings`,
      },
    );
  }
  if (provider !== "aws" || n.regions === null) return;
  const region = typeof server.region === "string" ? server.region : null;
  if (awsRegionOf(n.regions, region) !== undefined) return;
  const fallback = "the stack uses the AWS provider's default region (aws:region, AWS_REGION)";
  if (region === null) {
    n.ctx.report("LAB207", at, `aws server "${name}" has no region: ${fallback}`, {
      severity: "warning",
      fix: `set \`region:\` on ${name}`,
    });
    return;
  }
  // lab.regions.aws, where the repo declares it, is the set of regions AWS servers may name: a
  // region outside it would create the server in the default region, an error. Without it the
  // region cannot be checked beyond its form: a warning.
  const mapped = Object.keys(n.regions.aws ?? {});
  const close = suggest(region, mapped);
  n.ctx.report(
    "LAB207",
    child(at, "region"),
    `aws server "${name}": region "${region}" is not an AWS region and lab.regions.aws does not map it${hintFor(close)}: ${fallback}`,
    {
      severity: mapped.length > 0 ? "error" : "warning",
      fix: close[0]
        ? `replace "${region}" with "${close[0]}"`
        : `map it under lab.regions.aws (${region}: <an AWS region such as eu-west-1>), or set an AWS region`,
    },
  );
}

/** A server the schema found something wrong in is left alone: that comes first. */
function checkServer(n: Needs, name: string, server: Json): void {
  const provider = server.provider;
  const at = child("/servers", name);
  if (typeof provider !== "string" || !n.ctx.ok(at)) return;
  const choice = sizeChoice(n, server);
  if (choice === "none" && creates(provider)) noSize(n, at, name, provider);
  if (typeof choice === "object") checkMapping(n, at, name, provider, choice);
  if (creates(provider)) checkImageAndRegion(n, at, name, provider, server);
}

export function checkProviderNeeds(ctx: CheckContext): void {
  const config = ctx.repo.config;
  const regions = ctx.ok("/lab/regions") ? resolveSettings(config.lab).regions : null;
  const n: Needs = {
    ctx,
    sizes: Object.fromEntries(entriesOf(config.sizes)),
    labelSizes: labelSizes(ctx),
    regions,
    mappings: new Map(),
    incomplete: new Map(),
  };
  const servers: unknown = config.servers;
  if (isRecord(servers)) {
    for (const name of Object.keys(servers)) {
      const server = servers[name];
      if (isRecord(server)) checkServer(n, name, server);
    }
  }
  for (const [size, servers] of n.incomplete) reportIncomplete(n, size, servers);
}
