/** Names that must refer to something defined: labels, groups, servers, secrets, sizes, checks. */
import { CHECKS } from "../../core/check-catalog.js";
import { didYouMean, suggest } from "../../core/suggest.js";
import { listNames, unknownName } from "./describe.js";
import {
  child,
  entriesOf,
  isRecord,
  nameItems,
  namesOf,
  type CheckContext,
} from "./check-context.js";

interface Known {
  labels: Set<string>;
  groups: Set<string>;
  servers: Set<string>;
  secrets: Set<string>;
  sizes: Set<string>;
  checks: Set<string>;
}

function knownNames(ctx: CheckContext): Known {
  const c = ctx.repo.config;
  return {
    labels: namesOf(c.labels),
    groups: namesOf(c.groups),
    servers: namesOf(c.servers),
    secrets: namesOf(c.secrets),
    sizes: namesOf(c.sizes),
    checks: new Set(CHECKS.keys()),
  };
}

/** Reports every name in `value` (a name or a list) that `known` lacks. */
function checkNames(
  ctx: CheckContext,
  value: unknown,
  pointer: string,
  what: { code: "LAB200" | "LAB201" | "LAB202" | "LAB203" | "LAB204" | "LAB205"; kind: string },
  known: ReadonlySet<string>,
): void {
  for (const [name, at] of nameItems(value, pointer)) {
    if (known.has(name) || !ctx.ok(at)) continue;
    ctx.report(what.code, at, unknownName(what.kind, name, known), {
      severity: what.code === "LAB200" ? "warning" : "error",
      fix: fixFor(what.code, name, known),
      name,
    });
  }
}

/** Where a missing name would be defined. */
const DEFINE: Readonly<Record<string, string>> = {
  LAB200: "labels:",
  LAB201: "groups:",
  LAB202: "servers:",
  LAB203: "secrets:",
  LAB204: "sizes:",
};

/** The closest known name if there is one, else where to define the name. */
function fixFor(code: string, name: string, known: ReadonlySet<string>): string {
  const [closest] = suggest(name, known, 1);
  if (closest !== undefined) return `replace "${name}" with "${closest}"`;
  const where = DEFINE[code];
  return where ? `define "${name}" under ${where}` : "use a check from the built-in catalog";
}

/** Selectors (group match/sources/exclude, alert target/exclude): groups, servers, sizes. */
function checkSelector(ctx: CheckContext, known: Known, selector: unknown, pointer: string): void {
  if (!isRecord(selector) || !ctx.ok(pointer)) return;
  checkNames(
    ctx,
    selector.groups,
    child(pointer, "groups"),
    { code: "LAB201", kind: "group" },
    known.groups,
  );
  checkNames(
    ctx,
    selector.servers,
    child(pointer, "servers"),
    { code: "LAB202", kind: "server" },
    known.servers,
  );
  checkNames(
    ctx,
    selector.size,
    child(pointer, "size"),
    { code: "LAB204", kind: "size" },
    known.sizes,
  );
}

function checkSelectors(ctx: CheckContext, known: Known): void {
  for (const [name, group] of entriesOf(ctx.repo.config.groups)) {
    const at = child("/groups", name);
    checkSelector(ctx, known, group, at);
    checkSelector(ctx, known, group.match, child(at, "match"));
    checkSelector(ctx, known, group.exclude, child(at, "exclude"));
  }
  const alerts = ctx.repo.config.alerts as unknown;
  if (!Array.isArray(alerts)) return;
  alerts.forEach((alert: unknown, i) => {
    if (!isRecord(alert)) return;
    checkSelector(ctx, known, alert.target, `/alerts/${i}/target`);
    checkSelector(ctx, known, alert.exclude, `/alerts/${i}/exclude`);
  });
}

function checkLabels(ctx: CheckContext, known: Known): void {
  for (const [name, label] of entriesOf(ctx.repo.config.labels)) {
    const at = child("/labels", name);
    checkNames(
      ctx,
      label.secrets,
      child(at, "secrets"),
      { code: "LAB203", kind: "secret" },
      known.secrets,
    );
    checkNames(ctx, label.size, child(at, "size"), { code: "LAB204", kind: "size" }, known.sizes);
    checkNames(
      ctx,
      label.alerts,
      child(at, "alerts"),
      { code: "LAB205", kind: "check" },
      known.checks,
    );
  }
}

function checkServers(ctx: CheckContext, known: Known): void {
  for (const [name, server] of entriesOf(ctx.repo.config.servers)) {
    const at = child("/servers", name);
    checkNames(
      ctx,
      server.labels,
      child(at, "labels"),
      { code: "LAB200", kind: "label" },
      known.labels,
    );
    checkNames(ctx, server.size, child(at, "size"), { code: "LAB204", kind: "size" }, known.sizes);
  }
}

/** `lab::secret('path')` in Puppet code must name a secret with metadata. */
function checkPuppetSecrets(ctx: CheckContext, known: Known): void {
  const classes = ctx.repo.puppet.classes;
  for (const className of Object.keys(classes).sort()) {
    for (const use of classes[className]?.secrets ?? []) {
      if (known.secrets.has(use.path)) continue;
      ctx.report(
        "LAB203",
        "",
        `class ${className} reads unknown secret "${use.path}"${didYouMean(use.path, known.secrets)}; add it under secrets: (known secrets: ${listNames(known.secrets) || "none"})`,
        { at: use.pos, fix: `add secrets: { ${use.path}: { type: static } }`, name: use.path },
      );
    }
  }
}

export function checkReferences(ctx: CheckContext): void {
  const known = knownNames(ctx);
  checkServers(ctx, known);
  checkLabels(ctx, known);
  checkSelectors(ctx, known);
  checkPuppetSecrets(ctx, known);
}
