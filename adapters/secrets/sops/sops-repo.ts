/**
 * SOPS files in a config repo: find the file of a secret path, open it decrypted, and write a
 * new version of its data (a new file gets the recipients and rules of its creation rule).
 */
import { mkdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { LabError } from "../../../core/errors.js";
import { errnoCode, ioReason } from "../../../core/io-reason.js";
import type { FoundIdentities } from "./age-identities.js";
import { findAgeIdentities } from "./age-identities.js";
import { writeFileAtomic } from "./atomic-write.js";
import { loadCreationRules, requireRuleFor } from "./creation-rules.js";
import type { SopsFormat } from "./secret-files.js";
import { SECRETS_DIR, sopsFormatOf } from "./secret-files.js";
import { newDataKey } from "./sops-crypto.js";
import type { SopsDocument } from "./sops-document.js";
import type { DecryptedFile } from "./sops-file.js";
import { decryptSopsDocument, encryptSopsDocument, parseSopsText } from "./sops-file.js";
import { newMetadata } from "./sops-metadata.js";
import type { SopsMapNode } from "./sops-tree.js";

export interface SopsRepoOptions {
  /** The config repo's root. */
  root: string;
  /** Where the age identities are looked for (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME, HOME). */
  env: Readonly<Record<string, string | undefined>>;
  /** The clock for `lastmodified`. */
  now?: () => Date;
}

const EXTENSIONS = [".sops.yaml", ".sops.yml", ".sops.json", ".sops.env"];

export interface SopsRepo {
  readonly options: SopsRepoOptions;
  identities(signal?: AbortSignal): Promise<FoundIdentities>;
  /** The existing file of `prefix` (`mail` → `secrets/mail.sops.yaml`), or null. */
  fileOf(prefix: string, signal?: AbortSignal): Promise<string | null>;
  /** The file's text, or null when it does not exist. */
  readText(file: string, signal?: AbortSignal): Promise<string | null>;
  open(file: string, text: string, signal?: AbortSignal): Promise<DecryptedFile>;
  /**
   * Write `plain` as the file's data: over `from` (its key, metadata and unchanged ciphertext
   * kept), or as a new file by its creation rule. Writes nothing when nothing changed.
   */
  write(
    file: string,
    from: DecryptedFile | null,
    plain: SopsMapNode,
    signal?: AbortSignal,
    options?: WriteOptions,
  ): Promise<boolean>;
}

export interface WriteOptions {
  /** For a new file: the document to write into (its comments and layout), else an empty one. */
  layout?: SopsDocument;
  /** Write even when the values are the same (comments changed). */
  always?: boolean;
}

export function formatOf(file: string): SopsFormat {
  return sopsFormatOf(file) ?? "yaml";
}

export function sopsRepo(options: SopsRepoOptions): SopsRepo {
  let found: Promise<FoundIdentities> | null = null;
  const repo: SopsRepo = {
    options,
    identities(signal) {
      found ??= findAgeIdentities(options.env, signal);
      return found;
    },
    async fileOf(prefix, signal) {
      for (const ext of EXTENSIONS) {
        const file = `${SECRETS_DIR}/${prefix}${ext}`;
        if ((await repo.readText(file, signal)) !== null) return file;
      }
      return null;
    },
    async readText(file, signal) {
      try {
        return await readFile(join(options.root, file), { encoding: "utf8", signal });
      } catch (err) {
        const code = errnoCode(err);
        if (code === "ENOENT" || code === "ENOTDIR") return null;
        if (signal?.aborted) throw err;
        throw new LabError("IO", `cannot read ${file}: ${ioReason(err)}`, { cause: err });
      }
    },
    async open(file, text, signal) {
      const doc = parseSopsText(file, text, formatOf(file));
      return decryptSopsDocument(file, doc, await repo.identities(signal));
    },
    async write(file, from, plain, signal, writeOptions = {}) {
      const now = options.now?.();
      let text: string;
      if (from) {
        if (!writeOptions.always && sameTree(from.plain, plain)) return false;
        text = await encryptSopsDocument({
          doc: from.doc,
          meta: from.doc.meta,
          rules: from.meta.rules,
          dataKey: from.dataKey,
          plain,
          previous: from.previous,
          ...(now ? { now } : {}),
        });
      } else {
        const rule = requireRuleFor(await loadCreationRules(options.root, signal), file);
        await mkdir(dirname(join(options.root, file)), { recursive: true }).catch(
          (err: unknown) => {
            throw new LabError("IO", `cannot write ${file}: ${ioReason(err)}`, { cause: err });
          },
        );
        text = await encryptSopsDocument({
          doc: writeOptions.layout ?? parseSopsText(file, "", formatOf(file)),
          meta: newMetadata(rule.rules),
          rules: rule.rules,
          dataKey: newDataKey(),
          plain,
          recipients: rule.recipients,
          ...(now ? { now } : {}),
        });
      }
      await writeFileAtomic(join(options.root, file), text, file, signal);
      return true;
    },
  };
  return repo;
}

/** Whether two trees hold the same keys in the same order and the same values. */
export function sameTree(a: SopsMapNode, b: SopsMapNode): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
