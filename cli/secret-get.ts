/** `lab secret get PATH`: the one value, and nothing else, for scripts. */
import { Command } from "commander";
import { NotFoundError } from "../core/errors.js";
import { suggest } from "../core/suggest.js";
import type { CliContext } from "./context.js";
import { examples } from "./examples.js";

export function secretGetCommand(ctx: CliContext): Command {
  return new Command("get")
    .description("print one secret's value (decrypted with your age key), and nothing else")
    .argument("<path>", "the secret's path: its file under secrets/ and its key (mail/dkim-key)")
    .addHelpText(
      "after",
      "\nThe value is printed exactly as stored; a newline is added only when stdout is a terminal.\n" +
        "A structured value (a map or list under the key) is printed as JSON.\n" +
        examples(
          "lab secret get mail/relay-credentials",
          'PGPASSWORD="$(lab secret get postgres/master-password)" psql …',
          "SOPS_AGE_KEY_FILE=~/keys/lab.txt lab secret get app/session-key",
        ),
    )
    .action(async (path: string, _opts: unknown, cmd: Command) => {
      const { repoBackend } = await import("./secret-common.js");
      const backend = repoBackend(ctx, cmd);
      const value = await backend.get(path);
      if (!value) {
        const known = await backend.list().catch(() => []);
        throw new NotFoundError("secret value", path, suggest(path, known));
      }
      const text = value.reveal();
      ctx.io.stdout.write(ctx.io.stdout.isTTY && !text.endsWith("\n") ? `${text}\n` : text);
    });
}
