/**
 * The risks of a plan, computed once from its servers (and the provider resources it deletes,
 * plan-resources.ts), most severe first.
 */
import { cmp } from "../../core/diagnostics.js";
import type { From } from "../../core/model.js";
import type { PlannedServer, Risk, RiskKind, ServerChange } from "./plan-types.js";

/** Most severe first. */
export const RISK_KINDS: readonly RiskKind[] = [
  "resource-delete",
  "destroy",
  "replace",
  "secret-gained",
  "secret-lost",
  "alert-removed",
  "class-removed",
];

function why(from: readonly From[]): string {
  const f = from[0];
  if (!f) return "";
  const base = f.kind === "auto" ? f.name : `${f.kind} ${f.name}`;
  return ` (from ${f.via === undefined ? base : `${base} via ${f.via}`})`;
}

function changeRisk(server: string, c: ServerChange): Risk | null {
  const at = { server, name: c.name, source: c.source };
  if (c.kind === "secret" && c.action === "gain") {
    return {
      kind: "secret-gained",
      ...at,
      message: `${server} gains access to secret ${c.name}${why(c.from)}`,
    };
  }
  if (c.action !== "lose") return null;
  if (c.kind === "secret") {
    return {
      kind: "secret-lost",
      ...at,
      message: `${server} loses access to secret ${c.name}${why(c.from)}`,
    };
  }
  if (c.kind === "alert") {
    return {
      kind: "alert-removed",
      ...at,
      message: `${server} is no longer watched by alert ${c.name}${why(c.from)}`,
    };
  }
  if (c.kind === "class") {
    return {
      kind: "class-removed",
      ...at,
      message: `${server} loses class ${c.name}${why(c.from)}`,
    };
  }
  return null;
}

function replaceMessage(s: PlannedServer): string {
  const what = s.changes
    .filter((c) => c.kind === "size" || c.kind === "provider")
    .map((c) => `${c.kind} ${c.before ?? "none"} -> ${c.after ?? "none"}`);
  return `${s.name} is replaced (destroyed and created again): ${what.join(", ")}`;
}

/**
 * Destroy and replace per server; secrets, alerts and classes per change (not for a removal);
 * `others` (the resources' risks) sorted in with them.
 */
export function planRisks(servers: readonly PlannedServer[], others: readonly Risk[] = []): Risk[] {
  const risks: Risk[] = [...others];
  for (const s of servers) {
    if (s.action === "remove") {
      risks.push({
        kind: "destroy",
        server: s.name,
        name: s.name,
        source: s.source,
        message: `${s.name} is destroyed (removed from the repo)`,
      });
      continue;
    }
    if (s.action === "replace") {
      const first = s.changes.find((c) => c.kind === "provider" || c.kind === "size");
      const source = first?.source ?? s.source;
      risks.push({
        kind: "replace",
        server: s.name,
        name: s.name,
        source,
        message: replaceMessage(s),
      });
    }
    for (const c of s.changes) {
      const risk = changeRisk(s.name, c);
      if (risk) risks.push(risk);
    }
  }
  return risks.sort(
    (a, b) =>
      RISK_KINDS.indexOf(a.kind) - RISK_KINDS.indexOf(b.kind) ||
      cmp(a.server, b.server) ||
      cmp(a.name, b.name),
  );
}
