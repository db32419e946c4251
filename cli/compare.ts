/** `lab render --all-providers`: the selection side by side on every provider, written nowhere. */
import type { Command } from "commander";
import { LabError, UsageError } from "../core/errors.js";
import type { ResolvedModel } from "../core/model.js";
import type { CompareTarget } from "../renderers/pulumi/compare.js";
import { loadModel, type CliContext } from "./context.js";
import { emit } from "./output.js";
import type { RenderOptions } from "./render.js";
import {
  describeFlags,
  hasSelector,
  selectedServers,
  type SelectorFlags,
} from "./selector-flags.js";

/** For `lab render --help`: what `--all-providers` compares and prints. */
export const COMPARE_HELP = `
Comparing providers (--all-providers; writes nothing):
  The selected servers, grouped by size: per provider the shape of each size with its count
  (2× t3.large (medium)), its monthly cost (count × price) and a total, and every Puppet class
  of the selection. Prices come from lab.prices, then the built-in list (AWS on-demand, USD);
  each is rounded to the cent and the total is the sum of the lines. An unknown value is "—"
  with the reason below the table (null with the reason in -o json).
  A single --label that no server carries is compared as one hypothetical server with the
  label's size and classes, and the output says so; any other selection that matches no
  server is an error (exit 1).
`;

/** What to compare when nothing was selected: a lone label no server carries, else an error. */
function emptySelection(model: ResolvedModel, opts: SelectorFlags): CompareTarget {
  const [only, ...more] = opts.label;
  const onlyLabel = only !== undefined && !more.length && !hasSelector({ ...opts, label: [] });
  const label = onlyLabel ? model.labels.find((l) => l.name === only) : undefined;
  if (label && label.servers.length === 0) return { hypotheticalLabel: label.name };
  throw new LabError(
    "NOT_FOUND",
    `no server matches the selection (${describeFlags(opts)}): nothing to compare`,
  );
}

/** `--all-providers`: the selected servers side by side on every provider (see COMPARE_HELP). */
export async function runComparison(
  ctx: CliContext,
  opts: RenderOptions,
  self: Command,
): Promise<void> {
  if (!hasSelector(opts)) {
    throw new UsageError(
      "--all-providers compares a selection: add e.g. --label mailserver or --group production-mail",
    );
  }
  const { model } = await loadModel(ctx, self);
  const selected = (await selectedServers(model, opts)) ?? new Set<string>();
  const target: CompareTarget = selected.size
    ? { servers: [...selected].sort() }
    : emptySelection(model, opts);
  const [{ compareProviders }, { formatComparison }] = await Promise.all([
    import("../renderers/pulumi/compare.js"),
    import("../renderers/pulumi/compare-text.js"),
  ]);
  const comparison = compareProviders(model, target);
  await emit(
    ctx,
    opts.output,
    () => comparison,
    () => formatComparison(comparison),
  );
}
