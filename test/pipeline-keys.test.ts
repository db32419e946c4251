/** Keys survive the whole pipeline (load, validate, resolve, render) as written, `__proto__` too. */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderAll } from "../reconciler/render.js";
import { modelFromYaml } from "./yaml-model.js";

const REPO = {
  "labels.yaml": [
    "labels:",
    "  odd:",
    "    puppet_classes:",
    "      profile::odd:",
    "        __proto__: { nested: true }",
    "        constructor: 1",
    "        plain: x",
    "",
  ].join("\n"),
  "servers.yaml": "servers:\n  box-1: { provider: ssh, labels: [odd], address: 10.0.0.9 }\n",
};

describe("a class parameter named __proto__", () => {
  it("reaches the resolved model and the ENC data as a plain key", async () => {
    const model = await modelFromYaml(REPO);
    const cls = model.servers[0]!.classes[0]!;
    expect(Object.keys(cls.params)).toEqual(["__proto__", "constructor", "plain"]);
    const label = model.labels[0]!;
    expect(Object.keys(label.classes[0]!.params)).toEqual(["__proto__", "constructor", "plain"]);
    const enc = renderAll(model, ["enc"]).value.find((a) => a.path === "enc/nodes/box-1.yaml")!;
    const doc = parse(enc.content) as { classes: Record<string, Record<string, unknown>> };
    const params = doc.classes["profile::odd"]!;
    expect(Object.keys(params)).toEqual(["__proto__", "constructor", "plain"]);
    expect(JSON.stringify(params)).toBe(
      '{"__proto__":{"nested":true},"constructor":1,"plain":"x"}',
    );
  });
});
