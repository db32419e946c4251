/** `lab render --all-providers`: the selection side by side on every provider, written nowhere. */
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { loadModel, type CliContext } from "./context.js";
import { emit } from "./output.js";
import type { RenderOptions } from "./render.js";
import { selectedServers } from "./selector-flags.js";

export /** `--all-providers`: the selected servers (or one label) side by side on every provider. */
async function runComparison(ctx: CliContext, opts: RenderOptions, self: Command): Promise<void> {
  const { model } = await loadModel(ctx, self);
  const onlyLabel =
    opts.label.length === 1 &&
    !opts.group.length &&
    !opts.environment.length &&
    !opts.region.length &&
    !opts.provider.length &&
    !opts.exclude.length;
  const selected = onlyLabel ? null : await selectedServers(model, opts);
  if (!onlyLabel && !selected) {
    throw new UsageError("--all-providers compares a selection: add e.g. --label mailserver");
  }
  const { compareProviders, formatComparison } = await import("../renderers/pulumi/compare.js");
  const comparison = compareProviders(
    model,
    onlyLabel ? { label: opts.label[0]! } : { servers: [...selected!].sort() },
  );
  await emit(
    ctx,
    opts.output,
    () => comparison,
    () => formatComparison(comparison),
  );
}
