/** `lab secret …`: read and change secret values in the repo's SOPS files (docs/secrets.md). */
import { Command } from "commander";
import type { CliContext } from "./context.js";
import { examples } from "./examples.js";
import { secretAuditCommand } from "./secret-audit.js";
import { secretEditCommand } from "./secret-edit.js";
import { secretGetCommand } from "./secret-get.js";
import { secretRotateCommand, secretSetCommand } from "./secret-set.js";
import { secretUpdateKeysCommand } from "./secret-updatekeys.js";

export function secretCommand(ctx: CliContext): Command {
  const cmd = new Command("secret")
    .description("read and change secret values, kept encrypted with SOPS and age under secrets/")
    .addHelpText(
      "after",
      "\nA secret's path is its file under secrets/ without .sops.yaml and a top-level key:\n" +
        "mail/dkim-key is key dkim-key of secrets/mail.sops.yaml. Your age key is read from\n" +
        "SOPS_AGE_KEY, SOPS_AGE_KEY_FILE or ~/.config/sops/age/keys.txt, as sops does.\n" +
        examples(
          "lab secret get mail/relay-credentials",
          "lab secret set mail/dkim-key < dkim.pem",
          "lab secret rotate app/session-key",
          "lab secret edit secrets/mail.sops.yaml",
          "lab secret updatekeys",
          "lab secret audit",
        ),
    );
  cmd.addCommand(secretGetCommand(ctx));
  cmd.addCommand(secretSetCommand(ctx));
  cmd.addCommand(secretRotateCommand(ctx));
  cmd.addCommand(secretEditCommand(ctx));
  cmd.addCommand(secretUpdateKeysCommand(ctx));
  cmd.addCommand(secretAuditCommand(ctx));
  return cmd;
}
