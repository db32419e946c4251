/** `lab diff server NAME`: one server's slice of the plan, with its files' diffs. */
import { Command, Option } from "commander";
import { NotFoundError } from "../core/errors.js";
import { suggest } from "../core/suggest.js";
import type { CliContext } from "./context.js";
import { examples } from "./examples.js";
import { emit, outputOption } from "./output.js";
import { computePlan, type PlanOptions } from "./plan.js";

export function diffCommand(ctx: CliContext): Command {
  const server = new Command("server")
    .description("what a server gains (+), loses (-) and changes (~), and its files' diffs")
    .argument("<name>", "the server")
    .option("--base <ref>", "what to compare against: a checkout folder (default: what is applied)")
    .option("--head <ref>", "what to plan: a checkout folder (default: the repo)")
    .addOption(outputOption(["text", "json", "yaml"]))
    .addOption(new Option("--detailed-exitcode", "exit 2 when the server changes, 0 when not"))
    .addHelpText(
      "after",
      "\nThe server's slice of lab plan: its gains and losses, each with the config line that\n" +
        "makes it and the rule it comes from, its risks, and the diffs of its own files (ENC\n" +
        "node, Naemon host, Prometheus targets). A server that is in neither side is an error.\n" +
        examples("lab diff server db-1 --base ../infra-main", "lab diff server mail-1 -o json"),
    )
    .action(async (name: string, opts: PlanOptions, cmd: Command) => {
      const { plan, head } = await computePlan(ctx, opts, cmd);
      const { serverSlice, formatServerSlice } = await import("./printers/plan-server.js");
      const found = plan.servers.find((s) => s.name === name);
      const inHead = head.model.servers.find((s) => s.name === name);
      if (!found && !inHead) {
        const names = new Set([
          ...plan.servers.map((s) => s.name),
          ...head.model.servers.map((s) => s.name),
        ]);
        throw new NotFoundError("server", name, suggest(name, names));
      }
      // Without a base model only the files are compared: the server is shown as the head has it.
      const entry = found ?? {
        name,
        id: `server/${name}`,
        action: "none" as const,
        source: inHead!.source,
        changes: [],
      };
      const slice = serverSlice(plan, entry);
      await emit(
        ctx,
        opts.output,
        () => slice,
        () => formatServerSlice(slice, ctx.out),
      );
      const changes = entry.action !== "none" || slice.files.length > 0;
      if (opts.detailedExitcode && changes) ctx.exitCode = 2;
    });
  return new Command("diff").description("show what a change does to one item").addCommand(server);
}
