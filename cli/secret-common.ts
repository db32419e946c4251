/** What the `lab secret` verbs share: the repo's sops backend, and reading a value safely. */
import { randomBytes } from "node:crypto";
import type { Command } from "commander";
// The secret backends (sops, memory) in SECRET_BACKENDS for whatever the run asks of it.
import "../adapters/secrets/sops/register.js";
import { sopsBackend } from "../adapters/secrets/sops/sops-backend.js";
import { UsageError } from "../core/errors.js";
import { SecretValue } from "../core/secret-backend.js";
import type { SecretMeta } from "../schemas/types.js";
import { checkRepoAt, repoRoot, type CliContext } from "./context.js";
import type { CliInput } from "./io.js";

/** The sops backend over the repo of `--repo`, identities from the run's environment. */
export function repoBackend(
  ctx: CliContext,
  cmd: Command,
  generate?: (path: string) => SecretValue | null,
) {
  return sopsBackend({
    root: repoRoot(ctx, cmd),
    env: ctx.io.env,
    ...(generate ? { generate } : {}),
  });
}

function stdinOf(ctx: CliContext): CliInput {
  return ctx.io.stdin ?? (process.stdin as CliInput);
}

async function readAll(input: CliInput): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** A line typed at the terminal, not echoed (raw mode); Ctrl-C or Ctrl-D cancels. */
function readHidden(ctx: CliContext, input: CliInput, prompt: string): Promise<string> {
  ctx.io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let line = "";
    const done = (err: Error | null): void => {
      input.removeListener("data", onData);
      input.setRawMode?.(false);
      input.pause();
      ctx.io.stderr.write("\n");
      if (err) reject(err);
      else resolve(line);
    };
    const onData = (chunk: string | Buffer): void => {
      for (const ch of chunk.toString()) {
        if (ch === "\r" || ch === "\n") return done(null);
        if (ch === "\u0003" || ch === "\u0004")
          return done(new UsageError("cancelled; nothing was changed"));
        if (ch === "\u007f" || ch === "\b") line = line.slice(0, -1);
        else line += ch;
      }
    };
    input.setRawMode?.(true);
    input.on("data", onData);
    input.resume();
  });
}

/**
 * The new value: typed at a prompt without echo when stdin is a terminal, else all of stdin. A
 * one-line value loses its final newline (`echo x |`); a value of several lines is kept as is.
 */
export async function readValue(ctx: CliContext, path: string): Promise<SecretValue> {
  const input = stdinOf(ctx);
  let text: string;
  if (input.isTTY) {
    text = await readHidden(ctx, input, `New value for ${path} (not shown): `);
  } else {
    text = await readAll(input);
    const body = text.replace(/\r?\n$/, "");
    if (!body.includes("\n")) text = body;
  }
  if (text === "")
    throw new UsageError(`no value given for ${path} (type it at the prompt, or pipe it on stdin)`);
  return new SecretValue(text);
}

/** Whether stdin has something to say: a pipe or file (not a terminal, not absent). */
export function stdinGiven(ctx: CliContext): boolean {
  const input = stdinOf(ctx);
  return !input.isTTY;
}

/** A generated value for the kinds lab can make itself: `random` (a password) and `token`. */
export function generatedValue(meta: SecretMeta | undefined): SecretValue | null {
  if (meta?.type !== "dynamic") return null;
  if (meta.generator === "random") return new SecretValue(randomBytes(24).toString("base64url"));
  if (meta.generator === "token") return new SecretValue(randomBytes(32).toString("hex"));
  return null;
}

/** The metadata `secrets.yaml` declares for `path`, read with the repo loader. */
export async function declaredSecret(
  ctx: CliContext,
  cmd: Command,
  path: string,
): Promise<SecretMeta | undefined> {
  const checked = await checkRepoAt(ctx, cmd);
  return checked.repo.config.secrets?.[path];
}
