import { describe, expect, it } from "vitest";
import defs from "../schemas/defs.schema.json" with { type: "json" };
import { isPulumiProvider } from "../renderers/pulumi/stack-config.js";
import { modelFromYaml } from "./yaml-model.js";
import {
  memoryProvider,
  PROVIDER_INFO,
  PROVIDER_NAMES,
  PULUMI_PROVIDERS,
} from "../core/provider.js";

describe("the provider registry", () => {
  it("lists exactly the provider kinds the schema accepts, each under its own name", () => {
    expect([...PROVIDER_NAMES].sort()).toEqual([...defs.$defs.provider.enum].sort());
    for (const name of PROVIDER_NAMES) expect(PROVIDER_INFO[name].name).toBe(name);
  });

  it("is what the Pulumi renderer asks to know which providers it writes stacks for", () => {
    expect(PULUMI_PROVIDERS).toEqual(["aws", "xcpng"]);
    for (const name of PROVIDER_NAMES) {
      expect(isPulumiProvider(name)).toBe(PROVIDER_INFO[name].lifecycle === "pulumi");
    }
  });
});

describe("the memory provider", async () => {
  const model = await modelFromYaml({
    "servers.yaml":
      "servers:\n  a: { provider: ssh }\n  b: { provider: ssh }\n  c: { provider: baremetal }\n",
  });

  it("plans one resource per server of its kind, and observes what was applied", async () => {
    const ssh = memoryProvider("ssh");
    const plans = ssh.plan(model);
    expect(plans.map((p) => p.resources.map((r) => r.urn))).toEqual([["ssh:a", "ssh:b"]]);
    expect(await ssh.observe()).toEqual([]);
    expect(await ssh.apply(plans)).toEqual([{ stack: "ssh", status: "applied" }]);
    const seen = await ssh.observe();
    expect(seen.map((s) => s.resources.map((r) => r.inputs))).toEqual([
      [
        { size: null, region: null },
        { size: null, region: null },
      ],
    ]);
  });

  it("keeps what it observed when an apply fails", async () => {
    const bm = memoryProvider("baremetal", { failOn: ["baremetal"] });
    const results = await bm.apply(bm.plan(model));
    expect(results[0]?.status).toBe("failed");
    expect(await bm.observe()).toEqual([]);
  });
});
