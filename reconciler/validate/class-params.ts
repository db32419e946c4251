/**
 * Class parameters a label gives against the class's own parameter list, where the class is
 * defined under puppet/: a parameter the class does not have, a value that does not fit the
 * declared type, or a required parameter (one without a default) left out all fail the Puppet
 * run of every server that gets the label, so each is an error (LAB212), at the label.
 */
import type { PuppetClass } from "../../core/model.js";
import { formatPos } from "../load/yaml-file.js";
import { hintFor, suggest } from "../../core/suggest.js";
import { child, entriesOf, isRecord, type CheckContext } from "./check-context.js";
import { listNames } from "./describe.js";
import { describeValue, fits, parseType } from "./puppet-types.js";

/** `class name` → [params or null, the pointer of the class entry]. */
function givenClasses(puppetClasses: unknown): [string, Record<string, unknown> | null, string][] {
  if (Array.isArray(puppetClasses)) {
    return puppetClasses
      .map((c, i): [unknown, number] => [c, i])
      .filter((e): e is [string, number] => typeof e[0] === "string")
      .map(([name, i]) => [name, null, String(i)]);
  }
  if (!isRecord(puppetClasses)) return [];
  return Object.entries(puppetClasses).map(([name, params]) => [
    name,
    isRecord(params) ? params : null,
    name,
  ]);
}

function checkClass(
  ctx: CheckContext,
  at: string,
  name: string,
  given: Record<string, unknown> | null,
  def: PuppetClass,
): void {
  const params = def.params;
  if (params === null || params === undefined) return;
  const defined = `class ${name} (${formatPos(def.pos)})`;
  const known = params.map((p) => p.name);
  for (const [param, value] of Object.entries(given ?? {})) {
    const p = params.find((x) => x.name === param);
    const pAt = child(at, param);
    if (!ctx.ok(pAt)) continue;
    if (!p) {
      const close = suggest(param, known);
      const has = known.length ? `its parameters: ${listNames(known)}` : "it takes no parameters";
      ctx.report("LAB212", pAt, `${defined} has no parameter "${param}"${hintFor(close)}; ${has}`, {
        key: true,
        fix: close[0] ? `rename it to ${close[0]}` : `remove ${param}, or add it to the class`,
      });
      continue;
    }
    if (value === null) {
      if (!p.hasDefault) missing(ctx, pAt, defined, p.name, p.type);
      continue;
    }
    const type = p.type === null ? null : parseType(p.type);
    if (type && fits(type, value) === false) {
      ctx.report(
        "LAB212",
        pAt,
        `parameter ${param} of ${defined} expects ${p.type}, got ${describeValue(value)}`,
        { fix: `give ${param} a value of type ${p.type}` },
      );
    }
  }
  for (const p of params) {
    // A value given (or null, reported above) is not missing.
    if (!p.hasDefault && !(given && Object.hasOwn(given, p.name))) {
      missing(ctx, at, defined, p.name, p.type);
    }
  }
}

function missing(
  ctx: CheckContext,
  at: string,
  defined: string,
  param: string,
  type: string | null,
): void {
  ctx.report(
    "LAB212",
    at,
    `${defined} requires parameter ${param} (it has no default), and this label gives none`,
    {
      key: true,
      fix: `give it: { ${param}: <${type ?? "value"}> }, or a default in the class`,
    },
  );
}

export function checkClassParams(ctx: CheckContext): void {
  const classes = ctx.repo.puppet.classes;
  for (const [label, spec] of entriesOf(ctx.repo.config.labels)) {
    const at = child("/labels", label, "puppet_classes");
    if (!ctx.ok(at)) continue;
    for (const [name, given, key] of givenClasses(spec.puppet_classes)) {
      const bare = name.replace(/^::/, "");
      const def = Object.hasOwn(classes, bare) ? classes[bare] : undefined;
      if (def && ctx.ok(child(at, key))) checkClass(ctx, child(at, key), bare, given, def);
    }
  }
}
