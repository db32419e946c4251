/** `lab validate`: every diagnostic, one line each, and a summary. */
import { Command } from "commander";
import { formatDiagnostic, type Diagnostic } from "../core/diagnostics.js";
import { checkRepoAt, eprintln, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import type { Style } from "./printers/color.js";

export function validateCommand(ctx: CliContext): Command {
  return new Command("validate")
    .description(
      "check the repo: YAML, schema, references, and what the renderers need; exit 1 on errors",
    )
    .addOption(outputOption(["text", "json"]))
    .addHelpText(
      "after",
      examples(
        "lab validate",
        "lab --repo ~/infra validate -o json",
        "LAB_REPO=~/infra lab validate && git push",
      ),
    )
    .action(async (opts: { output: OutputFormat }, cmd: Command) => {
      const checked = await checkRepoAt(ctx, cmd, { render: true });
      const { diagnostics } = checked;
      await emit(
        ctx,
        opts.output,
        () => ({ diagnostics: diagnostics.map(diagnosticJson) }),
        () => diagnostics.map((d) => colorDiagnostic(d, ctx.out) + "\n").join(""),
      );
      const errors = diagnostics.filter((d) => d.severity === "error").length;
      const warnings = diagnostics.length - errors;
      eprintln(ctx, summary(errors, warnings, checked.repo.files.length, serverCount(checked)));
      ctx.exitCode = errors ? 1 : 0;
    });
}

function serverCount(checked: { model: { servers: unknown[] } | null }): number {
  return checked.model?.servers.length ?? 0;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function summary(errors: number, warnings: number, files: number, servers: number): string {
  if (errors) {
    return warnings
      ? `${plural(errors, "error")}, ${plural(warnings, "warning")}`
      : plural(errors, "error");
  }
  const ok = `ok: ${plural(files, "file")}, ${plural(servers, "server")}`;
  return warnings ? `${ok}, ${plural(warnings, "warning")}` : ok;
}

export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  const out: Record<string, unknown> = {
    file: d.file,
    line: d.line,
    col: d.col,
    severity: d.severity,
    code: d.code,
    pointer: d.pointer,
    message: d.message,
  };
  if (d.fix) out.fix = d.fix;
  if (d.related?.length) out.related = d.related;
  return out;
}

function colorDiagnostic(d: Diagnostic, style: Style): string {
  const line = formatDiagnostic(d);
  if (!style.enabled) return line;
  const tag = `${d.severity} ${d.code}`;
  const colored = d.severity === "error" ? style.red(tag) : style.yellow(tag);
  return line.replace(tag, colored);
}
