/**
 * `lab secret audit`: secrets declared and never read, read and never set, metadata without a
 * value, a value without metadata, a value no server can read — each at file:line. Exit 1 when
 * something is wrong (an error; warnings alone exit 0). Never reads or prints a value.
 */
import { Command } from "commander";
import type { SecretAudit, SecretFinding } from "../reconciler/secrets/audit.js";
import { loadModel, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";
import type { Style } from "./printers/color.js";

/** `-o json`: a stable shape (docs/secrets.md, "Policy"). */
export function auditJson(audit: SecretAudit) {
  return {
    kind: "SecretAudit",
    problems: audit.findings.length,
    errors: audit.errors,
    warnings: audit.warnings,
    findings: audit.findings.map((f) => ({
      code: f.code,
      severity: f.severity,
      path: f.path,
      file: f.file,
      line: f.line,
      col: f.col,
      message: f.message,
      fix: f.fix,
    })),
  };
}

/** `secrets.yaml:4:3: error secret-unreferenced ci/runner-token is declared … (fix: …)`. */
export function findingLine(f: SecretFinding, style: Style): string {
  const severity = f.severity === "error" ? style.red("error") : style.yellow("warning");
  return `${f.file}:${f.line}:${f.col}: ${severity} ${f.code} ${f.message} (fix: ${f.fix})`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

export function auditText(audit: SecretAudit, style: Style): string {
  if (!audit.findings.length) return "no problems\n";
  const lines = audit.findings.map((f) => findingLine(f, style));
  lines.push(
    `${plural(audit.findings.length, "problem")} (${plural(audit.errors, "error")}, ${plural(audit.warnings, "warning")})`,
  );
  return lines.join("\n") + "\n";
}

export function secretAuditCommand(ctx: CliContext): Command {
  return new Command("audit")
    .description(
      "check secrets against their use: declared and never read, read and never set, values without metadata or reader",
    )
    .addOption(outputOption(["text", "json", "yaml"]))
    .addHelpText(
      "after",
      "\nValues are never decrypted: a value is a key in a SOPS file under secrets/.\n" +
        "A dynamic secret without a value is a warning (its generator makes it).\n" +
        "\nExit codes: 0 no errors (warnings allowed), 1 errors found or the repo has errors.\n" +
        examples("lab secret audit", "lab secret audit -o json"),
    )
    .action(async (opts: { output: OutputFormat }, self: Command) => {
      const answer = await loadModel(ctx, self, { answerBroken: true });
      const [{ auditSecrets }, { secretValueRefs }] = await Promise.all([
        import("../reconciler/secrets/audit.js"),
        import("./secret-facts.js"),
      ]);
      const values = await secretValueRefs(answer.root);
      const audit = auditSecrets({ model: answer.model, repo: answer.repo, values });
      await emit(
        ctx,
        opts.output,
        () => auditJson(audit),
        () => auditText(audit, ctx.out),
      );
      if (audit.errors > 0) ctx.exitCode = 1;
    });
}
