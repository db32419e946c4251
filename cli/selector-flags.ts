/**
 * The selector flags (`--label --group --environment --region --provider --size --server
 * --exclude`): on the command line every flag narrows, as kubectl's selectors do (see
 * docs/targeting.md). Values within one flag are any-of; different flags are all-of; `--group g`
 * means "member of g"; `--exclude` removes servers by name, last. The criteria are evaluated by
 * the same code as the repo's selectors; group membership is the resolved one.
 */
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
  size: string[];
  server: string[];
  exclude: string[];
}

const PROVIDERS: readonly string[] = defs.$defs.provider.enum;

/** A repeatable, comma-separated option's values, in the order given. */
export function collect(value: string, previous: string[]): string[] {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return [...previous, ...parts];
}

export function addSelectorFlags(cmd: Command): Command {
  const each = "(repeatable, comma-separated: any of them)";
  return cmd
    .option("-l, --label <names>", `servers carrying a label ${each}`, collect, [])
    .option("--group <names>", `members of a group ${each}`, collect, [])
    .option("--environment <names>", `servers in an environment ${each}`, collect, [])
    .option("--region <names>", `servers in a region ${each}`, collect, [])
    .option("--provider <names>", `servers of a provider ${each}`, collect, [])
    .option("--size <names>", `servers of a size ${each}`, collect, [])
    .option("--server <names>", `servers by name ${each}`, collect, [])
    .option(
      "--exclude <servers>",
      "leave these servers out (repeatable, comma-separated)",
      collect,
      [],
    );
}

export const SELECTOR_HELP = `
Selecting servers: every flag narrows (flags combine with AND, the values of one flag with OR):
  --label, --environment, --region, --provider, --size   servers that have one of the values
  --group                                                 members of one of the groups
  --server                                                one of the named servers
  --exclude                                               removes servers by name, last
  (In the repo, a selector's groups and servers add to what its criteria match instead.)
`;

/** The selector flags, in the order `--help` lists them. */
export const FLAGS = [
  "label",
  "group",
  "environment",
  "region",
  "provider",
  "size",
  "server",
  "exclude",
] as const satisfies readonly (keyof SelectorFlags)[];

export function hasSelector(f: SelectorFlags): boolean {
  return FLAGS.some((k) => f[k].length > 0);
}

/** The selector flags that were given, as they would be typed: `--label mailserver --exclude db-4`. */
export function describeFlags(f: SelectorFlags): string {
  return FLAGS.filter((k) => f[k].length > 0)
    .map((k) => `--${k} ${f[k].join(",")}`)
    .join(" ");
}

/** The names each flag may take: what the model defines or its servers use. */
function knownNames(model: ResolvedModel): Record<keyof SelectorFlags, Set<string>> {
  const envs = new Set(Object.keys(model.settings.environments));
  const regions = new Set<string>();
  const labels = new Set(model.labels.map((l) => l.name));
  const sizes = new Set(model.sizes.map((s) => s.name));
  for (const s of model.servers) {
    if (s.environment) envs.add(s.environment);
    if (s.region) regions.add(s.region);
    if (s.size) sizes.add(s.size);
    for (const l of s.labels) labels.add(l);
  }
  const servers = new Set(model.servers.map((s) => s.name));
  return {
    label: labels,
    group: new Set(model.groups.map((g) => g.name)),
    environment: envs,
    region: regions,
    provider: new Set(PROVIDERS),
    size: sizes,
    server: servers,
    exclude: servers,
  };
}

const KIND: Readonly<Record<keyof SelectorFlags, string>> = {
  label: "label",
  group: "group",
  environment: "environment",
  region: "region",
  provider: "provider",
  size: "size",
  server: "server",
  exclude: "server",
};

/** Every name a flag gives must exist; a miss is a NotFoundError with the closest names. */
function requireNames(model: ResolvedModel, f: SelectorFlags): void {
  const known = knownNames(model);
  for (const key of FLAGS) {
    for (const name of f[key]) requireKnown(KIND[key], name, known[key]);
  }
}

/** The criteria flags as one repo selector: all of them must match (empty: none given). */
export function criteriaFromFlags(f: SelectorFlags): Selector {
  const selector: Selector = {};
  if (f.label.length) selector.labels = f.label;
  if (f.environment.length) selector.environment = f.environment;
  if (f.region.length) selector.region = f.region;
  if (f.provider.length) selector.provider = f.provider as Provider[];
  if (f.size.length) selector.size = f.size;
  return selector;
}

function intersect(into: Set<string> | null, names: Iterable<string>): Set<string> {
  const keep = new Set(names);
  if (into === null) return keep;
  for (const name of into) if (!keep.has(name)) into.delete(name);
  return into;
}

/**
 * The names of the servers the flags select, or null when no selector flag was given
 * (everything). Every name must exist.
 */
export async function selectedServers(
  model: ResolvedModel,
  f: SelectorFlags,
): Promise<Set<string> | null> {
  if (!hasSelector(f)) return null;
  requireNames(model, f);
  let selected: Set<string> | null = null;
  const criteria = criteriaFromFlags(f);
  if (Object.keys(criteria).length > 0) {
    const { select } = await import("../reconciler/resolve/select.js");
    selected = intersect(
      selected,
      select(model, criteria).map((m) => m.name),
    );
  }
  if (f.group.length) {
    const wanted = new Set(f.group);
    const members = model.groups
      .filter((g) => wanted.has(g.name))
      .flatMap((g) => g.members.map((m) => m.name));
    selected = intersect(selected, members);
  }
  if (f.server.length) selected = intersect(selected, f.server);
  selected ??= new Set(model.servers.map((s) => s.name));
  for (const name of f.exclude) selected.delete(name);
  return selected;
}
