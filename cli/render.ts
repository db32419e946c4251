/** `lab render`: the command; what it does is in render-run.ts. */
import { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { RENDERER_NAMES, type RendererName } from "../core/renderer.js";
import { didYouMean } from "../core/suggest.js";
import { COMPARE_HELP } from "./compare.js";
import type { CliContext } from "./context.js";
import { examples } from "./examples.js";
import { outputOption, type OutputFormat } from "./output.js";
import { addSelectorFlags, collect, SELECTOR_HELP, type SelectorFlags } from "./selector-flags.js";

export interface RenderOptions extends SelectorFlags {
  out?: string;
  only: string[];
  dryRun?: boolean;
  allProviders?: boolean;
  output: OutputFormat;
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
        "\nWith selector flags, lab render previews the selection's files and writes nothing: the\n" +
        "rendered tree always holds the whole repo (lab enc, Prometheus and Naemon read it). With\n" +
        "--out DIR as well, the selection is written to DIR, which must not hold a full tree.\n" +
        COMPARE_HELP +
        "\nThe tree is replaced as a whole: built in a version folder beside it, then the symlink\n" +
        "<out> is swapped to it atomically. Files that do not change keep their bytes and times;\n" +
        "a run with no change writes nothing. Folders of renderers that did not run are kept.\n" +
        examples(
          "lab render",
          "lab render --only prometheus,naemon --out /etc/lab/rendered",
          "lab render --label mailserver",
          "lab render --label mailserver --out /tmp/mail-preview",
          "lab render --label mailserver --all-providers",
          "lab render -o json",
        ),
    )
    .action(async (opts: RenderOptions, self: Command) => {
      // The pipeline and the writer load on first use: `lab --help` and `lab enc` stay light.
      const { runRender } = await import("./render-run.js");
      await runRender(ctx, opts, self);
    });
}
