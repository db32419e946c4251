/**
 * The providers' resources (docs/plan.md, "resources"): what the model wants of each provider
 * stack — the resources the rendered Pulumi program registers — against what the provider holds
 * now (its checkpoint), as `pulumi preview` sums it up: create, update, delete. Pure.
 */
import type { SourcePos } from "../../core/diagnostics.js";
import { cmp } from "../../core/diagnostics.js";
import { canonicalJson } from "../../core/canonical.js";
import { escapeToken } from "../../core/json-pointer.js";
import type { SourceMap } from "../../core/model.js";
import type { DesiredResource, ProviderPlan } from "../../core/provider.js";
import type { ObservedResource, ObservedStack, PlannedResource, Risk } from "./plan-types.js";

/** The key under which Pulumi's providers list the inputs they filled in with defaults. */
const DEFAULTS = "__defaults";

function stackKey(s: { provider: string; stack: string }): string {
  return `${s.provider}\0${s.stack}`;
}

/** Pulumi's own bookkeeping resources, which no config declares and no plan creates or deletes. */
function isBookkeeping(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

/** The value without Pulumi's `__defaults` lists, at any depth. */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDefaults);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== DEFAULTS) out[k] = withoutDefaults(v);
  return out;
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(withoutDefaults(a ?? null)) === canonicalJson(withoutDefaults(b ?? null));
}

/**
 * The input keys whose values differ, sorted. A key only the held resource has is a difference
 * unless the provider lists it in `__defaults` (a default it filled in, which the program never
 * sets); `__defaults` itself is not an input.
 */
function changedInputs(want: DesiredResource, held: ObservedResource): string[] {
  const x = want.inputs ?? {};
  const y = held.inputs ?? {};
  const listed = y[DEFAULTS];
  const defaulted = new Set(Array.isArray(listed) ? listed.map(String) : []);
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  keys.delete(DEFAULTS);
  return [...keys]
    .filter((k) => !(x[k] === undefined && defaulted.has(k)) && !same(x[k], y[k]))
    .sort(cmp);
}

function resourcesOf(stack: { resources: readonly ObservedResource[] } | undefined) {
  const out = new Map<string, ObservedResource>();
  for (const r of stack?.resources ?? []) if (!isBookkeeping(r.type)) out.set(r.urn, r);
  return out;
}

/**
 * Per stack, every resource the model wants that the provider does not hold is a `create` (all of
 * them for a stack it never held), every one it holds that the model does not want a `delete`
 * (all of them for a stack lab no longer renders), and one on both sides whose inputs differ an
 * `update` naming the keys. A wanted resource without `inputs` (not known: the program could not
 * run with the real settings) is compared by presence only. Nothing to compare without either side.
 */
export function planResources(
  desired: readonly ProviderPlan[] | undefined,
  observed: readonly ObservedStack[] | undefined,
): PlannedResource[] {
  if (!desired || !observed) return [];
  const stacks = new Map<string, { provider: string; stack: string }>();
  const wanted = new Map<string, ProviderPlan>();
  const held = new Map<string, ObservedStack>();
  for (const p of desired) {
    stacks.set(stackKey(p), p);
    wanted.set(stackKey(p), p);
  }
  for (const o of observed) {
    stacks.set(stackKey(o), o);
    held.set(stackKey(o), o);
  }
  const out: PlannedResource[] = [];
  for (const [key, { provider, stack }] of stacks) {
    const want = resourcesOf(wanted.get(key));
    const have = resourcesOf(held.get(key));
    const at = { provider, stack };
    for (const [urn, r] of want) {
      const old = have.get(urn);
      if (!old) out.push({ ...at, urn, type: r.type, action: "create", fields: [] });
      else if (r.inputs !== undefined) {
        const fields = changedInputs(r, old);
        if (fields.length) out.push({ ...at, urn, type: r.type, action: "update", fields });
      }
    }
    for (const [urn, r] of have) {
      if (!want.has(urn)) out.push({ ...at, urn, type: r.type, action: "delete", fields: [] });
    }
  }
  return out.sort(
    (a, b) => cmp(a.provider, b.provider) || cmp(a.stack, b.stack) || cmp(a.urn, b.urn),
  );
}

/** A URN's last part: the resource's name (`…::aws:ec2/instance:Instance::web-1` → `web-1`). */
export function resourceName(urn: string): string {
  const at = urn.lastIndexOf("::");
  return at < 0 ? urn : urn.slice(at + 2);
}

/**
 * One `resource-delete` risk per resource a provider would delete. `source` is the head's entry
 * of the server the resource is named after when the head still declares it (moved to another
 * provider or stack), else the nearest config that exists (the servers, or the repo root).
 */
export function resourceRisks(resources: readonly PlannedResource[], head: SourceMap): Risk[] {
  return resources
    .filter((r) => r.action === "delete")
    .map((r) => {
      const name = resourceName(r.urn);
      const source: SourcePos = head.locate(`/servers/${escapeToken(name)}`, { key: true });
      return {
        kind: "resource-delete" as const,
        server: name,
        name: r.urn,
        source,
        message: `${r.type} ${name} of stack ${r.stack} is deleted from ${r.provider}: the stack holds it and the repo no longer declares it there`,
      };
    });
}
