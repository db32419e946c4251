/** What kind of remote a URL names, how to show it, and where its local copy lives. */
import { createHash } from "node:crypto";
import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { LabError } from "../../core/errors.js";

export interface Remote {
  /** What the remote is reached over. */
  transport: "http" | "local";
  /** What git is given: the URL as written, or the absolute path of a local repo. */
  target: string;
  /** For messages: the URL without user or password, or the path. */
  display: string;
}

/** Parses `url`: http(s)://…, file://…, or a local path (relative to `cwd`). */
export function parseRemote(url: string, cwd = process.cwd()): Remote {
  if (/^https?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch (cause) {
      throw new LabError("USAGE", `"${redactUrl(url)}" is not a valid URL`, { cause });
    }
    return { transport: "http", target: url, display: redactUrl(parsed.href) };
  }
  if (/^file:\/\//i.test(url)) {
    const path = fileURLToPath(url);
    return { transport: "local", target: path, display: path };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^[^/]+@[^/]+:/.test(url)) {
    throw new LabError(
      "USAGE",
      `the remote ${redactUrl(url)} is not supported (use http(s)://, file:// or a local path)`,
    );
  }
  const path = isAbsolute(url) ? url : resolve(cwd, url);
  return { transport: "local", target: path, display: path };
}

/** The URL without its user and password (`https://***@host/…`). */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}

/**
 * The folder of a remote's local copy: `<state dir>/git/<sha256 of the URL, 16 hex>`, the state
 * directory being `~/.lab` unless given.
 */
export function defaultCacheDir(url: string, stateDir = join(homedir(), ".lab")): string {
  const key = createHash("sha256").update(url).digest("hex").slice(0, 16);
  return join(stateDir, "git", key);
}
