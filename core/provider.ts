/**
 * The provider contract (docs/architecture.md, "Plugin contracts"): what lab knows of each kind of
 * place a server lives, and the three things a provider does for the reconciler — `observe` the
 * resources that exist, `plan` the resources the model wants, `apply` a plan. The knowledge the
 * renderers and the validator need (who creates machines, which providers map regions, titles)
 * is read from PROVIDER_INFO, never spelled out again elsewhere.
 */
import type { Provider } from "../schemas/types.js";
import type { ResolvedModel } from "./model.js";

export type { Provider } from "../schemas/types.js";

/** What lab knows of a provider kind without talking to it. */
export interface ProviderInfo {
  readonly name: Provider;
  /** As people write it: "AWS", "XCP-ng". */
  readonly title: string;
  /**
   * How its machines come to exist: `pulumi` — lab renders a Pulumi stack that creates them;
   * `onboarding` — the machine exists already and is enrolled by other means.
   */
  readonly lifecycle: "pulumi" | "onboarding";
  /** How onboarding reaches the machine, for the ones lab does not create. */
  readonly onboarding?: string;
  /** The provider has named regions of its own that `lab.regions.<provider>` maps lab's onto. */
  readonly ownRegions: boolean;
}

/** Every provider kind, in the order tables show them. The schema's enum lists the same names. */
export const PROVIDER_INFO: Readonly<Record<Provider, ProviderInfo>> = {
  aws: { name: "aws", title: "AWS", lifecycle: "pulumi", ownRegions: true },
  xcpng: { name: "xcpng", title: "XCP-ng", lifecycle: "pulumi", ownRegions: false },
  baremetal: {
    name: "baremetal",
    title: "Bare Metal",
    lifecycle: "onboarding",
    onboarding: "network boot over IPMI",
    ownRegions: false,
  },
  ssh: {
    name: "ssh",
    title: "SSH",
    lifecycle: "onboarding",
    onboarding: "enrollment over SSH",
    ownRegions: false,
  },
};

export const PROVIDER_NAMES: readonly Provider[] = Object.keys(PROVIDER_INFO) as Provider[];

/** The providers whose machines lab creates through Pulumi stacks, in table order. */
export const PULUMI_PROVIDERS: readonly Provider[] = PROVIDER_NAMES.filter(
  (p) => PROVIDER_INFO[p].lifecycle === "pulumi",
);

export function providerInfo(name: Provider): ProviderInfo {
  return PROVIDER_INFO[name];
}

// ---------------------------------------------------------------------------------------------
// What a provider reports and wants (docs/plan.md, "Drift")

/**
 * One resource as a provider reports it, or as the model wants it: a Pulumi checkpoint's
 * `deployment.resources[]` entry (`urn`, `type`, `inputs`, `outputs`); an onboarded machine is
 * `<provider>:<server>` with its inputs.
 */
export interface ObservedResource {
  /** Stable across runs: a Pulumi URN, or `<provider>:<server>`. */
  readonly urn: string;
  readonly type: string;
  readonly inputs?: Readonly<Record<string, unknown>>;
  readonly outputs?: Readonly<Record<string, unknown>>;
}

/** What one stack (or one onboarding inventory) holds. */
export interface ObservedStack {
  readonly provider: string;
  readonly stack: string;
  readonly resources: readonly ObservedResource[];
}

/** A resource the model wants: the same shape as one a provider reports. */
export type DesiredResource = ObservedResource;

export interface ProviderPlan {
  readonly provider: Provider;
  readonly stack: string;
  readonly resources: readonly DesiredResource[];
}

export interface ApplyResult {
  readonly stack: string;
  readonly status: "applied" | "unchanged" | "skipped" | "failed";
  /** Why, for skipped or failed: "the Pulumi CLI is not installed". */
  readonly reason?: string;
}

/** A provider plugin. Every call that talks to something takes an AbortSignal. */
export interface ProviderPlugin {
  readonly info: ProviderInfo;
  observe(signal?: AbortSignal): Promise<ObservedStack[]>;
  /** Pure: what the model wants of this provider, per stack. */
  plan(model: ResolvedModel): ProviderPlan[];
  apply(plans: readonly ProviderPlan[], signal?: AbortSignal): Promise<ApplyResult[]>;
}

/**
 * A provider that holds its resources in memory: for tests and dry runs. `apply` makes what it
 * observes equal to what was planned; `failOn` makes the apply of the named stacks fail.
 */
export function memoryProvider(
  name: Provider,
  options: { observed?: ObservedStack[]; failOn?: readonly string[] } = {},
): ProviderPlugin & { applied: ProviderPlan[][] } {
  let observed: ObservedStack[] = options.observed ?? [];
  const applied: ProviderPlan[][] = [];
  return {
    info: PROVIDER_INFO[name],
    applied,
    observe(signal) {
      signal?.throwIfAborted();
      return Promise.resolve(observed);
    },
    plan(model) {
      const resources = model.servers
        .filter((s) => s.provider === name)
        .map((s) => ({
          urn: `${name}:${s.name}`,
          type: `${name}:server`,
          inputs: { size: s.size, region: s.region },
        }));
      return resources.length ? [{ provider: name, stack: name, resources }] : [];
    },
    apply(plans, signal) {
      signal?.throwIfAborted();
      applied.push([...plans]);
      const results: ApplyResult[] = plans.map((p) =>
        options.failOn?.includes(p.stack)
          ? { stack: p.stack, status: "failed", reason: "refused by the memory provider" }
          : { stack: p.stack, status: "applied" },
      );
      const ok = new Set(results.filter((r) => r.status === "applied").map((r) => r.stack));
      observed = [
        ...observed.filter((o) => !ok.has(o.stack)),
        ...plans
          .filter((p) => ok.has(p.stack))
          .map((p) => ({ provider: name, stack: p.stack, resources: p.resources })),
      ];
      return Promise.resolve(results);
    },
  };
}

/** The provider plugins by name, filled entry by entry by the adapters that implement them. */
export const PROVIDER_PLUGINS = new Map<Provider, (options?: unknown) => ProviderPlugin>();
