/** `lab explain server NAME group|alert NAME`: why a server is in or out, rule by rule. */
import { Command } from "commander";
import type { SourcePos } from "../core/diagnostics.js";
import { LabError } from "../core/errors.js";
import type { LoadedRepo, ResolvedModel } from "../core/model.js";
import type { Explanation, ExplanationStep } from "../reconciler/resolve/explain.js";
import { loadModel, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { parseKind, type Kind } from "./kinds.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import { printFromServer, segment, serverUrl } from "./serve-client.js";
import type { Style } from "./printers/color.js";
import { renderTree, type TreeNode } from "./printers/tree.js";

function at(pos: SourcePos): string {
  return `${pos.file}:${pos.line}:${pos.col}`;
}

const VERDICT: Readonly<Record<Explanation["verdict"], string>> = {
  member: "is a member of",
  excluded: "is excluded from",
  "not-selected": "is not selected by",
};

function stepNode(s: ExplanationStep, style: Style): TreeNode {
  const mark = s.matched
    ? s.role === "exclude"
      ? style.red("✗")
      : style.green("✓")
    : style.dim("·");
  return {
    text: `${mark} ${s.rule} — ${s.detail} (${at(s.pos)})`,
    children: s.steps.map((c) => stepNode(c, style)),
  };
}

export function explainText(e: Explanation, style: Style): string {
  const head = `server "${e.server}" ${VERDICT[e.verdict]} ${e.kind} "${e.name}" (${at(e.pos)})`;
  const legend = "✓ selects it   ✗ excludes it   · does not apply";
  const lines = [
    style.bold(head),
    ...renderTree(
      e.steps.map((s) => stepNode(s, style)),
      "  ",
    ),
  ];
  lines.push(style.dim(legend));
  return lines.join("\n") + "\n";
}

/** A built-in check has no target of its own: say where the server's copy comes from instead. */
function refuseCheck(model: ResolvedModel, name: string, server: string): void {
  if (model.alerts.some((a) => a.name === name)) return;
  if (!model.checks.some((c) => c.name === name)) return;
  throw new LabError(
    "NOT_FOUND",
    `alert "${name}" is a built-in check, which has no target rule to explain; ` +
      `"lab targets server ${server}" shows where each of the server's checks comes from`,
  );
}

/** Why `server` is in or out of the group or alert `target`; a name not found is a NotFoundError. */
export async function explanationOf(
  repo: LoadedRepo,
  model: ResolvedModel,
  server: string,
  kind: Kind,
  target: string,
): Promise<Explanation> {
  const targetKind = kind === "groups" ? "group" : "alert";
  const { findServer } = await import("./show-server.js");
  const { explain } = await import("../reconciler/resolve/explain.js");
  findServer(model, server);
  if (targetKind === "alert") refuseCheck(model, target, server);
  return explain(repo, model, server, targetKind, target);
}

export function explainCommand(ctx: CliContext): Command {
  return new Command("explain")
    .description("why a server is in or out of a group or an alert, naming each rule and its place")
    .argument("<kind>", "server")
    .argument("<name>", "the server's name")
    .argument("<target-kind>", "group or alert")
    .argument("<target>", "the group's or alert's name")
    .addOption(outputOption(["text", "json", "yaml"]))
    .addHelpText(
      "after",
      examples(
        "lab explain server worker-5 group eu-infrastructure",
        "lab explain server worker-5 alert memory_pressure",
        "lab explain server test-box-1 group eu-infrastructure -o json",
      ),
    )
    .action(
      async (
        word: string,
        server: string,
        targetWord: string,
        target: string,
        opts: { output: OutputFormat },
        self: Command,
      ) => {
        parseKind(word, ["servers"], "explain");
        const kind = parseKind(targetWord, ["groups", "alerts"], "explain server NAME");
        const url = serverUrl(ctx);
        if (url) {
          const path = `/api/v1/servers/${segment(server)}/explain/${kind}/${segment(target)}`;
          return printFromServer(ctx, url, path, opts.output);
        }
        const { repo, model } = await loadModel(ctx, self);
        const e = await explanationOf(repo, model, server, kind, target);
        await emit(
          ctx,
          opts.output,
          () => e,
          () => explainText(e, ctx.out),
        );
      },
    );
}
