/**
 * `lab secret edit FILE`: the decrypted file in $VISUAL or $EDITOR (as `sops FILE`), encrypted
 * again on save. The decrypted copy is a 0600 file in a private temporary folder, removed
 * whatever happens; a file saved without change is left untouched.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join, relative, resolve as resolvePath, sep } from "node:path";
import { Command } from "commander";
import type { EditSession } from "../adapters/secrets/sops/sops-edit.js";
import { LabError, UsageError } from "../core/errors.js";
import { eprintln, repoRoot, type CliContext } from "./context.js";
import { examples } from "./examples.js";

/**
 * Run the editor on `file`; resolves when it exits 0. Ctrl-C while it runs is the editor's (as
 * with git and sops): lab ignores SIGINT meanwhile, so it stays to remove the decrypted copy.
 */
function runEditor(ctx: CliContext, file: string): Promise<void> {
  const editor = ctx.io.env.VISUAL || ctx.io.env.EDITOR || "vi";
  const ignore = (): void => undefined;
  process.on("SIGINT", ignore);
  return new Promise<void>((resolve, reject) => {
    const child = spawn("/bin/sh", ["-c", `${editor} "$1"`, "lab-secret-edit", file], {
      stdio: "inherit",
      env: { ...ctx.io.env },
    });
    child.on("error", (err) =>
      reject(new LabError("TOOL_MISSING", `cannot run the editor "${editor}": ${err.message}`)),
    );
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new LabError(
            "USAGE",
            `the editor "${editor}" exited with ${signal ?? code}; nothing was changed`,
          ),
        );
    });
  }).finally(() => process.removeListener("SIGINT", ignore));
}

/**
 * Edit, and apply what was saved. At a terminal, a text that is not valid is told and the editor
 * opens again on it (as sops does); saving it again unchanged gives up, changing nothing.
 */
async function editUntilValid(
  ctx: CliContext,
  temp: string,
  session: EditSession,
  isFileError: (err: unknown) => boolean,
) {
  let failed: string | null = null;
  for (;;) {
    await runEditor(ctx, temp);
    const edited = await readFile(temp, "utf8");
    try {
      return await session.apply(edited);
    } catch (err) {
      const interactive = (ctx.io.stdin ?? process.stdin).isTTY === true;
      if (!isFileError(err) || !interactive || edited === failed) throw err;
      const message = err instanceof Error ? err.message : String(err);
      failed = edited;
      eprintln(ctx, `${ctx.err.red("error:")} ${message}`);
      eprintln(ctx, "the editor opens again; save without a change to give up");
    }
  }
}

/** The repo-relative path of FILE (given relative to the working directory). */
function repoPath(
  ctx: CliContext,
  cmd: Command,
  file: string,
  isSopsFile: (path: string) => boolean,
): string {
  const root = repoRoot(ctx, cmd);
  const rel = relative(root, resolvePath(ctx.io.cwd ?? process.cwd(), file));
  if (rel.startsWith("..") || rel === "")
    throw new UsageError(`${file} is not in the repo ${root}`);
  const path = rel.split(sep).join("/");
  if (!isSopsFile(path))
    throw new UsageError(`${file} is not a SOPS file (*.sops.yaml, *.sops.json, *.sops.env)`);
  return path;
}

export function secretEditCommand(ctx: CliContext): Command {
  return new Command("edit")
    .description("edit a SOPS file decrypted in $VISUAL/$EDITOR; it is encrypted again on save")
    .argument(
      "<file>",
      "the SOPS file (secrets/mail.sops.yaml); a new one is created by its creation rule",
    )
    .addHelpText(
      "after",
      "\nThe decrypted copy is written with mode 0600 to a private temporary folder and removed\n" +
        "afterwards, saved or not. Values you did not change keep their ciphertext; a file saved\n" +
        "without change is not written. An editor that exits non-zero changes nothing; a text that\n" +
        "is not valid opens the editor again at a terminal (save it unchanged to give up).\n" +
        examples(
          "lab secret edit secrets/mail.sops.yaml",
          "EDITOR=nano lab secret edit secrets/app.sops.yaml",
        ),
    )
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const [{ openForEdit }, { SopsFileError }, { sopsFormatOf }, { repoBackend }] =
        await Promise.all([
          import("../adapters/secrets/sops/sops-edit.js"),
          import("../adapters/secrets/sops/sops-errors.js"),
          import("../adapters/secrets/sops/secret-files.js"),
          import("./secret-common.js"),
        ]);
      const path = repoPath(ctx, cmd, file, (p) => sopsFormatOf(p) !== null);
      const session = await openForEdit(repoBackend(ctx, cmd).repo, path);
      const dir = await mkdtemp(join(tmpdir(), "lab-secret-edit-"));
      try {
        const temp = join(dir, basename(path));
        await writeFile(temp, session.plaintext, { mode: 0o600 });
        const result = await editUntilValid(
          ctx,
          temp,
          session,
          (err) => err instanceof SopsFileError,
        );
        eprintln(ctx, result === "written" ? `wrote ${path}` : `${path}: no change`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
}
