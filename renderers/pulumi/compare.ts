/**
 * The all-providers comparison behind `lab render --all-providers`: what the selected servers
 * would be on every provider. Pure; compare-text.ts prints it as a table.
 *
 * One code path for any selection: the servers are grouped by size, and every provider gets, per
 * size, the shape it would build and the monthly cost (count × price), and a total. Where a value
 * is unknown it is null with the reason. A label no server carries can be compared as one
 * hypothetical server with the label's size and classes.
 *
 * Costs come from the repo's `lab.prices` (model.settings.prices), then the built-in list in
 * core/prices.json (USD per month); aws prices are keyed by instance type (or size name), other
 * providers' by size name. Each price is rounded to the cent, a line is count × that price and
 * the total is the sum of the lines, so the total is exactly the sum of what is printed.
 */
import { NotFoundError } from "../../core/errors.js";
import type { Provider, ResolvedModel, ResolvedSize } from "../../core/model.js";
import { PROVIDER_INFO, PROVIDER_NAMES } from "../../core/provider.js";
import { monthlyPrice, PRICE_BASIS } from "../../core/prices.js";
import type { PriceTable } from "../../core/prices.js";
import { suggest } from "../../core/suggest.js";
import { compareSizes, shapeOn } from "./compare-shapes.js";
import type { Shape } from "./compare-shapes.js";

export type { Shape } from "./compare-shapes.js";

/** Every provider kind, in the registry's order (core/provider.ts). */
export const COMPARED_PROVIDERS: readonly Provider[] = PROVIDER_NAMES;

export const PROVIDER_TITLES: Readonly<Record<Provider, string>> = Object.fromEntries(
  PROVIDER_NAMES.map((p) => [p, PROVIDER_INFO[p].title]),
) as Record<Provider, string>;

/** The selected servers, or one hypothetical server carrying a label. */
export type CompareTarget = { servers: readonly string[] } | { hypotheticalLabel: string };

export interface ComparedServer {
  name: string;
  provider: Provider;
  size: string | null;
}

/** The servers of one size (null: no size), sorted. */
export interface SizeCount {
  size: string | null;
  count: number;
  servers: string[];
}

export interface ComputeLine {
  size: string | null;
  count: number;
  shape: Shape | null;
  /** Why the shape is unknown; null when it is known. */
  reason: string | null;
}

export interface CostLine {
  size: string | null;
  count: number;
  /** USD per month for one server, rounded to the cent. */
  monthlyEach: number | null;
  /** count × monthlyEach. */
  monthly: number | null;
  reason: string | null;
}

export interface ProviderColumn {
  compute: ComputeLine[];
  cost: {
    lines: CostLine[];
    /** The sum of the lines' `monthly`; null when any of them is unknown. */
    total: number | null;
    reason: string | null;
  };
}

export interface ProviderComparison {
  /** Set when one hypothetical server carrying a label is compared (then `servers` is empty). */
  hypothetical: { label: string; reason: string } | null;
  servers: ComparedServer[];
  sizes: SizeCount[];
  /** Every Puppet class of the selection: in server order (by name), each server's in order. */
  classes: string[];
  providers: Record<Provider, ProviderColumn>;
  costBasis: { currency: "USD"; period: "month"; prices: string; rounding: string };
}

export const COST_ROUNDING =
  "each price is rounded to the cent, a line is count × that price, and the total is the sum of the lines";

/** What is compared: the sizes with their servers, the classes, and why a size is missing. */
interface Selection {
  hypothetical: ProviderComparison["hypothetical"];
  servers: ComparedServer[];
  sizes: SizeCount[];
  classes: string[];
  noSize: string;
}

function hypothetical(model: ResolvedModel, name: string): Selection {
  const label = model.labels.find((l) => l.name === name);
  if (!label) {
    const names = model.labels.map((l) => l.name);
    throw new NotFoundError("label", name, suggest(name, names));
  }
  const size = label.spec.size ?? null;
  const carried = label.servers.length ? "" : `no server carries label "${name}"; `;
  const what = size === null ? "classes (it sets no size)" : `size (${size}) and classes`;
  return {
    hypothetical: {
      label: name,
      reason: `${carried}compared as one hypothetical server with the label's ${what}`,
    },
    servers: [],
    sizes: [{ size, count: 1, servers: [] }],
    classes: label.classes.map((c) => c.name),
    noSize: `label "${name}" sets no size`,
  };
}

function selected(model: ResolvedModel, names: readonly string[]): Selection {
  const byName = new Map(model.servers.map((s) => [s.name, s]));
  const sorted = [...new Set(names)].sort();
  const bySize = new Map<string | null, string[]>();
  const classes = new Set<string>();
  const servers = sorted.map((name) => {
    const server = byName.get(name);
    if (!server) throw new NotFoundError("server", name, suggest(name, byName.keys()));
    const same = bySize.get(server.size);
    if (same) same.push(name);
    else bySize.set(server.size, [name]);
    for (const c of server.classes) classes.add(c.name);
    return { name, provider: server.provider, size: server.size };
  });
  const sizes = [...bySize.entries()]
    .map(([size, list]) => ({ size, count: list.length, servers: list }))
    .sort((a, b) => compareSizes(a.size, b.size));
  return {
    hypothetical: null,
    servers,
    sizes,
    classes: [...classes],
    noSize: "no size: neither the server nor its labels set one",
  };
}

interface Priced {
  price: number | null;
  reason: string | null;
}

function priceOf(provider: Provider, size: ResolvedSize, shape: Shape, prices: PriceTable): Priced {
  if (shape.kind === "aws") {
    const own = monthlyPrice("aws", shape.instanceType, prices);
    const price = own ?? monthlyPrice("aws", size.name, prices);
    const reason = `no price for ${shape.instanceType}: add it under lab.prices.aws`;
    return price === null ? { price, reason } : { price, reason: null };
  }
  const price = monthlyPrice(provider, size.name, prices);
  const reason = `no price for size "${size.name}" on ${provider}: add lab.prices.${provider}.${size.name}`;
  return price === null ? { price, reason } : { price, reason: null };
}

function column(
  provider: Provider,
  selection: Selection,
  sizes: ReadonlyMap<string, ResolvedSize>,
  prices: PriceTable,
): ProviderColumn {
  const compute: ComputeLine[] = [];
  const lines: CostLine[] = [];
  /** Each line's amount in cents, so the total is their exact sum. */
  const amounts: (number | null)[] = [];
  for (const { size: name, count } of selection.sizes) {
    const size = name === null ? undefined : sizes.get(name);
    const on = size ? shapeOn(provider, size) : { shape: null, reason: selection.noSize };
    compute.push({ size: name, count, shape: on.shape, reason: on.reason });
    const priced: Priced =
      size && on.shape
        ? priceOf(provider, size, on.shape, prices)
        : { price: null, reason: on.reason };
    const cents = priced.price === null ? null : Math.round(priced.price * 100);
    amounts.push(cents === null ? null : cents * count);
    lines.push({
      size: name,
      count,
      monthlyEach: cents === null ? null : cents / 100,
      monthly: cents === null ? null : (cents * count) / 100,
      reason: priced.reason,
    });
  }
  return { compute, cost: { lines, ...total(lines, amounts) } };
}

function total(
  lines: readonly CostLine[],
  amounts: readonly (number | null)[],
): { total: number | null; reason: string | null } {
  const unpriced = lines.filter((l) => l.monthly === null).reduce((n, l) => n + l.count, 0);
  if (unpriced > 0) {
    const all = lines.reduce((n, l) => n + l.count, 0);
    return {
      total: null,
      reason: `no price for ${unpriced} of ${all} server${all === 1 ? "" : "s"}`,
    };
  }
  return { total: amounts.reduce<number>((sum, a) => sum + (a ?? 0), 0) / 100, reason: null };
}

/**
 * Compute, Puppet classes and cost on every provider for the selected servers, or for one
 * hypothetical server carrying a label. An unknown server or label is a NotFoundError carrying
 * close matches (the CLI turns it into a message).
 */
export function compareProviders(model: ResolvedModel, target: CompareTarget): ProviderComparison {
  const selection =
    "hypotheticalLabel" in target
      ? hypothetical(model, target.hypotheticalLabel)
      : selected(model, target.servers);
  const sizes = new Map(model.sizes.map((s) => [s.name, s]));
  const providers = {} as Record<Provider, ProviderColumn>;
  for (const p of COMPARED_PROVIDERS) {
    providers[p] = column(p, selection, sizes, model.settings.prices);
  }
  return {
    hypothetical: selection.hypothetical,
    servers: selection.servers,
    sizes: selection.sizes,
    classes: selection.classes,
    providers,
    costBasis: {
      currency: "USD",
      period: "month",
      prices: `lab.prices, then the built-in list (${PRICE_BASIS})`,
      rounding: COST_ROUNDING,
    },
  };
}
