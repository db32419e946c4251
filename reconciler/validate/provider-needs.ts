/**
 * What a server's provider needs to create it. LAB207: a size (the server's own, else the first
 * of its labels' sizes, as resolve picks it) for the providers lab creates servers on (aws,
 * xcpng); an image and a region AWS knows (warnings). LAB206: the size mapped for the server's
 * provider (an error where lab creates the server, else a warning), and an xcpng mapping that
 * gives cores, memory and disk (itself or through the size's abstract shape).
 */
import { cmp } from "../../core/diagnostics.js";
import type { Settings } from "../../core/model.js";
import { awsRegionOf } from "../../renderers/pulumi/aws-region.js";
import { xcpngShape } from "../../renderers/pulumi/size-shapes.js";
import { PULUMI_PROVIDERS } from "../../renderers/pulumi/stack-config.js";
import { resolveSettings } from "../resolve/settings.js";
import { uniqueStrings } from "../resolve/universe.js";
import { child, entriesOf, isRecord, type CheckContext, type Json } from "./check-context.js";
import { listNames } from "./describe.js";

/** The size a server gets and where that was said. */
interface SizeChoice {
  size: string;
  /** The label that gave it; null for the server's own `size`. */
  label: string | null;
  /** The `size` value that chose it. */
  pointer: string;
}

/** "unknown": the schema or a reference already reported what decides the size. */
type Choice = SizeChoice | "none" | "unknown";

interface Needs {
  ctx: CheckContext;
  sizes: Readonly<Record<string, Json>>;
  labels: Readonly<Record<string, Json>>;
  /** lab.regions; null when it failed the schema (nothing is said about regions then). */
  regions: Settings["regions"] | null;
  /** The regions lab.regions declares for any provider. */
  declaredRegions: ReadonlySet<string>;
  /** xcpng sizes missing cores, memory or disk -> the servers using them, and how they chose it. */
  incomplete: Map<string, { server: string; pointer: string }[]>;
}

function creates(provider: string): boolean {
  return (PULUMI_PROVIDERS as readonly string[]).includes(provider);
}

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function sizeChoice(n: Needs, name: string, server: Json): Choice {
  const at = child("/servers", name);
  if (server.size !== undefined) {
    if (typeof server.size !== "string") return "unknown";
    return { size: server.size, label: null, pointer: child(at, "size") };
  }
  for (const label of uniqueStrings(server.labels as unknown[] | undefined)) {
    const size = own(n.labels, label)?.size;
    if (size === undefined) continue;
    const pointer = child("/labels", label, "size");
    if (typeof size !== "string" || !n.ctx.ok(pointer)) return "unknown";
    return { size, label, pointer };
  }
  return "none";
}

function noSize(n: Needs, name: string, provider: string): void {
  const known = listNames(Object.keys(n.sizes)) || "none defined";
  n.ctx.report(
    "LAB207",
    child("/servers", name),
    `${provider} server "${name}" has no size, so there is nothing to create (known sizes: ${known})`,
    { fix: "set `size:` on the server or on one of its labels" },
  );
}

function noMapping(n: Needs, name: string, provider: string, choice: SizeChoice): void {
  const spec = own(n.sizes, choice.size);
  const mapped = isRecord(spec?.providers) ? Object.keys(spec.providers) : [];
  const has = mapped.length > 0 ? `it maps ${listNames(mapped)}` : "it maps no provider";
  const from = choice.label === null ? "" : ` (from label ${choice.label})`;
  const fix = `add sizes.${choice.size}.providers.${provider}`;
  const sources = n.ctx.repo.sources;
  n.ctx.report(
    "LAB206",
    choice.label === null ? choice.pointer : child("/servers", name),
    `size "${choice.size}"${from} has no mapping for provider "${provider}" (${has})` +
      (creates(provider) ? `, so lab cannot create ${name}` : ""),
    {
      severity: creates(provider) ? "error" : "warning",
      fix: choice.label === null ? fix : `${fix}, or set \`size:\` on ${name}`,
      ...(choice.label === null
        ? {}
        : {
            related: [sources.locate(choice.pointer), sources.locate(child("/sizes", choice.size))],
          }),
    },
  );
}

/** The size's mapping for the provider: missing (reported now) or incomplete (collected). */
function checkMapping(n: Needs, name: string, provider: string, choice: SizeChoice): void {
  const spec = own(n.sizes, choice.size);
  if (spec === undefined || !n.ctx.ok(child("/sizes", choice.size))) return;
  const mapping = isRecord(spec.providers) ? own(spec.providers, provider) : undefined;
  if (mapping === undefined) return noMapping(n, name, provider, choice);
  if (provider !== "xcpng") return;
  const shape = xcpngShape(spec);
  const complete = shape?.cores !== undefined && shape.memory_mb !== undefined;
  if (complete && shape.disk_gb !== undefined) return;
  const users = n.incomplete.get(choice.size) ?? [];
  users.push({ server: name, pointer: choice.pointer });
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

function checkImageAndRegion(n: Needs, name: string, provider: string, server: Json): void {
  const at = child("/servers", name);
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
  // A region lab.regions does not declare at all is an unknown region (LAB209) already.
  if (region !== null && n.declaredRegions.size > 0 && !n.declaredRegions.has(region)) return;
  const fallback = "the stack uses the AWS provider's default region (aws:region, AWS_REGION)";
  if (region === null) {
    n.ctx.report("LAB207", at, `aws server "${name}" has no region: ${fallback}`, {
      severity: "warning",
      fix: `set \`region:\` on ${name}`,
    });
    return;
  }
  n.ctx.report(
    "LAB207",
    child(at, "region"),
    `aws server "${name}": region "${region}" is not an AWS region and lab.regions.aws does not map it: ${fallback}`,
    {
      severity: "warning",
      fix: `map it under lab.regions.aws (${region}: <an AWS region such as eu-west-1>), or set an AWS region`,
    },
  );
}

/** A server the schema found something wrong in is left alone: that comes first. */
function checkServer(n: Needs, name: string, server: Json): void {
  const provider = server.provider;
  if (typeof provider !== "string" || !n.ctx.ok(child("/servers", name))) return;
  const choice = sizeChoice(n, name, server);
  if (choice === "none" && creates(provider)) noSize(n, name, provider);
  if (typeof choice === "object") checkMapping(n, name, provider, choice);
  if (creates(provider)) checkImageAndRegion(n, name, provider, server);
}

export function checkProviderNeeds(ctx: CheckContext): void {
  const config = ctx.repo.config;
  const regions = ctx.ok("/lab/regions") ? resolveSettings(config.lab).regions : null;
  const n: Needs = {
    ctx,
    sizes: Object.fromEntries(entriesOf(config.sizes)),
    labels: Object.fromEntries(entriesOf(config.labels)),
    regions,
    declaredRegions: new Set(Object.values(regions ?? {}).flatMap((t) => Object.keys(t))),
    incomplete: new Map(),
  };
  for (const [name, server] of entriesOf(config.servers)) checkServer(n, name, server);
  for (const [size, servers] of n.incomplete) reportIncomplete(n, size, servers);
}
