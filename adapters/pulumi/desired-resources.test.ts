/**
 * The desired resources of examples/infra-repo's rendered stacks, named as Pulumi names them, and
 * checked against what the program registers under Pulumi's own mock runtime (no Pulumi CLI here).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProviderPlan } from "../../core/provider.js";
import type { Artifact } from "../../core/renderer.js";
import { checkRepo } from "../../reconciler/check-repo.js";
import { pulumiRenderer } from "../../renderers/pulumi/pulumi-renderer.js";
import { dirSource } from "../fs/dir-source.js";
import { desiredResources, resourceUrn } from "./desired-resources.js";
import { labProgram } from "./lab-program.js";
import { dryRun } from "./mock-run.js";
import { readStacks } from "./read-stacks.js";

const example = join(fileURLToPath(new URL("../..", import.meta.url)), "examples/infra-repo");
const SITE = { xcpng: { networkId: "net-eu-west", srId: "sr-nvme" } };
const EC2 = "aws:ec2/instance:Instance";
const VM = "xenorchestra:index/vm:Vm";

let artifacts: Artifact[] = [];
beforeAll(async () => {
  const { model } = await checkRepo(dirSource(example));
  if (!model) throw new Error("the example repo does not resolve");
  artifacts = pulumiRenderer.render(model).value;
});

function plain(value: object): unknown {
  return JSON.parse(JSON.stringify(value));
}

function names(plans: readonly ProviderPlan[]): string[] {
  return plans.flatMap((p) =>
    p.resources.map((r) => `${p.provider} ${r.urn}${r.inputs ? "" : " (no inputs)"}`),
  );
}

describe("desiredResources (Pulumi's mock runtime)", () => {
  it("gives every rendered stack's resources with Pulumi's URNs", async () => {
    const plans = await desiredResources(artifacts, SITE);
    expect(plans.map((p) => `${p.provider}/${p.stack}`)).toEqual([
      "aws/aws-dev",
      "aws/aws-prod",
      "aws/aws-staging",
      "xcpng/xcpng-dev",
      "xcpng/xcpng-prod",
    ]);
    const u = (stack: string, type: string, name: string) =>
      `urn:pulumi:${stack}::acme-infra::${type}::${name}`;
    const provider = "pulumi:providers:aws";
    expect(names(plans.filter((p) => p.stack === "aws-dev" || p.stack === "xcpng-dev"))).toEqual([
      `aws ${u("aws-dev", provider, "aws-eu-west-1")}`,
      `aws ${u("aws-dev", EC2, "test-box-1")}`,
      `xcpng ${u("xcpng-dev", VM, "ci-runner-1")}`,
      `xcpng ${u("xcpng-dev", VM, "exp-storage-1")}`,
    ]);
    const testBox = plans[0]?.resources[1];
    expect(testBox?.inputs?.instanceType).toBe("t3.medium");
    expect(testBox?.inputs?.rootBlockDevice).toEqual({ volumeSize: 40 });
  });

  it("gives what the program registers under Pulumi's own mock runtime, URNs and inputs", async () => {
    const read = readStacks(artifacts);
    if (!read.ok) throw new Error(read.error.message);
    const plans = await desiredResources(artifacts, SITE);
    for (const stack of read.stacks) {
      const run = await dryRun(stack.project, stack.name, labProgram(stack.config, SITE));
      const registered = run.resources.map((r) => ({
        type: r.type,
        name: r.name,
        inputs: r.type.startsWith("pulumi:providers:") ? null : plain(r.inputs),
      }));
      const planned = plans.find((p) => p.stack === stack.name)!.resources;
      expect(
        planned.map((r) => ({
          type: r.type,
          name: r.urn.split("::").pop(),
          inputs: r.type.startsWith("pulumi:providers:") ? null : r.inputs,
        })),
      ).toEqual(registered);
      // The runtime names the regional provider in each instance's reference: the same URN.
      const ref = run.resources.find((r) => r.provider !== "")?.provider;
      if (ref !== undefined) {
        const urn = ref.slice(0, ref.lastIndexOf("::"));
        expect(planned.map((r) => r.urn)).toContain(urn);
      }
    }
    expect(plans.find((p) => p.stack === "aws-prod")!.resources[0]!.urn).toBe(
      resourceUrn("aws-prod", "acme-infra", "pulumi:providers:aws", "aws-eu-west-1"),
    );
  });

  it("without the site's Xen Orchestra ids, gives the xcpng VMs without inputs", async () => {
    const plans = await desiredResources(artifacts);
    expect(names(plans.filter((p) => p.stack === "xcpng-dev"))).toEqual([
      `xcpng urn:pulumi:xcpng-dev::acme-infra::${VM}::ci-runner-1 (no inputs)`,
      `xcpng urn:pulumi:xcpng-dev::acme-infra::${VM}::exp-storage-1 (no inputs)`,
    ]);
    expect(plans.find((p) => p.stack === "aws-dev")?.resources[1]?.inputs).toBeDefined();
  });

  it("gives nothing for artifacts without stacks, and stops when aborted", async () => {
    expect(await desiredResources(artifacts.filter((a) => !a.path.includes("/Pulumi.")))).toEqual(
      [],
    );
    const signal = AbortSignal.abort();
    await expect(desiredResources(artifacts, SITE, signal)).rejects.toThrow();
  });
});
