/** `lab targets server NAME`: the reverse query — everything that targets a server. */
import { Command } from "commander";
import { loadModel, withDiagnostics, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { parseKind } from "./kinds.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import { printFromServer, segment, serverUrl } from "./serve-client.js";

export function targetsCommand(ctx: CliContext): Command {
  return new Command("targets")
    .description("everything that targets a server: labels, groups, alerts, classes, secrets")
    .argument("<kind>", "server (the only kind so far)")
    .argument("<name>", "the server's name")
    .addOption(outputOption(["text", "json", "yaml"]))
    .addHelpText("after", examples("lab targets server db-1", "lab targets server db-1 -o json"))
    .action(async (word: string, name: string, opts: { output: OutputFormat }, self: Command) => {
      parseKind(word, ["servers"], "targets");
      const url = serverUrl(ctx);
      if (url)
        return printFromServer(ctx, url, `/api/v1/servers/${segment(name)}/targets`, opts.output);
      const answer = await loadModel(ctx, self, { answerBroken: true });
      const { model } = answer;
      const { findServer, serverJson, targetsText } = await import("./show-server.js");
      const server = findServer(model, name);
      await emit(
        ctx,
        opts.output,
        () => withDiagnostics(answer, serverJson(server)),
        () => targetsText(model, server, ctx.out),
      );
    });
}
