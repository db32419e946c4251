/** Shared pieces of the SOPS adapter's tests: the fixture key, temp repos, encrypting plaintext. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FoundIdentities } from "./age-identities.js";
import { findAgeIdentities } from "./age-identities.js";
import type { SopsFormat } from "./secret-files.js";
import { newDataKey } from "./sops-crypto.js";
import { encryptSopsDocument, parseSopsText } from "./sops-file.js";
import { newMetadata } from "./sops-metadata.js";
import type { EncryptionRules } from "./sops-tree.js";

export const FIXTURES = fileURLToPath(new URL("../../../test/fixtures/sops/", import.meta.url));
export const FIXTURE_KEY = join(FIXTURES, "key.txt");
export const FIXTURE_RECIPIENT = "age1je6kjhzuhdjy3fqptpttxjh5k8q46vygzlgtpuq3030c947pc5tqz9dqvr";

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export function fixtureIdentities(): Promise<FoundIdentities> {
  return findAgeIdentities({ SOPS_AGE_KEY_FILE: FIXTURE_KEY, HOME: "/nonexistent" });
}

const temps: string[] = [];

export function tempRepo(files: Readonly<Record<string, string>> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-sops-"));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export function removeTempRepos(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** `plaintext` (a file's text without sops metadata) encrypted as sops would, to `recipients`. */
export async function encryptPlaintext(
  plaintext: string,
  format: SopsFormat = "yaml",
  rules: EncryptionRules = {},
  recipients: readonly string[] = [FIXTURE_RECIPIENT],
): Promise<string> {
  const doc = parseSopsText("plain", plaintext, format);
  return encryptSopsDocument({
    doc,
    meta: newMetadata(rules),
    rules,
    dataKey: newDataKey(),
    plain: doc.data,
    recipients,
  });
}
