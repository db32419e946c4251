import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { secretFilePrefix, secretValues, secretValuesInText } from "./sops-values.js";

const FIXTURES = new URL("../../test/fixtures/sops/", import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), "utf8");

function where(file: string, text: string): string[] {
  return secretValuesInText(file, text).map((v) => `${v.path} ${v.file}:${v.line}:${v.col}`);
}

describe("secret values in a SOPS file's text (the files the real sops wrote)", () => {
  it("YAML: one per top-level key, sops's metadata left out", () => {
    expect(where("secrets/app.sops.yaml", fixture("secret.enc.yaml"))).toEqual([
      "app/secret secrets/app.sops.yaml:1:1",
      "app/string secrets/app.sops.yaml:2:1",
      "app/int secrets/app.sops.yaml:3:1",
      "app/float secrets/app.sops.yaml:4:1",
      "app/boolean secrets/app.sops.yaml:5:1",
      "app/complex secrets/app.sops.yaml:6:1",
    ]);
  });

  it("JSON, with a numeric-looking key, and dotenv (sops_* is metadata)", () => {
    expect(where("secrets/a/b.sops.json", fixture("secret.enc.json"))).toEqual([
      "a/b/secret secrets/a/b.sops.json:2:3",
      "a/b/string secrets/a/b.sops.json:3:3",
      "a/b/int secrets/a/b.sops.json:4:3",
      "a/b/float secrets/a/b.sops.json:5:3",
      "a/b/boolean secrets/a/b.sops.json:6:3",
      "a/b/0word secrets/a/b.sops.json:7:3",
      "a/b/complex secrets/a/b.sops.json:8:3",
    ]);
    expect(where("secrets/env.sops.env", fixture("secret.enc.env"))).toEqual([
      "env/secret secrets/env.sops.env:1:1",
      "env/another_secret secrets/env.sops.env:2:1",
    ]);
  });

  it("the digest follows the key's encrypted text only: another key or the MAC does not move it", () => {
    const text = fixture("secret.enc.yaml");
    const before = secretValuesInText("secrets/x.sops.yaml", text);
    const macChanged = text.replace(/mac: ENC\[AES256_GCM,data:./, "mac: ENC[AES256_GCM,data:Z");
    const stringChanged = text.replace("data:LNzAFGse", "data:LNzAFGsf");
    const after = secretValuesInText("secrets/x.sops.yaml", macChanged);
    expect(after.map((v) => v.digest)).toEqual(before.map((v) => v.digest));
    const changed = secretValuesInText("secrets/x.sops.yaml", stringChanged);
    expect(changed.filter((v, i) => v.digest !== before[i]!.digest).map((v) => v.path)).toEqual([
      "x/string",
    ]);
    const nested = text.replace("data:dDBg", "data:dDBh");
    const inArray = secretValuesInText("secrets/x.sops.yaml", nested);
    expect(inArray.filter((v, i) => v.digest !== before[i]!.digest).map((v) => v.path)).toEqual([
      "x/complex",
    ]);
  });

  it("only files under secrets/ with a SOPS suffix; an empty value is no value", () => {
    expect(secretFilePrefix("secrets/mail.sops.yaml")).toBe("mail");
    expect(secretFilePrefix("secrets/a/b.sops.yml")).toBe("a/b");
    expect(secretFilePrefix("secrets/.sops.yaml")).toBeNull();
    expect(secretFilePrefix("config/mail.sops.yaml")).toBeNull();
    expect(secretFilePrefix("secrets/mail.yaml")).toBeNull();
    expect(where("secrets/m.sops.yaml", "a: ENC[x]\nb:\nc: ''\nsops: {}\n")).toEqual([
      "m/a secrets/m.sops.yaml:1:1",
    ]);
    // Top-level keys are read by line; a quoted key needs the YAML parser, which refuses this.
    expect(where("secrets/m.sops.yaml", "a: [unclosed\n")).toEqual(["m/a secrets/m.sops.yaml:1:1"]);
    expect(where("secrets/m.sops.yaml", '"a": [unclosed\n')).toEqual([]);
    expect(where("secrets/m.sops.yaml", '"q k": ENC[1]\nb: ENC[2]\n')).toEqual([
      "m/q k secrets/m.sops.yaml:1:1",
      "m/b secrets/m.sops.yaml:2:1",
    ]);
  });

  it("several files: sorted by path, the first file by name wins a path held twice", () => {
    const values = secretValues([
      { file: "secrets/b.sops.yaml", text: "z: ENC[1]\n" },
      { file: "secrets/a.sops.yml", text: "k: ENC[2]\n" },
      { file: "secrets/a.sops.yaml", text: "k: ENC[3]\n" },
    ]);
    expect(values.map((v) => `${v.path} ${v.file}`)).toEqual([
      "a/k secrets/a.sops.yaml",
      "b/z secrets/b.sops.yaml",
    ]);
  });
});
