/**
 * `updatekeys`: the data key of a SOPS file wrapped again for the recipients its creation rule
 * now names (as `sops updatekeys` does one file at a time). Values, their ciphertext, the MAC
 * and `lastmodified` are untouched; recipients that stay keep their wrapped key.
 */
import { join } from "node:path";
import { wrapDataKey } from "./age-data-key.js";
import { writeFileAtomic } from "./atomic-write.js";
import type { CreationRule } from "./creation-rules.js";
import { ruleFor } from "./creation-rules.js";
import type { SopsRepo } from "./sops-repo.js";
import { updateMetadata } from "./sops-metadata.js";

export interface UpdateKeysResult {
  file: string;
  added: string[];
  removed: string[];
  /** `updated`, `unchanged`, or `no-rule` (no creation rule matches the file). */
  status: "updated" | "unchanged" | "no-rule";
}

export async function updateKeys(
  repo: SopsRepo,
  file: string,
  rules: readonly CreationRule[],
  signal?: AbortSignal,
): Promise<UpdateKeysResult> {
  const rule = ruleFor(rules, file);
  if (!rule || rule.recipients.length === 0)
    return { file, added: [], removed: [], status: "no-rule" };
  const text = await repo.readText(file, signal);
  if (text === null) return { file, added: [], removed: [], status: "no-rule" };
  const opened = await repo.open(file, text, signal);
  const now = opened.meta.age.map((a) => a.recipient);
  const want = rule.recipients;
  const added = want.filter((r) => !now.includes(r));
  const removed = now.filter((r) => !want.includes(r));
  if (added.length === 0 && removed.length === 0)
    return { file, added, removed, status: "unchanged" };
  const fresh = await wrapDataKey(opened.dataKey, added);
  const age = want.map(
    (r) => opened.meta.age.find((a) => a.recipient === r) ?? fresh.find((a) => a.recipient === r)!,
  );
  const out = opened.doc.emit(opened.doc.data, updateMetadata(opened.doc.meta, { age }));
  await writeFileAtomic(join(repo.options.root, file), out, file, signal);
  return { file, added, removed, status: "updated" };
}
