/**
 * The resources the model wants of each Pulumi stack (docs/plan.md, "resources"): what the
 * program of lab-program.ts registers for every rendered stack — one `pulumi:providers:aws` per
 * AWS region, one EC2 instance per aws server, one Xen Orchestra VM per xcpng server, with the
 * inputs the program's own `awsInstanceArgs` and `xoVmArgs` give — named the way Pulumi names
 * them, `urn:pulumi:<stack>::<project>::<type>::<name>` (lab's resources have no parent but the
 * stack, which Pulumi leaves out of the type).
 *
 * The list is made without running the program: under Pulumi's mock runtime (mock-run.ts) each
 * resource costs about 6 ms and the 10k-server bench repo's 6,552 resources take 40 s and 3 GB,
 * against well under a second here. desired-resources.test.ts checks the two give the same
 * resources, URNs and inputs on the example's stacks.
 *
 * An xcpng stack that needs site settings lab was not given (Xen Orchestra ids, a default
 * template) still gives its resources, without inputs: the plan then compares them by presence
 * only, never an update from a made-up id.
 */
import type { DesiredResource, ProviderPlan } from "../../core/provider.js";
import { cmp } from "../../core/diagnostics.js";
import { LabError } from "../../core/errors.js";
import type { Artifact } from "../../core/renderer.js";
import type { StackConfig } from "../../renderers/pulumi/stack-config.js";
import type { SiteSettings, XcpngSite } from "./lab-program.js";
import { checkStacks, readStacks } from "./read-stacks.js";
import type { StackInput } from "./read-stacks.js";

/** The type tokens lab-program.ts registers (xo-vm.ts has XO_VM_TYPE). */
export const AWS_PROVIDER_TYPE = "pulumi:providers:aws";
export const EC2_INSTANCE_TYPE = "aws:ec2/instance:Instance";

/** Stands in for the site settings that are missing, so every VM is listed. */
const NO_SITE: XcpngSite = { networkId: "", srId: "", template: "" };

/** One resource as the program registers it. */
export interface Registration {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export function resourceUrn(stack: string, project: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${type}::${name}`;
}

/** The program's modules, loaded on use: @pulumi/pulumi takes most of a second to load. */
async function programParts() {
  const [program, xo] = await Promise.all([import("./lab-program.js"), import("./xo-vm.js")]);
  return { ...program, XO_VM_TYPE: xo.XO_VM_TYPE };
}

type Parts = Awaited<ReturnType<typeof programParts>>;

/** A plain copy of an argument object (what the engine receives: undefined values left out). */
function plain(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => cmp(a, b));
}

/** What lab-program.ts's program registers for `config`, in the order it registers them. */
function registrations(parts: Parts, config: StackConfig, site: XcpngSite): Registration[] {
  const out: Registration[] = [];
  if (config.provider === "xcpng") {
    for (const [name, server] of sortedEntries(config.servers)) {
      out.push({ type: parts.XO_VM_TYPE, name, inputs: plain(parts.xoVmArgs(name, server, site)) });
    }
    return out;
  }
  const regions = new Set<string>();
  for (const [name, server] of sortedEntries(config.servers)) {
    if (server.region !== undefined && !regions.has(server.region)) {
      regions.add(server.region);
      const inputs = { region: server.region };
      out.push({ type: AWS_PROVIDER_TYPE, name: `aws-${server.region}`, inputs });
    }
    out.push({ type: EC2_INSTANCE_TYPE, name, inputs: plain(parts.awsInstanceArgs(server)) });
  }
  return out;
}

function stackPlan(parts: Parts, stack: StackInput, site: SiteSettings): ProviderPlan {
  const known = checkStacks([stack], site) === null;
  const xcpng = known && site.xcpng ? site.xcpng : NO_SITE;
  const resources: DesiredResource[] = registrations(parts, stack.config, xcpng).map((r) => ({
    urn: resourceUrn(stack.name, stack.project, r.type, r.name),
    type: r.type,
    ...(known ? { inputs: r.inputs } : {}),
  }));
  return { provider: stack.config.provider, stack: stack.name, resources };
}

/**
 * What each rendered stack (`pulumi/<stack>/Pulumi.<stack>.yaml`) wants, sorted by stack. A stack
 * file lab's own renderer wrote that does not read back is a bug, not a user mistake: it throws.
 */
export async function desiredResources(
  artifacts: readonly Artifact[],
  site: SiteSettings = {},
  signal?: AbortSignal,
): Promise<ProviderPlan[]> {
  const read = readStacks(artifacts);
  if (!read.ok) throw new LabError("INTERNAL", read.error.message);
  if (!read.stacks.length) return [];
  const parts = await programParts();
  return read.stacks.map((stack) => {
    signal?.throwIfAborted();
    return stackPlan(parts, stack, site);
  });
}
