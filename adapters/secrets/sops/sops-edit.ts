/**
 * Editing a SOPS file as `sops FILE` does: its decrypted text (comments and order kept) for an
 * editor, and the edited text encrypted back — the data key, the recipients and the ciphertext
 * of every value that did not change kept. A new file gets its creation rule's recipients.
 */
import { SopsFileError } from "./sops-errors.js";
import { parseSopsText } from "./sops-file.js";
import type { SopsRepo } from "./sops-repo.js";
import { formatOf } from "./sops-repo.js";
import type { SopsMapNode } from "./sops-tree.js";

export interface EditSession {
  /** The decrypted text to edit (empty for a new file). */
  plaintext: string;
  /** Encrypt and write the edited text; "unchanged" (nothing written) when it is the same. */
  apply(edited: string, signal?: AbortSignal): Promise<"unchanged" | "written">;
}

export async function openForEdit(
  repo: SopsRepo,
  file: string,
  signal?: AbortSignal,
): Promise<EditSession> {
  const text = await repo.readText(file, signal);
  const from = text === null ? null : await repo.open(file, text, signal);
  const plaintext = from ? from.doc.emit(from.plain, null) : "";
  return {
    plaintext,
    async apply(edited, signal2) {
      if (edited === plaintext) return "unchanged";
      const doc = parseSopsText(file, edited, formatOf(file));
      if (doc.meta.entries.length > 0) {
        throw new SopsFileError(
          file,
          "the edited text has a top-level sops key, which is the metadata's; rename it",
        );
      }
      const plain: SopsMapNode = doc.data;
      if (!from) {
        if (plain.entries.length === 0) return "unchanged";
        return (await repo.write(file, null, plain, signal2, { layout: doc }))
          ? "written"
          : "unchanged";
      }
      const written = await repo.write(
        file,
        { ...from, doc: withMetaOf(doc, from.doc.meta) },
        plain,
        signal2,
        { always: true },
      );
      return written ? "written" : "unchanged";
    },
  };
}

/** The edited document (its comments and layout) carrying the old file's metadata. */
function withMetaOf(doc: ReturnType<typeof parseSopsText>, meta: SopsMapNode) {
  return { ...doc, meta, emit: doc.emit.bind(doc) };
}
