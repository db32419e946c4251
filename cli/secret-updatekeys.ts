/** `lab secret updatekeys [FILE…]`: every SOPS file's data key for the recipients .sops.yaml names. */
import { relative, resolve as resolvePath, sep } from "node:path";
import { Command } from "commander";
import type { UpdateKeysResult } from "../adapters/secrets/sops/sops-updatekeys.js";
import { UsageError } from "../core/errors.js";
import { repoRoot, type CliContext } from "./context.js";
import { examples } from "./examples.js";
import { emit, outputOption, type OutputFormat } from "./output.js";

/** The file naming the recipients (creation-rules.ts's SOPS_CONFIG, not imported until used). */
const SOPS_CONFIG = ".sops.yaml";

function line(r: UpdateKeysResult): string {
  if (r.status === "no-rule")
    return `${r.file}: no creation rule in ${SOPS_CONFIG} matches it with age recipients; left as it is`;
  if (r.status === "unchanged") return `${r.file}: unchanged`;
  const parts = [...r.added.map((a) => `added ${a}`), ...r.removed.map((a) => `removed ${a}`)];
  return `${r.file}: ${parts.join(", ")}`;
}

export function secretUpdateKeysCommand(ctx: CliContext): Command {
  return new Command("updatekeys")
    .description("re-wrap the data key of SOPS files for the recipients .sops.yaml now names")
    .argument("[files...]", "SOPS files to update (default: every one under secrets/)")
    .addOption(outputOption(["text", "json"]))
    .addHelpText(
      "after",
      "\nValues and their ciphertext are untouched (as with sops updatekeys); each file's line says\n" +
        "which recipients were added and removed. You need a key that decrypts each file's data key.\n" +
        "A file no creation rule matches is left as it is, and the exit code is 1.\n" +
        examples("lab secret updatekeys", "lab secret updatekeys secrets/mail.sops.yaml -o json"),
    )
    .action(async (files: string[], opts: { output: OutputFormat }, cmd: Command) => {
      const root = repoRoot(ctx, cmd);
      const [{ loadCreationRules }, { listSopsFiles }, { updateKeys }, { repoBackend }] =
        await Promise.all([
          import("../adapters/secrets/sops/creation-rules.js"),
          import("../adapters/secrets/sops/secret-files.js"),
          import("../adapters/secrets/sops/sops-updatekeys.js"),
          import("./secret-common.js"),
        ]);
      const rules = await loadCreationRules(root);
      if (!rules) throw new UsageError(`the repo has no ${SOPS_CONFIG}; it names the recipients`);
      const base = ctx.io.cwd ?? process.cwd();
      const targets = files.length
        ? files.map((f) => relative(root, resolvePath(base, f)).split(sep).join("/"))
        : await listSopsFiles(root);
      const repo = repoBackend(ctx, cmd).repo;
      const results: UpdateKeysResult[] = [];
      for (const file of targets) results.push(await updateKeys(repo, file, rules));
      if (results.some((r) => r.status === "no-rule")) ctx.exitCode = 1;
      await emit(
        ctx,
        opts.output,
        () => ({ files: results }),
        () =>
          results.length ? results.map(line).join("\n") + "\n" : "no SOPS files under secrets/\n",
      );
    });
}
