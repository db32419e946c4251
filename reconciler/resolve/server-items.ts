/**
 * What one server gets from its labels, its classes and the auto-generation rules: classes,
 * ports, secrets and catalog checks, each with provenance.
 */
import {
  checkForPort,
  checksForClass,
  ENROLLMENT_CHECKS,
  IDENTITY_CHECKS,
  SIZE_CHECKS,
} from "../../core/check-catalog.js";
import { cmp } from "../../core/diagnostics.js";
import type {
  ResolvedAlertRef,
  ResolvedClass,
  ResolvedPort,
  ResolvedSecretRef,
} from "../../core/model.js";
import { merge, type LabelInfo } from "./label-info.js";

export interface ItemContext {
  labels: ReadonlyMap<string, LabelInfo>;
  /** The checks an auto-generation rule ("size: large", "port 443" …) brings, shared. */
  autoChecks(rule: string, checks: readonly string[]): readonly ResolvedAlertRef[];
}

function infos(labels: readonly string[], ctx: ItemContext): LabelInfo[] {
  const out: LabelInfo[] = [];
  for (const label of labels) {
    const info = ctx.labels.get(label);
    if (info) out.push(info);
  }
  return out;
}

/** Classes from the labels in label order, de-duplicated (the first label's params win). */
export function classesFor(labels: readonly string[], ctx: ItemContext): ResolvedClass[] {
  const byName = new Map<string, ResolvedClass>();
  const owned = new Set<ResolvedClass>();
  for (const info of infos(labels, ctx)) {
    for (const c of info.classes) merge(byName, c.name, c, owned);
  }
  return [...byName.values()];
}

export function portsFor(labels: readonly string[], ctx: ItemContext): ResolvedPort[] {
  const byPort = new Map<number, ResolvedPort>();
  const owned = new Set<ResolvedPort>();
  for (const info of infos(labels, ctx)) {
    for (const p of info.ports) merge(byPort, p.port, p, owned);
  }
  return [...byPort.values()].sort((a, b) => a.port - b.port);
}

/** Its labels' secrets, then every lab::secret() in the classes it gets; sorted by path. */
export function secretsFor(
  labels: readonly string[],
  classes: readonly ResolvedClass[],
  ctx: ItemContext,
): ResolvedSecretRef[] {
  const byPath = new Map<string, ResolvedSecretRef>();
  const owned = new Set<ResolvedSecretRef>();
  for (const info of infos(labels, ctx)) {
    for (const s of info.secrets) merge(byPath, s.path, s, owned);
  }
  for (const c of classes) {
    for (const from of c.from) {
      const refs = ctx.labels.get(from.name)?.classSecrets(c.name) ?? [];
      for (const s of refs) merge(byPath, s.path, s, owned);
    }
  }
  return [...byPath.values()].sort((a, b) => cmp(a.path, b.path));
}

export interface CheckInputs {
  labels: readonly string[];
  classes: readonly ResolvedClass[];
  ports: readonly ResolvedPort[];
  size: string | null;
}

/** Label-declared checks, then auto-generated ones; one entry per name, sorted by name. */
export function checksFor(input: CheckInputs, ctx: ItemContext): ResolvedAlertRef[] {
  const byName = new Map<string, ResolvedAlertRef>();
  const owned = new Set<ResolvedAlertRef>();
  const add = (refs: readonly ResolvedAlertRef[]): void => {
    for (const ref of refs) merge(byName, ref.name, ref, owned);
  };
  for (const info of infos(input.labels, ctx)) add(info.checks);
  if (input.size !== null) add(ctx.autoChecks(`size: ${input.size}`, SIZE_CHECKS));
  add(ctx.autoChecks("identity", IDENTITY_CHECKS));
  add(ctx.autoChecks("enrollment", ENROLLMENT_CHECKS));
  for (const { port } of input.ports) add(ctx.autoChecks(`port ${port}`, [checkForPort(port)]));
  for (const c of input.classes) add(ctx.autoChecks(`class ${c.name}`, checksForClass(c.name)));
  return [...byName.values()].sort((a, b) => cmp(a.name, b.name));
}
