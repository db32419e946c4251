/**
 * A provider's report read from a Pulumi checkpoint (`pulumi stack export`, deployment version 3:
 * `{version: 3, deployment: {resources: [{urn, type, inputs, outputs, …}]}}`) as plan input.
 */
import type { ObservedResource, ObservedStack } from "./plan-types.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function resourceOf(v: unknown): ObservedResource | null {
  if (!isRecord(v) || typeof v.urn !== "string" || typeof v.type !== "string") return null;
  return {
    urn: v.urn,
    type: v.type,
    ...(isRecord(v.inputs) ? { inputs: v.inputs } : {}),
    ...(isRecord(v.outputs) ? { outputs: v.outputs } : {}),
  };
}

/**
 * The stack's resources, sorted by URN; null when `exported` is not a version 3 checkpoint.
 * Entries without a URN or type are not resources and are skipped.
 */
export function observedStack(
  provider: string,
  stack: string,
  exported: unknown,
): ObservedStack | null {
  if (!isRecord(exported) || exported.version !== 3 || !isRecord(exported.deployment)) return null;
  const list = exported.deployment.resources;
  const resources = (Array.isArray(list) ? list : [])
    .map(resourceOf)
    .filter((r): r is ObservedResource => r !== null)
    .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  return { provider, stack, resources };
}
