/**
 * What a failed remote operation means, from git's stderr or isomorphic-git's error: whether to
 * retry it and the few words a message gives.
 */
import type { GitErrorReason } from "../../core/git-source.js";
import { ioReason } from "../../core/io-reason.js";
import { GitCommandError } from "./native-run.js";

export interface Failure {
  reason: GitErrorReason;
  /** A few words: `connection refused`, `HTTP 503`. */
  words: string;
}

const NATIVE_RULES: ReadonlyArray<readonly [RegExp, GitErrorReason, string | null]> = [
  [/Couldn't connect to server|Connection refused/i, "unreachable", "connection refused"],
  [/Could not resolve host: ([^\s']+)/i, "unreachable", "unknown host"],
  [/timed out|Timeout was reached/i, "unreachable", "timed out"],
  [/Empty reply from server|Recv failure|Connection reset/i, "unreachable", "connection reset"],
  [/early EOF|remote end hung up|unexpected disconnect/i, "unreachable", "connection lost"],
  [/returned error: (5\d\d)/, "unreachable", null],
  // Another lab fetching into the same local copy holds a ref's lock: worth another try.
  [/cannot lock ref|Unable to create '[^']*\.lock'/i, "unreachable", "the local copy is busy"],
  [
    /could not read (Username|Password)|Authentication failed|returned error: 40[13]/i,
    "unauthorized",
    "authentication required or refused",
  ],
  [/repository '[^']*' not found|returned error: 404/i, "not-a-repo", "no repository at that URL"],
  [
    /does not appear to be a git repository|not a git repository/i,
    "not-a-repo",
    "not a git repository",
  ],
  [/couldn't find remote ref/i, "missing-revision", "no such ref on the remote"],
];

/** The meaning of a failed git command (a GitCommandError), or "failed" with git's last line. */
export function classifyNative(error: unknown): Failure {
  if (!(error instanceof GitCommandError)) {
    return { reason: "failed", words: error instanceof Error ? error.message : String(error) };
  }
  for (const [pattern, reason, words] of NATIVE_RULES) {
    const m = pattern.exec(error.stderr);
    if (m) return { reason, words: words ?? `HTTP ${m[1] ?? "error"}` };
  }
  const line = error.stderr
    .split("\n")
    .map((l) => l.replace(/^(fatal|error): /, "").trim())
    .filter((l) => l !== "");
  return { reason: "failed", words: line[0] ?? `git exited with ${error.exitCode ?? "a signal"}` };
}

const SOCKET_CODES: ReadonlyMap<string, string> = new Map([
  ["ECONNREFUSED", "connection refused"],
  ["ECONNRESET", "connection reset"],
  ["EPIPE", "connection lost"],
  ["ETIMEDOUT", "timed out"],
  ["ENOTFOUND", "unknown host"],
  ["EAI_AGAIN", "unknown host"],
  ["EHOSTUNREACH", "host unreachable"],
  ["ENETUNREACH", "network unreachable"],
]);

/** The meaning of an isomorphic-git failure (HttpError, a socket error, NotFoundError …). */
export function classifyIso(error: unknown): Failure {
  const e = error as { code?: unknown; data?: { statusCode?: unknown }; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : "";
  const socket = SOCKET_CODES.get(code) ?? SOCKET_CODES.get(causeCode(e.cause));
  if (socket) return { reason: "unreachable", words: socket };
  if (code === "HttpError") {
    const status = Number(e.data?.statusCode);
    if (status === 401 || status === 403)
      return { reason: "unauthorized", words: "authentication required or refused" };
    if (status === 404) return { reason: "not-a-repo", words: "no repository at that URL" };
    if (status >= 500) return { reason: "unreachable", words: `HTTP ${status}` };
    return { reason: "failed", words: `HTTP ${status}` };
  }
  if (code === "NotFoundError") return { reason: "missing-revision", words: "not found" };
  return { reason: "failed", words: error instanceof Error ? ioReason(error) : String(error) };
}

function causeCode(cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : "";
}

/** Transient failures are retried; the rest fail at once. */
export function retryable(failure: Failure): "retry" | "fail" {
  return failure.reason === "unreachable" ? "retry" : "fail";
}
