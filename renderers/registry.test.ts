import { describe, expect, it } from "vitest";
import { RENDERER_NAMES } from "../core/renderer.js";
import { RENDERERS, isRendererName } from "./registry.js";

describe("renderer registry", () => {
  it("has exactly one renderer per name, each under its own name", () => {
    expect([...RENDERERS.keys()].sort()).toEqual([...RENDERER_NAMES].sort());
    for (const [name, renderer] of RENDERERS) expect(renderer.name).toBe(name);
  });

  it("recognises renderer names", () => {
    expect(isRendererName("naemon")).toBe(true);
    expect(isRendererName("nagios")).toBe(false);
  });
});
