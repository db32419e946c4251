/**
 * The plan stage: the head against the base (or against what is applied) → one Plan. Pure and
 * synchronous: everything it compares comes in as arguments.
 */
import { planSecrets } from "../secrets/plan-secrets.js";
import { locateSide } from "./change-source.js";
import { planDrift } from "./plan-drift.js";
import { appliedFiles, artifactFiles, planOutputs } from "./plan-outputs.js";
import { planResources, resourceRisks } from "./plan-resources.js";
import { planRisks } from "./plan-risks.js";
import { planServers } from "./plan-servers.js";
import type {
  Drift,
  Plan,
  PlanInput,
  PlanSecrets,
  PlannedOutput,
  PlannedResource,
  PlannedServer,
  PlanSummary,
  Risk,
} from "./plan-types.js";

export function plan(input: PlanInput): Plan {
  const { head, base } = input;
  const old = base?.artifacts ? artifactFiles(base.artifacts) : appliedFiles(input.applied);
  const outputs = planOutputs(head.artifacts, old);
  const servers = base
    ? planServers(locateSide(base.model, base.sources), locateSide(head.model, head.sources))
    : [];
  const resources = planResources(input.desired, input.resources?.observed);
  const risks = planRisks(servers, resourceRisks(resources, head.sources));
  const drift = planDrift(input.resources);
  const secrets = planSecrets(servers, base, head);
  return {
    kind: "Plan",
    base: base ? base.revision : (input.applied?.revision ?? null),
    head: head.revision,
    summary: summarize(outputs, servers, risks, drift, resources, base !== null, secrets),
    risks,
    outputs,
    servers,
    drift,
    resources,
    secrets,
  };
}

function summarize(
  outputs: readonly PlannedOutput[],
  servers: readonly PlannedServer[],
  risks: readonly Risk[],
  drift: readonly Drift[],
  resources: readonly PlannedResource[],
  serversCompared: boolean,
  secrets: PlanSecrets,
): PlanSummary {
  const files = { add: 0, change: 0, remove: 0 };
  for (const o of outputs) for (const f of o.files) files[f.action] += 1;
  const counts = { add: 0, remove: 0, replace: 0, change: 0, unchanged: 0 };
  for (const s of servers) counts[s.action === "none" ? "unchanged" : s.action] += 1;
  const held = { create: 0, update: 0, delete: 0 };
  for (const r of resources) held[r.action] += 1;
  const changes =
    files.add +
      files.change +
      files.remove +
      counts.add +
      counts.remove +
      counts.replace +
      counts.change +
      resources.length +
      secrets.values.length >
    0;
  return {
    files,
    servers: counts,
    serversCompared,
    risks: risks.length,
    drift: drift.length,
    resources: held,
    changes,
  };
}
