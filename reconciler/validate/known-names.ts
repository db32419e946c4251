/**
 * Free-form names that select servers: environments, whose known set `lab.environments`
 * declares (or the default set when the repo declares none), and regions, which have none.
 * An environment outside its set changes what a server gets (its groups, alerts, Puppet
 * environment, Pulumi stack), so it is an error; a region that is likely a typo is a warning,
 * since it cannot be checked.
 */
import { DEFAULT_ENVIRONMENTS } from "../resolve/settings.js";
import { listNames } from "./describe.js";
import { suggest, hintFor } from "../../core/suggest.js";
import { child, entriesOf, isRecord, type CheckContext } from "./check-context.js";

type Key = "environment" | "region";

/** A name written somewhere; its pointer is built only when it is reported (fleet-sized lists). */
interface Use {
  name: string;
  at: () => string;
}

/** Every place a name of `key` is written: servers, group and alert selectors and excludes. */
function uses(key: Key, config: CheckContext["repo"]["config"]): Use[] {
  const out: Use[] = [];
  const add = (holder: unknown, base: () => string): void => {
    if (!isRecord(holder)) return;
    const value = holder[key];
    if (typeof value === "string") out.push({ name: value, at: () => child(base(), key) });
    else if (Array.isArray(value)) {
      value.forEach((v: unknown, i) => {
        if (typeof v === "string") out.push({ name: v, at: () => child(base(), key, i) });
      });
    }
  };
  for (const [name, server] of entriesOf(config.servers))
    add(server, () => child("/servers", name));
  for (const [name, group] of entriesOf(config.groups)) {
    add(group.match, () => child("/groups", name, "match"));
    add(group.exclude, () => child("/groups", name, "exclude"));
  }
  const alerts = config.alerts as unknown;
  if (Array.isArray(alerts)) {
    alerts.forEach((alert: unknown, i) => {
      if (!isRecord(alert)) return;
      add(alert.target, () => `/alerts/${i}/target`);
      add(alert.exclude, () => `/alerts/${i}/exclude`);
    });
  }
  return out;
}

/** The declared environments, or null when `lab.environments` is not a valid mapping. */
function declaredEnvironments(ctx: CheckContext): string[] | null {
  const lab = ctx.repo.config.lab as unknown;
  const envs = isRecord(lab) ? lab.environments : undefined;
  if (envs === undefined) return Object.keys(DEFAULT_ENVIRONMENTS);
  if (!isRecord(envs) || !ctx.ok("/lab/environments")) return null;
  const names = Object.keys(envs);
  return names.length > 0 ? names : Object.keys(DEFAULT_ENVIRONMENTS);
}

function checkEnvironments(ctx: CheckContext): void {
  const known = declaredEnvironments(ctx);
  if (known === null) return;
  const set = new Set(known);
  const declared = isRecord(ctx.repo.config.lab) && ctx.repo.config.lab.environments !== undefined;
  const from = declared ? "lab.environments declares" : "the default environments are";
  for (const use of uses("environment", ctx.repo.config)) {
    if (set.has(use.name)) continue;
    const [name, at] = [use.name, use.at()];
    if (!ctx.ok(at)) continue;
    const close = suggest(name, known);
    ctx.report(
      "LAB208",
      at,
      `unknown environment "${name}"${hintFor(close)}; ${from} ${listNames(known)}`,
      {
        name,
        fix: close[0]
          ? `replace "${name}" with "${close[0]}"`
          : `declare it under lab.environments (lab env -> Puppet env), e.g. ${name}: ${puppetName(name)}`,
      },
    );
  }
}

function puppetName(env: string): string {
  return env.toLowerCase().replace(/[^a-z0-9_]/g, "_");
}

/** The regions `lab.regions` maps for some provider (not a complete list: only those mapped). */
function mappedRegions(ctx: CheckContext): Set<string> {
  const lab = ctx.repo.config.lab as unknown;
  const regions = isRecord(lab) ? lab.regions : undefined;
  const names = new Set<string>();
  if (!isRecord(regions) || !ctx.ok("/lab/regions")) return names;
  for (const table of Object.values(regions)) {
    if (isRecord(table)) for (const name of Object.keys(table)) names.add(name);
  }
  return names;
}

/**
 * Regions have no declared list (`lab.regions` maps only the regions a provider needs named),
 * so a region cannot be checked. A region written in one place only, close to one that
 * `lab.regions` maps or that is written in several places, is most likely a typo: a warning.
 */
function checkRegions(ctx: CheckContext): void {
  const all = uses("region", ctx.repo.config);
  const lab = ctx.repo.config.lab as unknown;
  const regions = isRecord(lab) ? lab.regions : undefined;
  const awsMapped = isRecord(regions) && isRecord(regions.aws);
  // An aws server's region is checked against lab.regions.aws, where declared (provider-needs).
  const checkedElsewhere = (at: string): boolean => {
    const m = /^\/servers\/([^/]+)\/region$/.exec(at);
    if (!m || !awsMapped) return false;
    const server = (ctx.repo.config.servers as Record<string, unknown> | undefined)?.[m[1]!];
    return isRecord(server) && server.provider === "aws";
  };
  const count = new Map<string, number>();
  for (const { name } of all) count.set(name, (count.get(name) ?? 0) + 1);
  const mapped = mappedRegions(ctx);
  const confirmed = new Set([...mapped, ...[...count].filter(([, n]) => n > 1).map(([r]) => r)]);
  for (const use of all) {
    if (confirmed.has(use.name)) continue;
    const [name, at] = [use.name, use.at()];
    if (!ctx.ok(at) || checkedElsewhere(at)) continue;
    const close = suggest(name, confirmed);
    if (close.length === 0) continue;
    ctx.report(
      "LAB209",
      at,
      `region "${name}" is written only here${hintFor(close)}; regions have no declared list, so lab cannot check it`,
      { severity: "warning", fix: `replace "${name}" with "${close[0]!}" if it is a typo` },
    );
  }
}

export function checkKnownNames(ctx: CheckContext): void {
  checkEnvironments(ctx);
  checkRegions(ctx);
}
