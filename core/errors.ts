/**
 * Exceptions are for bugs and broken infrastructure only; user mistakes are Diagnostics.
 * Match on `code`, never on `message`.
 */
import { hintFor } from "./suggest.js";
export type LabErrorCode =
  | "INTERNAL"
  | "IO"
  | "NOT_FOUND"
  | "USAGE"
  | "TOOL_MISSING"
  | "INVALID_REPO"
  | "STATE"
  | "GIT"
  | "FORGE";

export class LabError extends Error {
  readonly code: LabErrorCode;
  constructor(code: LabErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LabError";
    this.code = code;
  }
}

/** A name the user asked for does not exist; carries close matches for the message. */
export class NotFoundError extends LabError {
  readonly kind: string;
  readonly wanted: string;
  readonly suggestions: readonly string[];
  constructor(kind: string, wanted: string, suggestions: readonly string[]) {
    super("NOT_FOUND", `${kind} "${wanted}" not found${hintFor(suggestions)}`);
    this.name = "NotFoundError";
    this.kind = kind;
    this.wanted = wanted;
    this.suggestions = suggestions;
  }
}

/** A command-line mistake: exit code 2. */
export class UsageError extends LabError {
  constructor(message: string) {
    super("USAGE", message);
    this.name = "UsageError";
  }
}
