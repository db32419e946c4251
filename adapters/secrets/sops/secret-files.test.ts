import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { filePrefix, listSecretValues, splitSecretPath } from "./secret-files.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-secret-files-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("listSecretValues", () => {
  it("lists top-level keys with a value, by path, with their positions, without decrypting", async () => {
    const root = repo({
      "secrets/mail.sops.yaml":
        "# mail\ntls-cert: ENC[AES256_GCM,data:x]\ndkim-key:\n  private: ENC[x]\nempty: null\nsops:\n  version: 3.9.4\n",
      "secrets/db/pg.sops.json": '{\n  "password": "ENC[x]",\n  "sops": {}\n}\n',
      "secrets/app.sops.env": "# c\nSESSION_KEY=ENC[x]\nBLANK=\nsops_version=3.8.1\n",
      "secrets/notes.txt": "x: 1\n",
      "other/x.sops.yaml": "a: b\n",
    });
    expect(await listSecretValues(root)).toEqual([
      { path: "app/SESSION_KEY", file: "secrets/app.sops.env", line: 2, col: 1 },
      { path: "db/pg/password", file: "secrets/db/pg.sops.json", line: 2, col: 3 },
      { path: "mail/dkim-key", file: "secrets/mail.sops.yaml", line: 3, col: 1 },
      { path: "mail/tls-cert", file: "secrets/mail.sops.yaml", line: 2, col: 1 },
    ]);
  });

  it("is empty for a repo without secrets/, and names a file that is not YAML", async () => {
    expect(await listSecretValues(repo({ "lab.yaml": "lab: {}\n" }))).toEqual([]);
    const root = repo({ "secrets/bad.sops.yaml": "a: [b\n" });
    await expect(listSecretValues(root)).rejects.toThrow(
      /^secrets\/bad\.sops\.yaml is not a SOPS file: /,
    );
  });
});

describe("paths", () => {
  it("maps files to prefixes and paths to prefix and key", () => {
    expect(filePrefix("secrets/mail.sops.yaml")).toBe("mail");
    expect(filePrefix("secrets/a/b.sops.env")).toBe("a/b");
    expect(filePrefix("secrets/x.yaml")).toBeNull();
    expect(filePrefix("puppet/x.sops.yaml")).toBeNull();
    expect(splitSecretPath("a/b/c")).toEqual({ prefix: "a/b", key: "c" });
    expect(splitSecretPath("nokey")).toBeNull();
  });
});
