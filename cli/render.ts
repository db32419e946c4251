/** `lab render`: render the repo (or the selected servers) into a tree of files, atomically. */
import { join, resolve as resolvePath } from "node:path";
import { Command } from "commander";
import { formatDiagnostic } from "../core/diagnostics.js";
import { LabError, UsageError } from "../core/errors.js";
import { RENDERER_NAMES, type RendererName } from "../core/renderer.js";
import { didYouMean } from "../core/suggest.js";
import { eprintln, loadModel, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import type { Style } from "./printers/color.js";
import type { TreeDiff } from "./render-tree.js";
import {
  addSelectorFlags,
  SELECTOR_HELP,
  selectedServers,
  type SelectorFlags,
} from "./selector-flags.js";

export interface RenderOptions extends SelectorFlags {
  out?: string;
  only: string[];
  dryRun?: boolean;
  allProviders?: boolean;
  output: OutputFormat;
}

function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** The renderers `--only` names, in registry order; all of them without `--only`. */
export function parseOnly(only: readonly string[]): RendererName[] {
  const known: readonly string[] = RENDERER_NAMES;
  for (const name of only) {
    if (!known.includes(name)) {
      throw new UsageError(
        `unknown renderer "${name}"${didYouMean(name, known)} (renderers: ${known.join(", ")})`,
      );
    }
  }
  return RENDERER_NAMES.filter((n) => !only.length || only.includes(n));
}

export function summaryText(
  out: string,
  names: readonly string[],
  diff: TreeDiff,
  style: Style,
): string {
  const head = `rendered ${names.join(", ")} into ${out}`;
  const total = diff.added.length + diff.changed.length + diff.unchanged.length;
  if (!diff.added.length && !diff.changed.length && !diff.removed.length) {
    return `${head}: no changes (${total} files)\n`;
  }
  const counts = `${diff.added.length} added, ${diff.changed.length} changed, ${diff.removed.length} removed, ${diff.unchanged.length} unchanged`;
  const lines = [
    `${head}: ${counts}`,
    ...diff.added.map((p) => style.green(`  + ${p}`)),
    ...diff.changed.map((p) => style.yellow(`  ~ ${p}`)),
    ...diff.removed.map((p) => style.red(`  - ${p}`)),
  ];
  return lines.join("\n") + "\n";
}

async function runRender(ctx: CliContext, opts: RenderOptions, self: Command): Promise<void> {
  if (opts.allProviders) {
    const { runComparison } = await import("./compare.js");
    return runComparison(ctx, opts, self);
  }
  const names = parseOnly(opts.only);
  const { root, model } = await loadModel(ctx, self);
  const selected = await selectedServers(model, opts);
  const { restrictModel } = await import("./restrict-model.js");
  const scoped = selected ? restrictModel(model, selected) : model;
  const { renderAll } = await import("../reconciler/render.js");
  const { value: artifacts, diagnostics } = renderAll(scoped, names);
  for (const d of diagnostics) eprintln(ctx, formatDiagnostic(d));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  if (errors) {
    throw new LabError(
      "INVALID_REPO",
      `rendering found ${errors} error${errors === 1 ? "" : "s"}; nothing was written`,
    );
  }
  const out = opts.out
    ? resolvePath(ctx.io.cwd ?? process.cwd(), opts.out)
    : join(root, ".lab", "rendered");
  const { diffTree, writeTree } = await import("./render-tree.js");
  const owned = (path: string) => (names as readonly string[]).includes(path.split("/")[0] ?? "");
  const files = artifacts.map((a) => ({ path: a.path, content: a.content }));
  const diff = await diffTree(out, files, owned);
  const changes = diff.added.length + diff.changed.length + diff.removed.length;
  const write = changes > 0 && !opts.dryRun;
  if (write) await writeTree(out, files, diff, owned);
  await emit(
    ctx,
    opts.output,
    () => ({
      out,
      renderers: names,
      servers: scoped.servers.length,
      written: write,
      ...diff,
      unchanged: diff.unchanged.length,
    }),
    () =>
      summaryText(out, names, diff, ctx.out) +
      (opts.dryRun && changes ? "(dry run: nothing was written)\n" : ""),
  );
}

export function renderCommand(ctx: CliContext): Command {
  const cmd = new Command("render")
    .description("render Prometheus rules, Naemon config, ENC data and Pulumi stacks into a folder")
    .option("--out <dir>", "where the tree goes (default: <repo>/.lab/rendered)")
    .option(
      "--only <renderers>",
      `only these (${RENDERER_NAMES.join(", ")}; repeatable, comma-separated)`,
      collect,
      [],
    )
    .option("--dry-run", "show what would change; write nothing")
    .option(
      "--all-providers",
      "compare the selection on every provider (compute, puppet classes, monthly cost); writes nothing",
    )
    .addOption(outputOption(["text", "json"]));
  return addSelectorFlags(cmd)
    .addHelpText(
      "after",
      SELECTOR_HELP +
        "  With selector flags only the selected servers are rendered.\n" +
        "\nThe tree is replaced as a whole: built in a version folder beside it, then the symlink\n" +
        "<out> is swapped to it atomically. Files that do not change keep their bytes and times.\n" +
        "Folders of renderers that did not run are kept.\n" +
        examples(
          "lab render",
          "lab render --only prometheus,naemon --out /etc/lab/rendered",
          "lab render --label mailserver --dry-run",
          "lab render --label mailserver --all-providers",
          "lab render -o json",
        ),
    )
    .action((opts: RenderOptions, self: Command) => runRender(ctx, opts, self));
}
