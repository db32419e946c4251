/** Errors about a SOPS file: each names the file, and the key where one is at fault. */
import { LabError, type LabErrorCode } from "../../../core/errors.js";

/** A SOPS file lab refuses (malformed, tampered with, or not decryptable with the keys found). */
export class SopsFileError extends LabError {
  readonly file: string;
  readonly key: string | undefined;
  constructor(
    file: string,
    message: string,
    options: { key?: string; code?: LabErrorCode; cause?: unknown } = {},
  ) {
    const where = options.key === undefined ? "" : ` (key "${options.key}")`;
    super(options.code ?? "INVALID_REPO", `${file}${where}: ${message}`, {
      cause: options.cause,
    });
    this.name = "SopsFileError";
    this.file = file;
    this.key = options.key;
  }
}
