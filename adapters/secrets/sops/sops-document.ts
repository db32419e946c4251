/**
 * A parsed SOPS file in one of its formats: its data (every top-level key but `sops`) and its
 * metadata (`sops`) as trees, and a way to write the file back with new ones that changes only
 * what changed: comments, key order and the text of untouched values are kept.
 */
import type { SopsFormat } from "./secret-files.js";
import type { SopsMapNode } from "./sops-tree.js";

export interface SopsDocument {
  readonly format: SopsFormat;
  readonly data: SopsMapNode;
  /** The `sops` section; empty for a file that is not yet written. */
  readonly meta: SopsMapNode;
  /** The file's text with `data` and `meta` in place of what it holds (no `sops` with null). */
  emit(data: SopsMapNode, meta: SopsMapNode | null): string;
}
