import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SECRET_BACKENDS, SecretValue } from "../../../core/secret-backend.js";
import { asUnprivileged } from "../../../test/unprivileged.js";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { decryptSops } from "sops-age";
import "./register.js";
import { sopsBackend } from "./sops-backend.js";
import {
  encryptPlaintext,
  fixture,
  FIXTURE_KEY,
  FIXTURE_RECIPIENT,
  removeTempRepos,
  tempRepo,
} from "./sops-test-kit.js";

afterAll(removeTempRepos);

const SOPS_YAML = `creation_rules:\n  - path_regex: secrets/.*\\.sops\\.yaml$\n    age: ${FIXTURE_RECIPIENT}\n`;
const ENV = { SOPS_AGE_KEY_FILE: FIXTURE_KEY, HOME: "/nonexistent" };

function backend(root: string, env: Record<string, string> = ENV) {
  return sopsBackend({ root, env, now: () => new Date("2026-01-02T03:04:05Z") });
}

const TEN = [
  "# Mail secrets: set with lab secret set",
  ...Array.from({ length: 10 }, (_, i) => `key-${i}: value ${i}`),
  "",
].join("\n");

/** Lines that differ between two texts of the same length in lines (the numstat of a 1:1 change). */
function changedLines(a: string, b: string): string[] {
  const x = a.split("\n");
  const y = b.split("\n");
  expect(y.length).toBe(x.length);
  return y.filter((line, i) => line !== x[i]).map((l) => l.replace(/:.*/, ":"));
}

describe("the sops backend", () => {
  it("is registered with the memory backend", () => {
    expect([...SECRET_BACKENDS.keys()].sort()).toEqual(["memory", "sops"]);
    const root = tempRepo();
    expect(SECRET_BACKENDS.get("sops")!({ root, env: ENV }).name).toBe("sops");
  });

  it("set creates the file with the creation rule's recipients; get and list read it", async () => {
    const root = tempRepo({ ".sops.yaml": SOPS_YAML });
    const b = backend(root);
    expect(await b.get("mail/dkim-key")).toBeNull();
    await b.set("mail/dkim-key", new SecretValue("plain-dkim-value"));
    await b.set("mail/relay", new SecretValue("user:pw"));
    const text = readFileSync(join(root, "secrets/mail.sops.yaml"), "utf8");
    expect(text).toMatch(/^dkim-key: ENC\[AES256_GCM,.*type:str\]\nrelay: ENC\[/);
    expect(text).toContain(
      `    - recipient: ${FIXTURE_RECIPIENT}\n      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n`,
    );
    expect(text).toContain('  lastmodified: "2026-01-02T03:04:05Z"\n');
    expect(text).not.toContain("plain-dkim-value");
    expect((await b.get("mail/dkim-key"))?.reveal()).toBe("plain-dkim-value");
    expect(await b.list()).toEqual(["mail/dkim-key", "mail/relay"]);
    await b.delete("mail/relay");
    expect(await b.list()).toEqual(["mail/dkim-key"]);
  });

  it("a set of one value in a file of ten changes that line, the MAC and lastmodified", async () => {
    const root = tempRepo({ "secrets/mail.sops.yaml": await encryptPlaintext(TEN) });
    const path = join(root, "secrets/mail.sops.yaml");
    const before = readFileSync(path, "utf8");
    await backend(root).set("mail/key-4", new SecretValue("new value"));
    const after = readFileSync(path, "utf8");
    expect(changedLines(before, after)).toEqual(["key-4:", "  lastmodified:", "  mac:"]);
    writeFileSync(join(root, "before.yaml"), before);
    const numstat = spawnSync(
      "git",
      ["diff", "--no-index", "--numstat", "--", join(root, "before.yaml"), path],
      {
        encoding: "utf8",
      },
    ).stdout;
    expect(numstat.split("\t").slice(0, 2)).toEqual(["3", "3"]);
    const values = (t: string) => t.split("\n").filter((l) => l.startsWith("key-"));
    expect(values(after).filter((l, i) => l !== values(before)[i])).toHaveLength(1);
    expect(after.startsWith("# Mail secrets: set with lab secret set\nkey-0: ENC[")).toBe(true);
    expect((await backend(root).get("mail/key-4"))?.reveal()).toBe("new value");
    expect((await backend(root).get("mail/key-5"))?.reveal()).toBe("value 5");
  });

  it("setting the value it has writes nothing", async () => {
    const text = await encryptPlaintext(TEN);
    const root = tempRepo({ "secrets/mail.sops.yaml": text });
    await backend(root).set("mail/key-1", new SecretValue("value 1"));
    expect(readFileSync(join(root, "secrets/mail.sops.yaml"), "utf8")).toBe(text);
  });

  it("rotate: the value given, or the generator's; none is an error", async () => {
    const root = tempRepo({ ".sops.yaml": SOPS_YAML });
    const b = sopsBackend({
      root,
      env: ENV,
      generate: (p) => (p === "app/token" ? new SecretValue("gen") : null),
    });
    await b.rotate("app/token");
    expect((await b.get("app/token"))?.reveal()).toBe("gen");
    await b.rotate("app/token", new SecretValue("given"));
    expect((await b.get("app/token"))?.reveal()).toBe("given");
    await expect(b.rotate("app/other")).rejects.toThrow(
      "app/other has no generator to make a new value; give the new value on stdin",
    );
  });

  it("no identity: says where it looked; the file is unchanged", async () => {
    const text = await encryptPlaintext(TEN);
    const root = tempRepo({ "secrets/mail.sops.yaml": text });
    const b = backend(root, { HOME: "/nonexistent", XDG_CONFIG_HOME: "/nonexistent/cfg" });
    await expect(b.set("mail/key-1", new SecretValue("x"))).rejects.toThrow(
      "secrets/mail.sops.yaml: no age identity found to decrypt it; looked in: SOPS_AGE_KEY (not set), SOPS_AGE_KEY_FILE (not set), /nonexistent/cfg/sops/age/keys.txt (no such file). Set SOPS_AGE_KEY_FILE to a key file holding one of its recipients' keys",
    );
    expect(readFileSync(join(root, "secrets/mail.sops.yaml"), "utf8")).toBe(text);
  });

  it("wrong keys: none of the identities is a recipient; names the recipients", async () => {
    const root = tempRepo({ "secrets/mail.sops.yaml": await encryptPlaintext(TEN) });
    const keys = [await generateX25519Identity(), await generateX25519Identity()];
    await identityToRecipient(keys[0]!);
    const b = backend(root, { SOPS_AGE_KEY: keys.join("\n"), HOME: "/nonexistent" });
    await expect(b.get("mail/key-1")).rejects.toThrow(
      `secrets/mail.sops.yaml: none of the 2 age identities found (SOPS_AGE_KEY (2 keys), SOPS_AGE_KEY_FILE (not set), /nonexistent/.config/sops/age/keys.txt (no such file)) decrypts its data key; its recipients are ${FIXTURE_RECIPIENT}`,
    );
  });

  it("several identities are tried in turn", async () => {
    const root = tempRepo({ "secrets/mail.sops.yaml": await encryptPlaintext(TEN) });
    const other = await generateX25519Identity();
    const key = readFileSync(FIXTURE_KEY, "utf8");
    const b = backend(root, { SOPS_AGE_KEY: `${other}\n${key}`, HOME: "/nonexistent" });
    expect((await b.get("mail/key-9"))?.reveal()).toBe("value 9");
  });

  it("a file it cannot write (read-only folder): an error naming it; the file unchanged, no temp left", async () => {
    const text = await encryptPlaintext(TEN);
    const root = tempRepo({ "secrets/mail.sops.yaml": text });
    chmodSync(root, 0o755);
    chmodSync(join(root, "secrets"), 0o555);
    await expect(
      asUnprivileged(() => backend(root).set("mail/key-1", new SecretValue("x"))),
    ).rejects.toThrow(/^cannot write secrets\/mail\.sops\.yaml: permission denied \(EACCES\)$/);
    expect(readFileSync(join(root, "secrets/mail.sops.yaml"), "utf8")).toBe(text);
    expect(readdirSync(join(root, "secrets"))).toEqual(["mail.sops.yaml"]);
    chmodSync(join(root, "secrets"), 0o755);
    writeFileSync(join(root, "secrets/ro.sops.yaml"), text, { mode: 0o444 });
    await expect(
      asUnprivileged(() => backend(root).set("ro/key-1", new SecretValue("x"))),
    ).rejects.toThrow(/^cannot write secrets\/ro\.sops\.yaml: permission denied \(EACCES\)$/);
  });
});

describe("the sops backend on JSON and dotenv files", () => {
  it("sets a value in an existing JSON or dotenv file, changing that value's line", async () => {
    const json = await encryptPlaintext('{"a": "1", "b": {"c": [1, 2]}, "d": "3"}', "json");
    const env = await encryptPlaintext("A=1\n# note\nB=2\n", "dotenv");
    const root = tempRepo({ "secrets/j.sops.json": json, "secrets/e.sops.env": env });
    const b = backend(root);
    await b.set("j/a", new SecretValue("one"));
    await b.set("e/B", new SecretValue("two\nlines"));
    const j = readFileSync(join(root, "secrets/j.sops.json"), "utf8");
    expect(changedLines(json, j)).toEqual(['  "a":', '    "lastmodified":', '    "mac":']);
    const e = readFileSync(join(root, "secrets/e.sops.env"), "utf8");
    expect(changedLines(env, e)).toEqual([
      "B=ENC[AES256_GCM,data:",
      "sops_lastmodified=2026-01-02T03:",
      "sops_mac=ENC[AES256_GCM,data:",
    ]);
    expect(e.split("\n")[1]).toBe("# note");
    expect((await b.get("j/a"))?.reveal()).toBe("one");
    expect((await b.get("j/b"))?.reveal()).toBe('{\n  "c": [\n    1,\n    2\n  ]\n}');
    expect((await b.get("e/B"))?.reveal()).toBe("two\nlines");
    expect(await b.list()).toEqual(["e/A", "e/B", "j/a", "j/b", "j/d"]);
  });
});

describe("the sops backend on files the real sops wrote", () => {
  for (const [name, target, key, line] of [
    ["secret.enc.yaml", "secrets/fx.sops.yaml", "fx/string", "string:"],
    ["secret.enc.json", "secrets/fx.sops.json", "fx/string", '  "string":'],
  ] as const) {
    it(`${name}: a set changes that value's line, the MAC and lastmodified; the rest is kept`, async () => {
      const original = fixture(name);
      const root = tempRepo({ [target]: original });
      await backend(root).set(key, new SecretValue("changed"));
      const after = readFileSync(join(root, target), "utf8");
      const meta = target.endsWith(".json")
        ? ['    "lastmodified":', '    "mac":']
        : ["  lastmodified:", "  mac:"];
      expect(changedLines(original, after)).toEqual([line, ...meta]);
      expect((await backend(root).get(key))?.reveal()).toBe("changed");
      expect((await backend(root).get("fx/secret"))?.reveal()).toBe("this is a secret");
      const secretKey = fixture("key.txt")
        .split("\n")
        .find((l) => l.startsWith("AGE-SECRET-KEY-"))!;
      const fileType = target.endsWith(".json") ? "json" : "yaml";
      const plain = (await decryptSops(after, { secretKey, fileType })) as Record<string, unknown>;
      expect(plain.string).toBe("changed");
    });
  }
});
