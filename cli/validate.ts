/** `lab validate`: every root cause, one line each, and a summary. */
import { Command } from "commander";
import { formatDiagnostic, type Diagnostic } from "../core/diagnostics.js";
import { checkRepoAt, eprintln, type CliContext } from "./context.js";
import { diagnosticJson } from "./diagnostic-json.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import type { Style } from "./printers/color.js";

export { diagnosticJson };

interface ValidateOptions {
  output: OutputFormat;
  all?: boolean;
}

export function validateCommand(ctx: CliContext): Command {
  return new Command("validate")
    .description(
      "check the repo: YAML, schema, references, and what the renderers need; exit 1 on errors",
    )
    .addOption(outputOption(["text", "json"]))
    .option(
      "--all",
      "also list the diagnostics that follow from another (a file that did not load)",
    )
    .addHelpText(
      "after",
      "\nRoot causes come first. A diagnostic that only follows from a file that did not load (an\n" +
        "unknown size defined in the broken file) is counted, not listed, unless --all is given;\n" +
        "-o json always carries it, with followsFrom naming the root cause.\n" +
        examples(
          "lab validate",
          "lab --repo ~/infra validate -o json",
          "LAB_REPO=~/infra lab validate && git push",
        ),
    )
    .action(async (opts: ValidateOptions, cmd: Command) => {
      const checked = await checkRepoAt(ctx, cmd, { render: true });
      const { diagnostics } = checked;
      const shown = opts.all ? diagnostics : diagnostics.filter((d) => !d.followsFrom);
      await emit(
        ctx,
        opts.output,
        () => ({ diagnostics: diagnostics.map(diagnosticJson) }),
        () => shown.map((d) => colorDiagnostic(d, ctx.out) + "\n").join(""),
      );
      const files = checked.repo.files.length;
      eprintln(
        ctx,
        summary(
          diagnostics,
          files,
          checked.model?.servers.length ?? 0,
          opts.output === "text" && !opts.all,
        ),
      );
      ctx.exitCode = diagnostics.some((d) => d.severity === "error") ? 1 : 0;
    });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/**
 * `1 error (and 17 that follow from it)`, `2 errors, 1 warning`, or `ok: 12 files, 23 servers`.
 * With `hinted`, a note says how to list the ones that follow.
 */
export function summary(
  diagnostics: readonly Diagnostic[],
  files: number,
  servers: number,
  hinted = false,
): string {
  const roots = diagnostics.filter((d) => !d.followsFrom);
  const follow = diagnostics.length - roots.length;
  const errors = roots.filter((d) => d.severity === "error").length;
  const warnings = roots.length - errors;
  const parts = [
    errors ? plural(errors, "error") : "",
    warnings ? plural(warnings, "warning") : "",
  ];
  const counted = parts.filter(Boolean).join(", ");
  const tail = follow ? ` (and ${follow} that follow from ${errors === 1 ? "it" : "them"})` : "";
  const hint = hinted && follow ? `; lab validate --all lists them` : "";
  if (errors) return counted + tail + hint;
  const ok = `ok: ${plural(files, "file")}, ${plural(servers, "server")}`;
  return (warnings ? `${ok}, ${counted}` : ok) + tail + hint;
}

function colorDiagnostic(d: Diagnostic, style: Style): string {
  const line = formatDiagnostic(d);
  const after = d.followsFrom
    ? ` (follows from ${d.followsFrom.file}:${d.followsFrom.line}:${d.followsFrom.col})`
    : "";
  if (!style.enabled) return line + after;
  const tag = `${d.severity} ${d.code}`;
  const colored = d.severity === "error" ? style.red(tag) : style.yellow(tag);
  return line.replace(tag, colored) + after;
}
