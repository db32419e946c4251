import { describe, expect, it } from "vitest";
import type { Diagnostic, DiagnosticCode } from "../core/diagnostics.js";
import type { UnloadedPart } from "../core/model.js";
import { orderByCause } from "./consequences.js";

function diag(file: string, line: number, code: DiagnosticCode, name?: string): Diagnostic {
  return {
    file,
    line,
    col: 1,
    severity: "error",
    code,
    pointer: "",
    message: `${code} ${name ?? ""}`,
    ...(name !== undefined ? { name } : {}),
  };
}

const brokenSizes: UnloadedPart = {
  path: "sizes.yaml",
  section: null,
  cause: diag("sizes.yaml", 4, "LAB001"),
  names: ["abstract", "cores", "large", "providers", "sizes", "xlarge"],
  opaque: false,
};

describe("orderByCause", () => {
  it("puts the root cause first and marks what follows from the file that did not load", () => {
    const out = orderByCause(
      [
        diag("a.yaml", 1, "LAB204", "xlarge"),
        diag("b.yaml", 2, "LAB204", "huge"),
        brokenSizes.cause,
        diag("c.yaml", 9, "LAB230"),
      ],
      [brokenSizes],
    );
    expect(out.consequences).toBe(2);
    expect(out.diagnostics.map((d) => [d.file, d.code, d.followsFrom?.file ?? null])).toEqual([
      ["b.yaml", "LAB204", null],
      ["sizes.yaml", "LAB001", null],
      ["a.yaml", "LAB204", "sizes.yaml"],
      ["c.yaml", "LAB230", "sizes.yaml"],
    ]);
    expect(out.diagnostics[2]!.followsFrom).toEqual({
      file: "sizes.yaml",
      line: 4,
      col: 1,
      code: "LAB001",
    });
  });

  it("an unreadable file may define anything: every missing name follows from it", () => {
    const unreadable: UnloadedPart = {
      path: "labels.yaml",
      section: null,
      cause: diag("labels.yaml", 1, "LAB006"),
      names: [],
      opaque: true,
    };
    const out = orderByCause([diag("s.yaml", 3, "LAB200", "web")], [unreadable]);
    expect(out.diagnostics[0]!.followsFrom?.code).toBe("LAB006");
  });

  it("changes nothing when everything loaded, and never marks other codes", () => {
    const ds = [diag("b.yaml", 2, "LAB101"), diag("a.yaml", 1, "LAB204", "x")];
    expect(orderByCause(ds, [])).toEqual({ diagnostics: [ds[1], ds[0]], consequences: 0 });
    expect(orderByCause([diag("b.yaml", 2, "LAB101")], [brokenSizes]).consequences).toBe(0);
  });
});
