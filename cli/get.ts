/** `lab get KIND`: a table (or JSON/YAML list) of servers, labels, groups, alerts, sizes, secrets. */
import { Command } from "commander";
import { UsageError } from "../core/errors.js";
import { loadModel, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { kindAliases, parseKind, type Kind } from "./kinds.js";
import { outputOption, type OutputFormat } from "./output.js";
import {
  addSelectorFlags,
  SELECTOR_HELP,
  selectedServers,
  type SelectorFlags,
} from "./selector-flags.js";
import { printFromServer, selectorQuery, serverUrl } from "./serve-client.js";
import { addStatusFlags, usesStatusFlags, type StatusFlags } from "./status-flags.js";

type Opts = SelectorFlags & StatusFlags & { output: OutputFormat };

const KINDS: readonly Kind[] = ["servers", "labels", "groups", "alerts", "sizes", "secrets"];

export function getCommand(ctx: CliContext): Command {
  const cmd = new Command("get")
    .description("list resources: servers, labels, groups, alerts, sizes, secrets")
    .argument("<kind>", `what to list (${kindAliases(KINDS)})`)
    .addOption(outputOption(["table", "wide", "json", "yaml"]));
  return addStatusFlags(addSelectorFlags(cmd))
    .addHelpText(
      "after",
      SELECTOR_HELP +
        "  On kinds other than servers, the flags keep the items that touch a selected server.\n" +
        examples(
          "lab get servers",
          "lab get servers --label k8s-worker --environment prod --exclude worker-3",
          "lab get srv --group production -o wide",
          "lab get alerts --label mailserver",
          "lab get labels -o json",
          "lab get servers --status warn,failed",
          "lab get servers --health failed -w",
        ),
    )
    .action(async (word: string, opts: Opts, self: Command) => {
      const kind = parseKind(word, KINDS, "get");
      const server = serverUrl(ctx);
      if (kind === "servers") {
        const { getServers } = await import("./get-servers-status.js");
        return getServers(ctx, self, opts, server);
      }
      if (usesStatusFlags(opts))
        throw new UsageError("--status, --health and --watch work with get servers only");
      if (kind === "secrets") {
        const { getSecrets } = await import("./get-secrets.js");
        return getSecrets(ctx, self, opts, server);
      }
      if (server) {
        const none = `No ${kind} found.`;
        const query = selectorQuery(opts);
        return printFromServer(ctx, server, `/api/v1/${kind}`, opts.output, { query, none });
      }
      const answer = await loadModel(ctx, self, { answerBroken: true });
      const { model } = answer;
      const { listView, printList } = await import("./get-views.js");
      const view = listView(model, kind, await selectedServers(model, opts));
      await printList(ctx, answer, view, kind, opts.output);
    });
}
