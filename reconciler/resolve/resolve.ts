/** Resolution: who gets what, with provenance (docs/targeting.md). Pure and synchronous. */
import { compareDiagnostics, type Diagnosed, type Diagnostic } from "../../core/diagnostics.js";
import { escapeToken } from "../../core/json-pointer.js";
import type {
  ExclusionRef,
  From,
  LoadedRepo,
  ResolvedAlertRef,
  ResolvedModel,
  ResolvedServer,
  Server,
} from "../../core/model.js";
import { sortedDeep } from "./canonical-spec.js";
import type { Selection } from "./evaluate.js";
import { resolveCatalog } from "./catalog.js";
import { labelInfo, type LabelInfo } from "./label-info.js";
import { autoChecks, itemsFor, type ItemContext } from "./server-items.js";
import { mergeAlerts, userAlertIndex, type UserAlertIndex } from "./user-alerts.js";
import { definedEntries } from "./sections.js";
import { resolveSettings } from "./settings.js";
import { configUniverse, resolveAlerts, resolveGroups } from "./targets.js";
import { uniqueStrings, type ServerFacts } from "./universe.js";

export function resolve(repo: LoadedRepo): Diagnosed<ResolvedModel> {
  const diagnostics: Diagnostic[] = [];
  const config = repo.config;
  const ctx = itemContext(repo);
  const specs = definedEntries(config.servers);
  const facts = specs.map(([name, spec]) => serverFacts(name, spec, ctx.labels));
  const cu = configUniverse(facts, config.groups ?? {});
  const groups = resolveGroups(repo, cu, diagnostics);
  const alerts = resolveAlerts(repo, cu.universe, diagnostics);
  const perServer = collectPerServer(facts.length, groups, alerts);
  const checks: ResolvedAlertRef[][] = [];
  const serverCtx = { ...ctx, users: userAlertIndex(alerts.alerts.map((a) => a.name)) };
  const servers = specs.map(([name, spec], rank) =>
    resolveServer(repo, serverCtx, { name, spec, facts: facts[rank]!, ...perServer(rank) }, checks),
  );
  return {
    value: {
      settings: resolveSettings(config.lab),
      servers,
      ...resolveCatalog(repo, servers, checks),
      groups: groups.groups,
      alerts: alerts.alerts,
    },
    diagnostics: diagnostics.sort(compareDiagnostics),
  };
}

function itemContext(repo: LoadedRepo): ItemContext {
  const secrets = { puppet: repo.puppet, secretMeta: repo.config.secrets ?? {} };
  const labels = new Map<string, LabelInfo>();
  for (const [name, spec] of definedEntries(repo.config.labels)) {
    labels.set(name, labelInfo(name, spec, secrets));
  }
  return { labels, auto: autoChecks(), items: new Map() };
}

interface FactsWithOrigin extends ServerFacts {
  sizeFrom: From | null;
}

function serverFacts(
  name: string,
  spec: Server,
  labels: ReadonlyMap<string, LabelInfo>,
): FactsWithOrigin {
  const own = uniqueStrings(spec.labels);
  let size: string | null = typeof spec.size === "string" ? spec.size : null;
  let sizeFrom: From | null = size === null ? null : { kind: "server", name };
  for (const label of own) {
    if (size !== null) break;
    const labelSize = labels.get(label)?.size ?? null;
    if (labelSize !== null) [size, sizeFrom] = [labelSize, { kind: "label", name: label }];
  }
  const text = (v: unknown) => (typeof v === "string" ? v : null);
  return {
    name,
    labels: own,
    environment: text(spec.environment),
    region: text(spec.region),
    provider: String(spec.provider),
    size,
    sizeFrom,
  };
}

interface PerServer {
  groups: string[];
  /** Indexes of the user alerts that select it, ascending, and what selected it for each. */
  user: number[];
  userFroms: (readonly From[])[];
  excludedFrom: ExclusionRef[];
}

/** Per server rank: the groups it is in, the user alerts that select it, its exclusions. */
function collectPerServer(
  count: number,
  groups: { groups: { name: string }[]; selections: Selection[] },
  alerts: { alerts: { name: string }[]; selections: Selection[] },
): (rank: number) => PerServer {
  const per: PerServer[] = [];
  for (let rank = 0; rank < count; rank++) {
    per.push({ groups: [], user: [], userFroms: [], excludedFrom: [] });
  }
  const exclusions = (kind: "group" | "alert", name: string, sel: Selection): void => {
    for (let j = 0; j < sel.excludedRanks.length; j++) {
      const why = sel.excluded[j]!.why;
      per[sel.excludedRanks[j]!]!.excludedFrom.push({ kind, name, why });
    }
  };
  alerts.selections.forEach((sel, i) => {
    for (let j = 0; j < sel.ranks.length; j++) {
      const server = per[sel.ranks[j]!]!;
      server.user.push(i);
      server.userFroms.push(sel.members[j]!.from);
    }
    exclusions("alert", alerts.alerts[i]!.name, sel);
  });
  groups.selections.forEach((sel, i) => {
    const name = groups.groups[i]!.name;
    for (const rank of sel.ranks) per[rank]!.groups.push(name);
    exclusions("group", name, sel);
  });
  return (rank) => per[rank]!;
}

interface ServerInput extends PerServer {
  name: string;
  spec: Server;
  facts: FactsWithOrigin;
}

/** The server, with its catalog checks also pushed onto `checksOut` (by rank). */
function resolveServer(
  repo: LoadedRepo,
  ctx: ItemContext & { users: UserAlertIndex },
  input: ServerInput,
  checksOut: ResolvedAlertRef[][],
): ResolvedServer {
  const { name, spec, facts } = input;
  const { classes, ports, secrets, checks } = itemsFor(facts.labels, facts.size, ctx);
  checksOut.push(checks);
  const alerts = mergeAlerts(checks, input.user, input.userFroms, ctx.users);
  return {
    name,
    provider: spec.provider,
    labels: [...facts.labels],
    environment: facts.environment,
    region: facts.region,
    size: facts.size,
    sizeFrom: facts.sizeFrom,
    address: typeof spec.address === "string" ? spec.address : name,
    groups: input.groups,
    classes,
    alerts,
    secrets,
    ports,
    excludedFrom: input.excludedFrom,
    spec: sortedDeep(spec),
    source: repo.sources.locate(`/servers/${escapeToken(name)}`),
  };
}
