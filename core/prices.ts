/**
 * The built-in price list (data in prices.json): monthly on-demand prices of common AWS instance
 * types, for the cost estimates of `lab render --all-providers`. A repo overrides or extends it
 * with `lab.prices` (model.settings.prices), per provider and key.
 */
import data from "./prices.json" with { type: "json" };

/** provider -> key -> monthly price in USD. */
export type PriceTable = Readonly<Record<string, Readonly<Record<string, number>>>>;

/** What the built-in numbers mean (region, currency, hours per month). */
export const PRICE_BASIS: string = data.basis;

export const BUILT_IN_PRICES: PriceTable = data.prices;

/**
 * The monthly price of `key` on `provider`: the repo's override first, then the built-in list;
 * null when neither knows it.
 */
export function monthlyPrice(provider: string, key: string, overrides: PriceTable): number | null {
  const own = overrides[provider];
  if (own && Object.hasOwn(own, key)) return own[key] ?? null;
  const builtIn = BUILT_IN_PRICES[provider];
  if (builtIn && Object.hasOwn(builtIn, key)) return builtIn[key] ?? null;
  return null;
}
