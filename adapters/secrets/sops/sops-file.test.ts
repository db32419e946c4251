import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { decryptSops } from "sops-age";
import { afterAll, describe, expect, it } from "vitest";
import type { SopsFormat } from "./secret-files.js";
import { decryptLeaf } from "./sops-crypto.js";
import { decryptSopsDocument, parseSopsText } from "./sops-file.js";
import { readMetadata } from "./sops-metadata.js";
import { toPlainData } from "./sops-tree.js";
import type { EncryptionRules } from "./sops-tree.js";
import {
  encryptPlaintext,
  fixture,
  FIXTURE_KEY,
  fixtureIdentities,
  removeTempRepos,
  tempRepo,
} from "./sops-test-kit.js";

afterAll(removeTempRepos);

const SECRET_JSON = JSON.parse(fixture("secret.json")) as Record<string, unknown>;
const AGE_KEY = fixture("key.txt")
  .split("\n")
  .find((l) => l.startsWith("AGE-SECRET-KEY-"))!;

async function decrypt(name: string, text: string, format: SopsFormat) {
  return decryptSopsDocument(name, parseSopsText(name, text, format), await fixtureIdentities());
}

async function plainOf(name: string, text: string, format: SopsFormat = "yaml") {
  return toPlainData((await decrypt(name, text, format)).plain);
}

describe("files written by the real sops", () => {
  it("secret.enc.json (sops 3.9.2) decrypts to exactly secret.json, MAC verified", async () => {
    expect(await plainOf("secret.enc.json", fixture("secret.enc.json"), "json")).toEqual(
      SECRET_JSON,
    );
  });

  it("secret.enc.yaml (sops 3.8.1) decrypts to secret.json's values (it holds all but 0word)", async () => {
    const rest = Object.fromEntries(Object.entries(SECRET_JSON).filter(([k]) => k !== "0word"));
    const got = await plainOf("secret.enc.yaml", fixture("secret.enc.yaml"));
    expect(got).toEqual(rest);
    expect(Object.keys(got as object)).toEqual(Object.keys(rest));
  });

  it("secret.enc.env (sops 3.8.1) decrypts to its two strings", async () => {
    expect(await plainOf("secret.enc.env", fixture("secret.enc.env"), "dotenv")).toEqual({
      secret: "this is a secret",
      another_secret: "7",
    });
  });

  it("keeps the value types: int, float, bool, string, nested map, list", async () => {
    const d = await decrypt("secret.enc.yaml", fixture("secret.enc.yaml"), "yaml");
    const types = d.plain.entries.map((e) => [
      e.key,
      e.value.kind === "scalar" ? typeof e.value.value : e.value.kind,
    ]);
    expect(types).toEqual([
      ["secret", "string"],
      ["string", "string"],
      ["int", "number"],
      ["float", "number"],
      ["boolean", "boolean"],
      ["complex", "map"],
    ]);
  });
});

/** The fixture with `from` replaced by `to` once (the edit must apply). */
function edited(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out).not.toBe(text);
  return out;
}

describe("tampering is refused, naming the file (and the key where known)", () => {
  const yaml = fixture("secret.enc.yaml");
  const cases: [string, string, string | RegExp][] = [
    [
      "a value's data",
      yaml.replace("data:ME9a8+qq", "data:ME9a8+qr"),
      /^t\.yaml \(key "secret"\): its value does not decrypt/,
    ],
    [
      "a value's iv",
      yaml.replace("iv:uhdG6vcU", "iv:uhdG6vcV"),
      /^t\.yaml \(key "secret"\): its value does not decrypt/,
    ],
    [
      "a value's tag",
      yaml.replace("tag:llVdEID4", "tag:llVdEID5"),
      /^t\.yaml \(key "secret"\): its value does not decrypt/,
    ],
    [
      "a nested value",
      yaml.replace("data:dDBg", "data:dDBh"),
      /^t\.yaml \(key "complex\/array"\): its value does not decrypt/,
    ],
    [
      "a removed key",
      yaml.replace(/^string: .*\n/m, ""),
      /^t\.yaml: its MAC does not match its values/,
    ],
    [
      "a removed list item",
      yaml.replace(/^ {4}- ENC\[AES256_GCM,data:SBYe.*\n/m, ""),
      /^t\.yaml: its MAC does not match/,
    ],
    [
      "an added plaintext key",
      yaml.replace("secret: ", "added: hello\nsecret: "),
      /^t\.yaml \(key "added"\): its value is not a SOPS encrypted value/,
    ],
    [
      "an added unencrypted key",
      yaml.replace("secret: ", "x_unencrypted: hi\nsecret: "),
      /^t\.yaml: its MAC does not match/,
    ],
    [
      "a value moved to another key",
      yaml.replace(/^string: /m, "moved: "),
      /^t\.yaml \(key "moved"\): its value does not decrypt/,
    ],
    [
      "the MAC",
      yaml.replace("mac: ENC[AES256_GCM,data:VkH", "mac: ENC[AES256_GCM,data:VkI"),
      /^t\.yaml: its MAC does not decrypt/,
    ],
    [
      "lastmodified",
      yaml.replace("2024-03-25T22:08:10Z", "2024-03-25T22:08:11Z"),
      /^t\.yaml: its MAC does not decrypt/,
    ],
    ["the MAC removed", yaml.replace(/^ {2}mac: .*\n/m, ""), /^t\.yaml: has no sops\.mac/],
  ];
  for (const [what, text, error] of cases) {
    it(what, async () => {
      expect(text).not.toBe(yaml);
      await expect(decrypt("t.yaml", text, "yaml")).rejects.toThrow(error);
    });
  }

  it("in JSON and dotenv files too", async () => {
    const json = edited(
      fixture("secret.enc.json"),
      '"0word": "ENC[AES256_GCM,data:S',
      '"0word": "ENC[AES256_GCM,data:T',
    );
    await expect(decrypt("t.json", json, "json")).rejects.toThrow(
      /^t\.json \(key "0word"\): its value does not decrypt/,
    );
    const env = edited(fixture("secret.enc.env"), /^another_secret=.*\n/m, "");
    await expect(decrypt("t.env", env, "dotenv")).rejects.toThrow(
      /^t\.env: its MAC does not match/,
    );
  });
});

describe("numeric-looking keys", () => {
  it('"123" and 1 are string keys: encrypted under their text, the MAC verified, 1 written as "1"', async () => {
    const text = await encryptPlaintext('"123": x\n1: y\nnested:\n  2: z\n');
    // sops refuses a key YAML reads as a number, so lab writes it as the string sops reads.
    expect(text).toMatch(/^"123": ENC\[/);
    expect(text).toMatch(/\n"1": ENC\[/);
    expect(text).toMatch(/\n {2}"2": ENC\[/);
    const d = await decrypt("n.yaml", text, "yaml");
    expect(d.plain.entries.map((e) => e.key)).toEqual(["123", "1", "nested"]);
    expect(toPlainData(d.plain)).toEqual({ "123": "x", "1": "y", nested: { "2": "z" } });
    const [first, second] = d.doc.data.entries;
    const aad = (node: typeof first, path: string) =>
      node?.value.kind === "scalar"
        ? decryptLeaf(String(node.value.value), d.dataKey, path).text
        : null;
    expect(aad(first, "123:")).toBe("x");
    expect(aad(second, "1:")).toBe("y");
    // sops-age leaves digit-only keys out of the additional data (it takes them for list
    // indexes), so it cannot decrypt what sops writes for them.
    await expect(decryptSops(text, { secretKey: AGE_KEY, fileType: "yaml" })).rejects.toThrow(
      /AES-GCM decryption failed at path \["1"\]/,
    );
  });

  it("a file with an unquoted number key (which sops never writes) is read with the key's text", async () => {
    const text = (await encryptPlaintext('"1": y\n')).replace('"1": ', "1: ");
    expect(await plainOf("n.yaml", text)).toEqual({ "1": "y" });
  });
});

describe("encryption rules, as sops applies them", () => {
  async function roundTrip(plain: string, rules: EncryptionRules) {
    const text = await encryptPlaintext(plain, "yaml", rules);
    return { text, meta: readMetadata("r.yaml", parseSopsText("r.yaml", text, "yaml").meta) };
  }

  it("unencrypted_suffix (the default): such values stay plain and are in the MAC", async () => {
    const { text, meta } = await roundTrip("a: 1\nnote_unencrypted: hello\n", {});
    expect(meta.rules).toEqual({ unencryptedSuffix: "_unencrypted" });
    expect(text).toContain("note_unencrypted: hello\n");
    expect(text).toMatch(/^a: ENC\[.*type:int\]$/m);
    await expect(decrypt("r.yaml", text.replace("hello", "hullo"), "yaml")).rejects.toThrow(
      /MAC does not match/,
    );
  });

  it("mac_only_encrypted: unencrypted values are outside the MAC, which starts as sops's does", async () => {
    const { text } = await roundTrip("a: 1\nnote_unencrypted: hello\n", { macOnlyEncrypted: true });
    const d = await decrypt("r.yaml", text, "yaml");
    const { createHash } = await import("node:crypto");
    const expected = createHash("sha512")
      .update(
        Buffer.from("8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69", "hex"),
      )
      .update("1")
      .digest("hex")
      .toUpperCase();
    expect(decryptLeaf(d.meta.mac, d.dataKey, d.meta.lastModified).text).toBe(expected);
    expect(text).toContain("mac_only_encrypted: true\n");
    expect(await plainOf("r.yaml", text.replace("hello", "hullo"))).toEqual({
      a: 1,
      note_unencrypted: "hullo",
    });
  });

  it("encrypted_regex: only values under a matching key are encrypted", async () => {
    const { text } = await roundTrip("data:\n  pw: s\nmeta:\n  name: n\n", {
      encryptedRegex: "^data$",
    });
    expect(text).toMatch(/^ {2}pw: ENC\[/m);
    expect(text).toContain("  name: n\n");
    expect(await plainOf("r.yaml", text)).toEqual({ data: { pw: "s" }, meta: { name: "n" } });
  });

  it("encrypted_suffix and unencrypted_regex", async () => {
    const s = await roundTrip("pw_secret: s\nname: n\n", { encryptedSuffix: "_secret" });
    expect(s.text).toMatch(/^pw_secret: ENC\[/m);
    expect(s.text).toContain("\nname: n\n");
    const r = await roundTrip("public_name: n\npw: s\n", { unencryptedRegex: "^public" });
    expect(r.text).toContain("public_name: n\n");
    expect(r.text).toMatch(/^pw: ENC\[/m);
    expect(await plainOf("r.yaml", r.text)).toEqual({ public_name: "n", pw: "s" });
  });
});

describe("files written by lab", () => {
  const plain =
    "# top\nsecret: this is a secret\nint: 7\nfloat: 3.14\nboolean: true\ncomplex:\n  value: v\n  array: [one, two]\n";
  const data = {
    secret: "this is a secret",
    int: 7,
    float: 3.14,
    boolean: true,
    complex: { value: "v", array: ["one", "two"] },
  };

  for (const format of ["yaml", "json", "dotenv"] as const) {
    it(`${format}: decrypt with sops-age to the same plaintext`, async () => {
      const source =
        format === "yaml"
          ? plain
          : format === "json"
            ? JSON.stringify(data)
            : "secret=this is a secret\n# c\nother=two\nlines\n";
      const text = await encryptPlaintext(
        format === "dotenv" ? source.replace("two\nlines", "two\\nlines") : source,
        format,
      );
      const expected =
        format === "dotenv" ? { secret: "this is a secret", other: "two\nlines" } : data;
      expect(
        await decryptSops(text, {
          secretKey: AGE_KEY,
          fileType: format === "dotenv" ? "env" : format,
        }),
      ).toEqual(expected);
      expect(await plainOf("f", text, format)).toEqual(expected);
    });
  }

  it("their data key decrypts with the age CLI", async () => {
    const text = await encryptPlaintext(plain);
    const d = await decrypt("f.yaml", text, "yaml");
    const dir = tempRepo();
    writeFileSync(join(dir, "key.age"), d.meta.age[0]!.enc);
    const key = execFileSync("/usr/bin/age", ["-d", "-i", FIXTURE_KEY, join(dir, "key.age")]);
    expect(key.length).toBe(32);
    expect(Buffer.from(d.dataKey).equals(key)).toBe(true);
  });

  it("keep comments and key order", async () => {
    const text = await encryptPlaintext(plain);
    expect(text.startsWith("# top\nsecret: ENC[")).toBe(true);
    expect(
      text
        .split("\n")
        .map((l) => /^(\s*[\w-]+):/.exec(l)?.[1])
        .filter(Boolean)
        .slice(0, 8),
    ).toEqual(["secret", "int", "float", "boolean", "complex", "  value", "  array", "sops"]);
  });
});
