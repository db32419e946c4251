/** `lab secret set PATH` and `lab secret rotate PATH`: a new value, never from an argument. */
import { Command } from "commander";
import { LabError } from "../core/errors.js";
import { eprintln, type CliContext } from "./context.js";
import { examples } from "./examples.js";

const VALUE_HELP =
  "\nThe value is typed at a prompt that does not echo it (stdin a terminal), or read from stdin;\n" +
  "never from an argument, which would be in the shell's history and the process list. A one-line\n" +
  "value loses its final newline; a value of several lines (a PEM key) is kept as it is.\n" +
  "The file secrets/<dir>.sops.yaml is created when missing, for the recipients of the first\n" +
  "creation rule in .sops.yaml that matches it; in an existing file only that value's line changes\n" +
  "(and sops's mac and lastmodified).\n";

export function secretSetCommand(ctx: CliContext): Command {
  return new Command("set")
    .description("set a secret's value in its SOPS file (from a hidden prompt or stdin)")
    .argument(
      "<path>",
      "the secret's path (mail/dkim-key is key dkim-key of secrets/mail.sops.yaml)",
    )
    .addHelpText(
      "after",
      VALUE_HELP +
        examples(
          "lab secret set mail/relay-credentials          # prompts, without echo",
          "lab secret set mail/dkim-key < dkim.pem",
          "openssl rand -hex 32 | lab secret set app/session-key",
        ),
    )
    .action(async (path: string, _opts: unknown, cmd: Command) => {
      const { readValue, repoBackend } = await import("./secret-common.js");
      const value = await readValue(ctx, path);
      await repoBackend(ctx, cmd).set(path, value);
      eprintln(ctx, `set ${path}`);
    });
}

export function secretRotateCommand(ctx: CliContext): Command {
  return new Command("rotate")
    .description("give a secret a new value: from stdin, or generated for its declared generator")
    .argument("<path>", "the secret's path")
    .addHelpText(
      "after",
      "\nA secret declared in secrets.yaml as type: dynamic with generator: random (a password) or\n" +
        "token (a hex token) gets a generated value when stdin is a terminal or empty; any other\n" +
        "secret reads its new value as `lab secret set` does. The new value is never printed.\n" +
        examples(
          "lab secret rotate app/session-key              # generator: random",
          "lab secret rotate backup/s3-credentials < new-keys.txt",
        ),
    )
    .action(async (path: string, _opts: unknown, cmd: Command) => {
      const { declaredSecret, generatedValue, readValue, repoBackend, stdinGiven } =
        await import("./secret-common.js");
      const meta = await declaredSecret(ctx, cmd, path);
      const generated = generatedValue(meta);
      let value = null;
      if (stdinGiven(ctx)) {
        value = await readValue(ctx, path).catch((err: unknown) => {
          if (generated && err instanceof LabError && err.code === "USAGE") return null;
          throw err;
        });
      }
      value ??= generated ?? (await readValue(ctx, path));
      await repoBackend(ctx, cmd).rotate(path, value);
      eprintln(
        ctx,
        `rotated ${path}${value === generated ? ` (generated, ${meta?.generator})` : ""}`,
      );
    });
}
