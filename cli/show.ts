/** `lab show KIND NAME` (alias `describe`): one resource as a tree, or as JSON/YAML. */
import { Command } from "commander";
import type { ResolvedModel } from "../core/model.js";
import { loadModel, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { kindAliases, parseKind, type Kind } from "./kinds.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import type { Style } from "./printers/color.js";
import { alertView } from "./show-alert.js";
import { findGroup, groupView } from "./show-group.js";
import { findLabel, labelView } from "./show-label.js";
import { findSecret, secretView } from "./show-secret.js";
import { findServer, serverJson, showServerText } from "./show-server.js";
import { findSize, sizeView } from "./show-size.js";

const KINDS: readonly Kind[] = ["servers", "labels", "groups", "alerts", "secrets", "sizes"];

interface View {
  json: unknown;
  text: (style: Style) => string;
}

function viewOf(model: ResolvedModel, kind: Kind, name: string): View {
  switch (kind) {
    case "servers": {
      const s = findServer(model, name);
      return { json: serverJson(s), text: (style) => showServerText(model, s, style) };
    }
    case "labels":
      return labelView(model, findLabel(model, name));
    case "groups":
      return groupView(model, findGroup(model, name));
    case "alerts":
      return alertView(model, name);
    case "secrets":
      return secretView(model, findSecret(model, name));
    case "sizes":
      return sizeView(model, findSize(model, name));
  }
}

export function showCommand(ctx: CliContext): Command {
  return new Command("show")
    .alias("describe")
    .description("show one resource: what it gets or where it applies, and why")
    .argument("<kind>", `server, label, group, alert, secret or size (${kindAliases(KINDS)})`)
    .argument("<name>", "its name (a secret's path)")
    .addOption(outputOption(["text", "json", "yaml"]))
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
    .action(async (word: string, name: string, opts: { output: OutputFormat }, self: Command) => {
      const kind = parseKind(word, KINDS, "show");
      const { model } = await loadModel(ctx, self);
      const view = viewOf(model, kind, name);
      emit(
        ctx,
        opts.output,
        () => view.json,
        () => view.text(ctx.out),
      );
    });
}
