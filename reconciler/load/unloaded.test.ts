import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import {
  compareUnloaded,
  fileUnloaded,
  nameWords,
  sectionNames,
  sectionUnloaded,
} from "./unloaded.js";

const cause: Diagnostic = {
  file: "a.yaml",
  line: 1,
  col: 1,
  severity: "error",
  code: "LAB001",
  pointer: "",
  message: "x",
};

describe("nameWords", () => {
  it("takes every name-like word once, sorted, without trailing punctuation", () => {
    expect(
      nameWords(
        [
          "servers:",
          "  web-01: { provider: aws, size: xlarge, labels: [web, k8s-worker] }",
          "  # web-01 again, see docs/servers.md.",
          "labels: { db: { puppet_classes: [postgresql::server], secrets: [db/root-pw] } }",
          "  bad: [unclosed",
          "",
        ].join("\n"),
      ),
    ).toEqual([
      "again",
      "aws",
      "bad",
      "db",
      "db/root-pw",
      "docs/servers.md",
      "k8s-worker",
      "labels",
      "postgresql::server",
      "provider",
      "puppet_classes",
      "secrets",
      "see",
      "servers",
      "size",
      "unclosed",
      "web",
      "web-01",
      "xlarge",
    ]);
  });

  it("finds nothing in punctuation and blank text", () => {
    expect(nameWords("")).toEqual([]);
    expect(nameWords(" - : { } [ ] # ---\n")).toEqual([]);
  });
});

describe("sectionNames", () => {
  it("names the keys of a mapping and the names of a list's items", () => {
    expect(sectionNames({ web: {}, db: 1 })).toEqual(["db", "web"]);
    expect(sectionNames([{ name: "b_alert" }, { name: "a_alert" }, { other: 1 }, "c", 5])).toEqual([
      "a_alert",
      "b_alert",
      "c",
    ]);
    expect(sectionNames("web-01")).toEqual(["web-01"]);
    expect(sectionNames(null)).toEqual([]);
    expect(sectionNames(42)).toEqual([]);
  });
});

describe("unloaded parts", () => {
  it("is opaque when nothing of the file was read", () => {
    expect(fileUnloaded("a.yaml", cause, null)).toEqual({
      path: "a.yaml",
      section: null,
      cause,
      names: [],
      opaque: true,
    });
    expect(fileUnloaded("a.yaml", cause, "servers: [x")).toMatchObject({
      names: ["servers", "x"],
      opaque: false,
    });
  });

  it("sorts by path, then section, the whole file first", () => {
    const parts = [
      sectionUnloaded("b.yaml", "lables", cause, {}),
      sectionUnloaded("a.yaml", "server", cause, {}),
      fileUnloaded("b.yaml", cause, null),
      sectionUnloaded("b.yaml", "alert", cause, []),
    ].sort(compareUnloaded);
    expect(parts.map((p) => `${p.path} ${p.section}`)).toEqual([
      "a.yaml server",
      "b.yaml null",
      "b.yaml alert",
      "b.yaml lables",
    ]);
  });
});
