/**
 * The all-providers comparison behind `lab render --label mailserver --all-providers`: what the
 * same machines would be on every provider. Pure.
 *
 * A label is compared as one server carrying it (the label's size and classes); a list of servers
 * as those servers (each its own size; classes of all; the cost is their total).
 * Costs come from the repo's `lab.prices` (model.settings.prices), then the built-in list in
 * core/prices.json; aws prices are keyed by instance type (or size name), other providers' by
 * size name. "—" wherever a value is unknown.
 */
import { NotFoundError } from "../../core/errors.js";
import type { Provider, ResolvedModel, Size } from "../../core/model.js";
import { monthlyPrice } from "../../core/prices.js";
import type { PriceTable } from "../../core/prices.js";
import { suggest } from "../../core/suggest.js";
import { formatBoxTable } from "./box-table.js";
import { awsShape, describeCoresMemory, minimumShape, xcpngShape } from "./size-shapes.js";

export const COMPARED_PROVIDERS = ["aws", "xcpng", "baremetal", "ssh"] as const;

export const PROVIDER_TITLES: Readonly<Record<Provider, string>> = {
  aws: "AWS",
  xcpng: "XCP-ng",
  baremetal: "Bare Metal",
  ssh: "SSH",
};

export const UNKNOWN = "—";

export type CompareTarget = { label: string } | { servers: readonly string[] };

export interface ComparisonRow {
  title: "Compute" | "Puppet" | "Est. Cost";
  cells: Record<Provider, string>;
}

export interface ProviderComparison {
  /** The servers compared (sorted); empty when a label is compared as one server carrying it. */
  servers: string[];
  rows: ComparisonRow[];
}

/** One machine to compare: its size (name and spec, when known) and its classes. */
interface Unit {
  size: { name: string; spec: Size } | null;
  classes: string[];
}

function compute(provider: Provider, size: Size): string {
  if (provider === "aws") return awsShape(size)?.instance_type ?? UNKNOWN;
  if (provider === "xcpng") {
    const x = xcpngShape(size);
    return x ? describeCoresMemory(x.cores, x.memory_mb) || UNKNOWN : UNKNOWN;
  }
  const min = minimumShape(size, provider);
  if (!min) return UNKNOWN;
  const shape = describeCoresMemory(min.min_cores, min.min_memory_mb);
  const atLeast = shape ? `≥${shape}` : "";
  if (provider === "baremetal") return atLeast ? `IPMI boot ${atLeast}` : "IPMI boot";
  return atLeast || "existing host";
}

function price(
  provider: Provider,
  size: { name: string; spec: Size },
  prices: PriceTable,
): number | null {
  if (provider === "aws") {
    const type = awsShape(size.spec)?.instance_type;
    if (type === undefined) return null;
    return monthlyPrice("aws", type, prices) ?? monthlyPrice("aws", size.name, prices);
  }
  return monthlyPrice(provider, size.name, prices);
}

function costCell(provider: Provider, units: readonly Unit[], prices: PriceTable): string {
  if (!units.length) return UNKNOWN;
  let total = 0;
  for (const u of units) {
    const p = u.size ? price(provider, u.size, prices) : null;
    if (p === null) return UNKNOWN;
    total += p;
  }
  const cost = `~$${Math.round(total)}/mo`;
  return units.length > 1 ? `${cost} (${units.length} servers)` : cost;
}

function computeCell(provider: Provider, units: readonly Unit[]): string {
  const values = units.map((u) => (u.size ? compute(provider, u.size.spec) : UNKNOWN));
  return [...new Set(values)].join(", ") || UNKNOWN;
}

/** `postfix,...` for several classes, the class itself for one, "—" for none. */
export function abbreviateClasses(classes: readonly string[]): string {
  const first = classes[0];
  if (first === undefined) return UNKNOWN;
  return classes.length > 1 ? `${first},...` : first;
}

function row(title: ComparisonRow["title"], cell: (p: Provider) => string): ComparisonRow {
  const cells = {} as Record<Provider, string>;
  for (const p of COMPARED_PROVIDERS) cells[p] = cell(p);
  return { title, cells };
}

function sizeNamed(model: ResolvedModel, name: string | null | undefined): Unit["size"] {
  const size = name ? model.sizes.find((s) => s.name === name) : undefined;
  return size ? { name: size.name, spec: size.spec } : null;
}

function unitsOf(
  model: ResolvedModel,
  target: CompareTarget,
): { servers: string[]; units: Unit[] } {
  if ("label" in target) {
    const label = model.labels.find((l) => l.name === target.label);
    if (!label) {
      const names = model.labels.map((l) => l.name);
      throw new NotFoundError("label", target.label, suggest(target.label, names));
    }
    const classes = label.classes.map((c) => c.name);
    return { servers: [], units: [{ size: sizeNamed(model, label.spec.size), classes }] };
  }
  const byName = new Map(model.servers.map((s) => [s.name, s]));
  const names = [...new Set(target.servers)].sort();
  const units = names.map((name) => {
    const server = byName.get(name);
    if (!server) throw new NotFoundError("server", name, suggest(name, byName.keys()));
    return { size: sizeNamed(model, server.size), classes: server.classes.map((c) => c.name) };
  });
  return { servers: names, units };
}

/**
 * Compute, Puppet and Est. Cost on every provider for a label or a list of servers. An unknown
 * label or server is a NotFoundError carrying close matches (the CLI turns it into a message).
 */
export function compareProviders(model: ResolvedModel, target: CompareTarget): ProviderComparison {
  const { servers, units } = unitsOf(model, target);
  const classes = [...new Set(units.flatMap((u) => u.classes))];
  const prices = model.settings.prices;
  return {
    servers,
    rows: [
      row("Compute", (p) => computeCell(p, units)),
      row("Puppet", () => abbreviateClasses(classes)),
      row("Est. Cost", (p) => costCell(p, units, prices)),
    ],
  };
}

/** The comparison as a box-drawing table, one column per provider. */
export function formatComparison(comparison: ProviderComparison): string {
  const header = ["", ...COMPARED_PROVIDERS.map((p) => PROVIDER_TITLES[p])];
  const rows = comparison.rows.map((r) => [r.title, ...COMPARED_PROVIDERS.map((p) => r.cells[p])]);
  return formatBoxTable(header, rows);
}
