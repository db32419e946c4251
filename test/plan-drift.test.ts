/** Drift from Pulumi checkpoints (the `pulumi stack export` format, version 3, written by hand). */
import { describe, expect, test } from "vitest";
import { observedStack } from "../reconciler/plan/observed-stack.js";
import { planDrift } from "../reconciler/plan/plan-drift.js";

const URN = "urn:pulumi:xcpng-prod::lab::xenorchestra:index/vm:Vm::";

function checkpoint(resources: unknown[]): unknown {
  return {
    version: 3,
    deployment: {
      manifest: { time: "2026-12-01T00:00:00Z", magic: "x", version: "v3.248.0" },
      resources: [
        {
          urn: "urn:pulumi:xcpng-prod::lab::pulumi:pulumi:Stack::lab-xcpng-prod",
          type: "pulumi:pulumi:Stack",
        },
        {
          urn: "urn:pulumi:xcpng-prod::lab::pulumi:providers:xenorchestra::default",
          type: "pulumi:providers:xenorchestra",
        },
        ...resources,
      ],
    },
  };
}

const vm = (name: string, cpus: number) => ({
  urn: URN + name,
  custom: true,
  id: `id-${name}`,
  type: "xenorchestra:index/vm:Vm",
  inputs: { nameLabel: name, cpus },
  outputs: { nameLabel: name, cpus, ipv4Addresses: ["10.0.0.1"] },
});

describe("checkpoints as observed stacks", () => {
  test("resources sorted by URN with inputs and outputs; not a v3 export: null", () => {
    const stack = observedStack(
      "xcpng",
      "xcpng-prod",
      checkpoint([vm("mail-1", 4), { type: "no-urn" }]),
    );
    expect(stack!.resources.map((r) => r.urn.split("::").pop())).toEqual([
      "default",
      "lab-xcpng-prod",
      "mail-1",
    ]);
    expect(stack!.resources[2]).toEqual({
      urn: URN + "mail-1",
      type: "xenorchestra:index/vm:Vm",
      inputs: { nameLabel: "mail-1", cpus: 4 },
      outputs: { nameLabel: "mail-1", cpus: 4, ipv4Addresses: ["10.0.0.1"] },
    });
    expect(observedStack("xcpng", "xcpng-prod", { version: 2, deployment: {} })).toBeNull();
    expect(observedStack("xcpng", "xcpng-prod", "{}")).toBeNull();
  });

  test("an edited VM, a deleted one and one made by hand are drift; the same export is none", () => {
    const applied = observedStack(
      "xcpng",
      "xcpng-prod",
      checkpoint([vm("mail-1", 4), vm("ci-runner-1", 2)]),
    )!;
    const observed = observedStack(
      "xcpng",
      "xcpng-prod",
      checkpoint([vm("mail-1", 8), vm("hand-made", 2)]),
    )!;
    expect(planDrift({ applied: [applied], observed: [applied] })).toEqual([]);
    expect(planDrift({ applied: [applied], observed: [observed] })).toEqual([
      {
        kind: "missing",
        provider: "xcpng",
        stack: "xcpng-prod",
        urn: URN + "ci-runner-1",
        type: "xenorchestra:index/vm:Vm",
        fields: [],
      },
      {
        kind: "undeclared",
        provider: "xcpng",
        stack: "xcpng-prod",
        urn: URN + "hand-made",
        type: "xenorchestra:index/vm:Vm",
        fields: [],
      },
      {
        kind: "changed",
        provider: "xcpng",
        stack: "xcpng-prod",
        urn: URN + "mail-1",
        type: "xenorchestra:index/vm:Vm",
        fields: ["cpus"],
      },
    ]);
  });

  test("a stack only reported (never applied): all its resources undeclared", () => {
    const observed = observedStack("aws", "aws-dev", checkpoint([vm("x", 1)]))!;
    expect(planDrift({ applied: [], observed: [observed] }).map((d) => [d.kind, d.stack])).toEqual([
      ["undeclared", "aws-dev"],
    ]);
  });
});
