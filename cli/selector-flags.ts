/** `--label --group --environment --region --provider --exclude`: the CLI's way to build a Selector. */
import type { Command } from "commander";
import type { Provider, ResolvedModel, Selector } from "../core/model.js";
import defs from "../schemas/defs.schema.json" with { type: "json" };
import { requireKnown } from "./find.js";

export interface SelectorFlags {
  label: string[];
  group: string[];
  environment: string[];
  region: string[];
  provider: string[];
  exclude: string[];
}

const PROVIDERS: readonly string[] = defs.$defs.provider.enum;

function collect(value: string, previous: string[]): string[] {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...previous, ...parts];
}

export function addSelectorFlags(cmd: Command): Command {
  const each = "(repeatable, comma-separated; any of them)";
  return cmd
    .option("-l, --label <names>", `servers carrying a label ${each}`, collect, [])
    .option("--group <names>", `members of a group ${each}`, collect, [])
    .option("--environment <names>", `servers in an environment ${each}`, collect, [])
    .option("--region <names>", `servers in a region ${each}`, collect, [])
    .option("--provider <names>", `servers of a provider ${each}`, collect, [])
    .option(
      "--exclude <servers>",
      "leave these servers out (repeatable, comma-separated)",
      collect,
      [],
    );
}

export const SELECTOR_HELP = `
Selecting servers (the targeting rules of groups and alerts):
  --label, --environment, --region, --provider  all must match (a list means any of it)
  --group                                       adds the group's members
  --exclude                                     removes servers by name, last
`;

export function hasSelector(f: SelectorFlags): boolean {
  return [f.label, f.group, f.environment, f.region, f.provider, f.exclude].some((v) => v.length);
}

function knownNames(model: ResolvedModel): Record<string, Set<string>> {
  const envs = new Set(Object.keys(model.settings.environments));
  const regions = new Set<string>();
  const labels = new Set(model.labels.map((l) => l.name));
  for (const s of model.servers) {
    if (s.environment) envs.add(s.environment);
    if (s.region) regions.add(s.region);
    for (const l of s.labels) labels.add(l);
  }
  return {
    label: labels,
    group: new Set(model.groups.map((g) => g.name)),
    environment: envs,
    region: regions,
    provider: new Set(PROVIDERS),
    server: new Set(model.servers.map((s) => s.name)),
  };
}

/** The Selector the flags describe; every name must exist (a miss suggests close ones). */
export function selectorFromFlags(model: ResolvedModel, f: SelectorFlags): Selector {
  const known = knownNames(model);
  const check = (kind: string, names: readonly string[], set: Set<string> | undefined): void => {
    for (const n of names) requireKnown(kind, n, set ?? []);
  };
  check("label", f.label, known.label);
  check("group", f.group, known.group);
  check("environment", f.environment, known.environment);
  check("region", f.region, known.region);
  check("provider", f.provider, known.provider);
  check("server", f.exclude, known.server);
  const selector: Selector = {};
  if (f.label.length) selector.labels = f.label;
  if (f.environment.length) selector.environment = f.environment;
  if (f.region.length) selector.region = f.region;
  if (f.provider.length) selector.provider = f.provider as Provider[];
  if (f.group.length) selector.groups = f.group;
  const onlyExclude = !f.label.length && !f.environment.length && !f.region.length;
  if (onlyExclude && !f.provider.length && !f.group.length) {
    selector.servers = model.servers.map((s) => s.name);
  }
  if (f.exclude.length) selector.exclude = { servers: f.exclude };
  return selector;
}

/** The names of the selected servers, or null when no selector flag was given (everything). */
export async function selectedServers(
  model: ResolvedModel,
  f: SelectorFlags,
): Promise<Set<string> | null> {
  if (!hasSelector(f)) return null;
  const selector = selectorFromFlags(model, f);
  const { select } = await import("../reconciler/resolve/select.js");
  return new Set(select(model, selector).map((m) => m.name));
}
