/** The `lab` command line: a commander program run in-process (`runCli`) or as the process. */
import { Command, CommanderError } from "commander";
import { LabError, NotFoundError, UsageError } from "../core/errors.js";
import { eprintln, makeContext, type CliContext } from "./context.js";
import { diffCommand } from "./diff-server.js";
import { encCommand } from "./enc.js";
import { explainCommand } from "./explain.js";
import { getCommand } from "./get.js";
import type { CliIo } from "./io.js";
import { planCommand } from "./plan.js";
import { applyCommand, reconcileCommand } from "./reconcile.js";
import { secretCommand } from "./secret.js";
import { serveCommand } from "./serve.js";
import { renderCommand } from "./render.js";
import { CLIENT_VERBS, takeServerFlag } from "./serve-client.js";
import { showCommand } from "./show.js";
import { targetsCommand } from "./targets.js";
import { validateCommand } from "./validate.js";
import { VERSION } from "./version.js";

export type { CliIo } from "./io.js";

/** Exit codes: 0 ok, 1 errors found (or a name not found), 2 a usage mistake. */
export const EXIT_OK = 0;
export const EXIT_ERRORS = 1;
export const EXIT_USAGE = 2;

function commands(ctx: CliContext): Command[] {
  return [
    validateCommand(ctx),
    getCommand(ctx),
    showCommand(ctx),
    targetsCommand(ctx),
    explainCommand(ctx),
    renderCommand(ctx),
    applyCommand(ctx),
    reconcileCommand(ctx),
    serveCommand(ctx),
    // Verbs written in their own modules register here.
    encCommand(ctx),
    planCommand(ctx),
    diffCommand(ctx),
    secretCommand(ctx),
  ];
}

/** The program, its settings (output to `io`, exits as exceptions) copied to every subcommand. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("lab")
    .description("GitOps reconciler for infrastructure: validate, inspect and render a config repo")
    .version(VERSION, "-V, --version", "print lab's version")
    .option("--repo <path>", "the config repo (default: $LAB_REPO, else the current directory)")
    .option(
      "--no-cache",
      "do not read or write the parse cache (also LAB_NO_CACHE=1; docs/caching.md)",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => void ctx.io.stdout.write(s),
      writeErr: (s) => void ctx.io.stderr.write(s),
      outputError: (s, write) => write(s),
    })
    .showHelpAfterError("(add --help for usage)")
    .addHelpText(
      "after",
      "\nExamples:\n  lab validate\n  lab get servers --label mailserver\n  lab show server worker-5\n" +
        "\nEnvironment: LAB_REPO (the repo), NO_COLOR (no colour), LAB_DEBUG=1 (stack traces of internal errors),\n" +
        "LAB_CACHE_DIR / LAB_NO_CACHE=1 (the parse cache), LAB_DATABASE_URL (a PostgreSQL state store), LAB_GIT_TOKEN\n" +
        '\nClient mode: lab --server URL get|show|targets|explain … (or LAB_SERVER=URL) asks a running "lab serve"\n' +
        "for the revision it applied instead of reading the repo; LAB_API_TOKEN is sent as a bearer token.\n",
    );
  const inherit = (parent: Command, cmd: Command): void => {
    cmd.copyInheritedSettings(parent);
    for (const sub of cmd.commands) inherit(cmd, sub);
  };
  for (const cmd of commands(ctx)) {
    inherit(program, cmd);
    program.addCommand(cmd);
  }
  return program;
}

function errorLine(ctx: CliContext, message: string): void {
  eprintln(ctx, `${ctx.err.red("error:")} ${message}`);
}

/** Turn what a run threw into its exit code, telling the user on stderr. */
export function reportError(ctx: CliContext, err: unknown): number {
  if (err instanceof CommanderError) {
    const ok = err.code === "commander.helpDisplayed" || err.code === "commander.version";
    return ok ? EXIT_OK : EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    errorLine(ctx, err.message);
    return EXIT_USAGE;
  }
  if (err instanceof NotFoundError) {
    errorLine(ctx, err.message);
    return EXIT_ERRORS;
  }
  if (err instanceof LabError && err.code !== "INTERNAL") {
    errorLine(ctx, err.message);
    if (ctx.debug && err.stack) eprintln(ctx, err.stack);
    return EXIT_ERRORS;
  }
  const message = err instanceof Error ? err.message : String(err);
  errorLine(ctx, `internal error: ${message}`);
  if (ctx.debug && err instanceof Error && err.stack) eprintln(ctx, err.stack);
  else eprintln(ctx, "(this is a bug in lab; run with LAB_DEBUG=1 for a stack trace)");
  return EXIT_ERRORS;
}

/** Run `lab` with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let ctx = makeContext(io);
  try {
    // The program's options that take a value: what may stand between `--server` and the verb.
    const { server, argv: rest, verb } = takeServerFlag(argv, new Set(["--repo"]));
    if (server) {
      if (!verb || !CLIENT_VERBS.has(verb)) {
        const not = verb ? `, not "${verb}"` : "";
        throw new UsageError(`--server works with get, show, targets and explain${not}`);
      }
      ctx = makeContext({ ...io, env: { ...io.env, LAB_SERVER: server } });
    }
    await buildProgram(ctx).parseAsync(rest, { from: "user" });
    return ctx.exitCode;
  } catch (err) {
    return reportError(ctx, err);
  }
}

/** The process entry (bin/lab.js): real streams and environment, `process.exitCode` set. */
export async function runMain(): Promise<void> {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
}
