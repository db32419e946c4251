/** `lab show KIND NAME` (alias `describe`): one resource as a tree, or as JSON/YAML. */
import { Command } from "commander";
import { loadModel, withDiagnostics, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { kindAliases, parseKind, type Kind } from "./kinds.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import { printFromServer, segment, serverUrl } from "./serve-client.js";

type Opts = { output: OutputFormat; state?: string };

const KINDS: readonly Kind[] = ["servers", "labels", "groups", "alerts", "secrets", "sizes"];

export function showCommand(ctx: CliContext): Command {
  return new Command("show")
    .alias("describe")
    .description("show one resource: what it gets or where it applies, and why")
    .argument("<kind>", `server, label, group, alert, secret or size (${kindAliases(KINDS)})`)
    .argument("<name>", "its name (a secret's path)")
    .addOption(outputOption(["text", "json", "yaml"]))
    .option("--state <path>", "the SQLite state store to read status from (docs/status.md)")
    .addHelpText(
      "after",
      examples(
        "lab show server worker-5",
        "lab describe label mailserver",
        "lab show group eu-infrastructure -o json",
        "lab show alert memory_pressure",
        "lab show secret mail/relay-credentials -o yaml",
      ),
    )
    .action(async (word: string, name: string, opts: Opts, self: Command) => {
      const kind = parseKind(word, KINDS, "show");
      const server = serverUrl(ctx);
      if (server)
        return printFromServer(ctx, server, `/api/v1/${kind}/${segment(name)}`, opts.output);
      if (kind === "secrets") {
        const { showSecret } = await import("./show-secret.js");
        return showSecret(ctx, self, name, opts.output);
      }
      const answer = await loadModel(ctx, self, { answerBroken: true });
      const { model } = answer;
      const { viewOf } = await import("./show-views.js");
      const { readShowStatus } = await import("./status-show.js");
      const status = await readShowStatus(ctx, answer, kind, name, opts);
      const view = viewOf(model, kind, name, status);
      await emit(
        ctx,
        opts.output,
        () => withDiagnostics(answer, view.json),
        () => view.text(ctx.out),
      );
    });
}
