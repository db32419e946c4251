/**
 * The error a forge request becomes when it fails for good (docs/forge.md, "Retries and
 * limits"): which request, what the forge said, after how many tries — never a credential.
 */
import { LabError } from "../../core/errors.js";

export type ForgeErrorReason =
  "unauthorized" | "forbidden" | "not-found" | "rejected" | "rate-limited" | "unavailable";

export interface ForgeErrorDetails {
  reason: ForgeErrorReason;
  /** `POST /repos/o/r/issues/7/comments`: method and path, no query, no credentials. */
  request: string;
  /** The HTTP status, or 0 when no answer came. */
  status: number;
  tries: number;
  /** GitHub's id of the request (`x-github-request-id`), for its support. */
  requestId?: string;
}

/**
 * A forge that refuses or does not answer (code "FORGE"; match on `reason`, never on the
 * message).
 */
export class ForgeError extends LabError {
  readonly reason: ForgeErrorReason;
  readonly request: string;
  readonly status: number;
  readonly tries: number;
  readonly requestId: string | undefined;
  constructor(message: string, details: ForgeErrorDetails, options?: { cause?: unknown }) {
    super("FORGE", message, options);
    this.name = "ForgeError";
    this.reason = details.reason;
    this.request = details.request;
    this.status = details.status;
    this.tries = details.tries;
    this.requestId = details.requestId;
  }
}

export function reasonOf(status: number, rateLimited: boolean): ForgeErrorReason {
  if (rateLimited) return "rate-limited";
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not-found";
  if (status === 0 || status >= 500) return "unavailable";
  return "rejected";
}

const WORDS: Readonly<Record<ForgeErrorReason, string>> = {
  unauthorized: "the token was refused",
  forbidden: "the token may not do this",
  "not-found": "not found (or the token cannot see it)",
  rejected: "the request was refused",
  "rate-limited": "still rate limited",
  unavailable: "the forge is not answering",
};

/** `POST /repos/o/r/issues/7/comments failed: 502 Bad Gateway (the forge is not answering) after 4 tries`. */
export function forgeErrorMessage(d: ForgeErrorDetails, said: string): string {
  const status = d.status ? `${d.status} ` : "";
  const tries = d.tries === 1 ? "1 try" : `${d.tries} tries`;
  const what = said ? `${status}${said}` : status.trim() || "no answer";
  return `${d.request} failed: ${what} (${WORDS[d.reason]}) after ${tries}`;
}
