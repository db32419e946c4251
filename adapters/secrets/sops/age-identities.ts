/**
 * The age identities lab decrypts with, found where sops looks: `SOPS_AGE_KEY` (keys in the
 * variable), `SOPS_AGE_KEY_FILE` (a key file), and `$XDG_CONFIG_HOME/sops/age/keys.txt`
 * (`~/.config/sops/age/keys.txt` without it). All found are tried in turn.
 */
import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { identityToRecipient } from "age-encryption";
import { LabError } from "../../../core/errors.js";
import { errnoCode, ioReason } from "../../../core/io-reason.js";

export interface AgeIdentity {
  /** The secret key (`AGE-SECRET-KEY-1…`). */
  key: string;
  /** Its public key, the recipient it decrypts for. */
  recipient: string;
  /** Where it was found (`SOPS_AGE_KEY_FILE=/path`). */
  source: string;
}

export interface FoundIdentities {
  identities: AgeIdentity[];
  /** Each place looked at and what was there, for a message when nothing was found. */
  looked: string[];
}

type Env = Readonly<Record<string, string | undefined>>;

/** The default key file: `$XDG_CONFIG_HOME/sops/age/keys.txt`, else under `~/.config`. */
export function defaultKeyFile(env: Env): string {
  const config = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), ".config");
  return join(config, "sops", "age", "keys.txt");
}

/** The secret keys in the text of a key file (comments and blank lines skipped). */
async function keysIn(text: string, source: string): Promise<AgeIdentity[]> {
  const out: AgeIdentity[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (!line.startsWith("AGE-SECRET-KEY-")) {
      throw new LabError("USAGE", `${source} holds a line that is not an age secret key`);
    }
    try {
      out.push({ key: line, recipient: await identityToRecipient(line), source });
    } catch {
      throw new LabError("USAGE", `${source} holds an age secret key that is not valid`);
    }
  }
  return out;
}

async function readKeyFile(
  path: string,
  signal?: AbortSignal,
): Promise<string | NodeJS.ErrnoException> {
  try {
    return await readFile(path, { encoding: "utf8", signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    return err as NodeJS.ErrnoException;
  }
}

/** The identities found in the environment and the default key file, in that order. */
export async function findAgeIdentities(env: Env, signal?: AbortSignal): Promise<FoundIdentities> {
  const identities: AgeIdentity[] = [];
  const looked: string[] = [];
  if (env.SOPS_AGE_KEY) {
    const found = await keysIn(env.SOPS_AGE_KEY, "SOPS_AGE_KEY");
    identities.push(...found);
    looked.push(`SOPS_AGE_KEY (${found.length} keys)`);
  } else looked.push("SOPS_AGE_KEY (not set)");
  const file = env.SOPS_AGE_KEY_FILE;
  if (file) {
    const text = await readKeyFile(file, signal);
    if (typeof text !== "string") {
      throw new LabError("USAGE", `cannot read SOPS_AGE_KEY_FILE ${file}: ${ioReason(text)}`);
    }
    const found = await keysIn(text, `SOPS_AGE_KEY_FILE ${file}`);
    identities.push(...found);
    looked.push(`SOPS_AGE_KEY_FILE ${file} (${found.length} keys)`);
  } else looked.push("SOPS_AGE_KEY_FILE (not set)");
  const fallback = defaultKeyFile(env);
  const text = await readKeyFile(fallback, signal);
  if (typeof text === "string") {
    const found = await keysIn(text, fallback);
    identities.push(...found);
    looked.push(`${fallback} (${found.length} keys)`);
  } else if (errnoCode(text) === "ENOENT") {
    looked.push(`${fallback} (no such file)`);
  } else {
    looked.push(`${fallback} (${ioReason(text)})`);
  }
  return { identities, looked };
}
