/**
 * Drift: resources a provider reports that differ from what lab last applied (inputs changed,
 * or gone), or that lab does not declare at all.
 */
import { cmp } from "../../core/diagnostics.js";
import { canonicalJson } from "../../core/canonical.js";
import type { Drift, ObservedResource, ObservedStack, ProviderResources } from "./plan-types.js";

function stackKey(s: { provider: string; stack: string }): string {
  return `${s.provider}\0${s.stack}`;
}

function byUrn(stacks: readonly ObservedStack[]): Map<string, Map<string, ObservedResource>> {
  const out = new Map<string, Map<string, ObservedResource>>();
  for (const s of stacks) {
    const map = out.get(stackKey(s)) ?? new Map<string, ObservedResource>();
    for (const r of s.resources) map.set(r.urn, r);
    out.set(stackKey(s), map);
  }
  return out;
}

/** The input keys whose values differ between the two, sorted. */
function changedFields(a: ObservedResource, b: ObservedResource): string[] {
  const [x, y] = [a.inputs ?? {}, b.inputs ?? {}];
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  return [...keys]
    .filter((k) => canonicalJson(x[k] ?? null) !== canonicalJson(y[k] ?? null))
    .sort(cmp);
}

/** Pulumi's own bookkeeping resources, which no config declares. */
function isBookkeeping(type: string): boolean {
  return type === "pulumi:pulumi:Stack" || type.startsWith("pulumi:providers:");
}

export function planDrift(resources: ProviderResources | undefined): Drift[] {
  if (!resources) return [];
  const applied = byUrn(resources.applied);
  const observed = byUrn(resources.observed);
  const out: Drift[] = [];
  const stacks = new Map<string, { provider: string; stack: string }>();
  for (const s of [...resources.applied, ...resources.observed]) stacks.set(stackKey(s), s);
  for (const [key, { provider, stack }] of stacks) {
    const was = applied.get(key) ?? new Map<string, ObservedResource>();
    const now = observed.get(key) ?? new Map<string, ObservedResource>();
    const at = { provider, stack };
    for (const [urn, r] of now) {
      if (isBookkeeping(r.type)) continue;
      const last = was.get(urn);
      if (!last) out.push({ kind: "undeclared", ...at, urn, type: r.type, fields: [] });
      else {
        const fields = changedFields(last, r);
        if (fields.length) out.push({ kind: "changed", ...at, urn, type: r.type, fields });
      }
    }
    for (const [urn, r] of was) {
      if (!now.has(urn) && !isBookkeeping(r.type)) {
        out.push({ kind: "missing", ...at, urn, type: r.type, fields: [] });
      }
    }
  }
  return out.sort(
    (a, b) =>
      cmp(a.provider, b.provider) ||
      cmp(a.stack, b.stack) ||
      cmp(a.urn, b.urn) ||
      cmp(a.kind, b.kind),
  );
}
