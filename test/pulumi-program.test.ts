/**
 * The Pulumi program on examples/infra-repo's stacks, run under Pulumi's own mock runtime (no
 * Pulumi CLI here), and the runner on the same stacks without the CLI. The program is compiled by
 * our tsc against @pulumi/aws's real types; the last test shows a wrong field does not compile.
 */
import type * as aws from "@pulumi/aws";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import { labProgram } from "../adapters/pulumi/lab-program.js";
import { dryRun } from "../adapters/pulumi/mock-run.js";
import type { RegisteredResource } from "../adapters/pulumi/mock-run.js";
import { readStacks } from "../adapters/pulumi/read-stacks.js";
import type { StackInput } from "../adapters/pulumi/read-stacks.js";
import { planStacks } from "../adapters/pulumi/stack-runner.js";
import type { Artifact } from "../core/renderer.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { pulumiRenderer } from "../renderers/pulumi/pulumi-renderer.js";

const example = join(fileURLToPath(new URL("..", import.meta.url)), "examples/infra-repo");
const SITE = { xcpng: { networkId: "net-eu-west", srId: "sr-nvme" } };
const GIB = 1024 * 1024 * 1024;

let artifacts: Artifact[] = [];
let stacks: StackInput[] = [];

beforeAll(async () => {
  const { model } = await checkRepo(dirSource(example));
  if (!model) throw new Error("the example repo does not resolve");
  artifacts = pulumiRenderer.render(model).value;
  const read = readStacks(artifacts);
  if (!read.ok) throw new Error(read.error.message);
  stacks = read.stacks;
});

async function registered(name: string): Promise<RegisteredResource[]> {
  const stack = stacks.find((s) => s.name === name);
  if (!stack) throw new Error(`no stack ${name}`);
  const { resources } = await dryRun(stack.project, stack.name, labProgram(stack.config, SITE));
  return resources;
}

/** type, name and the sizing inputs of each resource. */
function summary(resources: readonly RegisteredResource[]): string[] {
  return resources.map((r) => {
    const i = r.inputs;
    const volume = (i.rootBlockDevice as { volumeSize?: number } | undefined)?.volumeSize;
    if (r.type === "pulumi:providers:aws") return `${r.type} ${r.name} region=${String(i.region)}`;
    if (r.type === "aws:ec2/instance:Instance") {
      return `${r.type} ${r.name} ${String(i.instanceType)} ${volume ?? "-"}GB ami=${typeof i.ami === "string" ? i.ami : "-"}`;
    }
    const memory = Number(i.memoryMax) / GIB;
    return `${r.type} ${r.name} cpus=${String(i.cpus)} memory=${memory}GiB template=${String(i.template)}`;
  });
}

describe("the Pulumi program on the example's stacks (Pulumi's mock runtime)", () => {
  it("has the example's five stacks", () => {
    expect(stacks.map((s) => `${s.project}/${s.name}`)).toEqual([
      "acme-infra/aws-dev",
      "acme-infra/aws-prod",
      "acme-infra/aws-staging",
      "acme-infra/xcpng-dev",
      "acme-infra/xcpng-prod",
    ]);
  });

  it("registers one EC2 instance per aws server with the size's instance type and volume", async () => {
    const EC2 = "aws:ec2/instance:Instance";
    const PROVIDER = "pulumi:providers:aws aws-eu-west-1 region=eu-west-1";
    expect(summary(await registered("aws-prod"))).toEqual([
      PROVIDER,
      `${EC2} api-1 t3.large 100GB ami=ami-0a1b2c3d4e5f60718`,
      `${EC2} api-2 t3.large 100GB ami=ami-0a1b2c3d4e5f60718`,
      `${EC2} batch-worker-1 m6i.4xlarge 2000GB ami=ami-0a1b2c3d4e5f60718`,
      `${EC2} legacy-node-3 t3.large 100GB ami=ami-0a1b2c3d4e5f60718`,
      `${EC2} mail-2 t3.large 100GB ami=ami-0a1b2c3d4e5f60718`,
      `${EC2} worker-4 m6i.2xlarge 500GB ami=ami-0a1b2c3d4e5f60718`,
      `${EC2} worker-5 m6i.2xlarge 500GB ami=ami-0a1b2c3d4e5f60718`,
    ]);
    expect(summary(await registered("aws-dev"))).toEqual([
      PROVIDER,
      `${EC2} test-box-1 t3.medium 40GB ami=ami-0a1b2c3d4e5f60718`,
    ]);
    expect(summary(await registered("aws-staging"))).toEqual([
      PROVIDER,
      `${EC2} worker-3 m6i.2xlarge 500GB ami=ami-0a1b2c3d4e5f60718`,
    ]);
  });

  it("tags each instance with lab's labels, groups, environment and size", async () => {
    const mail2 = (await registered("aws-prod")).find((r) => r.name === "mail-2");
    expect(mail2?.inputs.tags).toEqual({
      Name: "mail-2",
      "lab:environment": "prod",
      "lab:groups": "all-except-staging,production,production-mail",
      "lab:labels": "eu-west,mailserver,production",
      "lab:region": "eu-west",
      "lab:repo": "acme-infra",
      "lab:size": "medium",
    });
    // lab.regions.aws maps the example's eu-west to eu-west-1: the explicit regional provider.
    expect(mail2?.provider).toMatch(/::pulumi:providers:aws::aws-eu-west-1::/);
  });

  it("registers one Xen Orchestra VM per xcpng server with cpus and memory from its size", async () => {
    const VM = "xenorchestra:index/vm:Vm";
    expect(summary(await registered("xcpng-prod"))).toEqual([
      `${VM} mail-1 cpus=4 memory=8GiB template=debian-12`,
      `${VM} monitoring-1 cpus=4 memory=8GiB template=debian-12`,
      `${VM} storage-1 cpus=16 memory=64GiB template=debian-12`,
      `${VM} storage-2 cpus=16 memory=64GiB template=debian-12`,
    ]);
    const dev = await registered("xcpng-dev");
    expect(summary(dev)).toEqual([
      `${VM} ci-runner-1 cpus=4 memory=8GiB template=debian-12`,
      `${VM} exp-storage-1 cpus=8 memory=32GiB template=debian-12`,
    ]);
    expect(dev[1]?.inputs.disks).toEqual([
      { srId: "sr-nvme", nameLabel: "exp-storage-1-root", size: 500 * GIB },
    ]);
    expect(dev[1]?.inputs.tags).toEqual([
      "lab:environment=dev",
      "lab:group=all-except-staging",
      "lab:group=eu-west-storage",
      "lab:label=development",
      "lab:label=eu-west",
      "lab:label=experimental",
      "lab:label=storage-node",
      "lab:region=eu-west",
      "lab:repo=acme-infra",
      "lab:size=large",
    ]);
  });

  it("stand-in (absence of the CLI): planning the example's stacks asks for the Pulumi CLI", async () => {
    const outcome = await planStacks(artifacts, {
      signal: new AbortController().signal,
      site: SITE,
      searchPath: "",
    });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: "PULUMI_CLI_MISSING",
        message:
          "the Pulumi CLI is not installed: install it from https://www.pulumi.com/docs/install/ " +
          "to plan stacks aws-dev, aws-prod, aws-staging, xcpng-dev, xcpng-prod",
        stacks: ["aws-dev", "aws-prod", "aws-staging", "xcpng-dev", "xcpng-prod"],
      },
    });
  });

  it("type-checks EC2 arguments against @pulumi/aws (a misspelt field does not compile)", () => {
    const good: aws.ec2.InstanceArgs = { instanceType: "t3.large", tags: { Name: "x" } };
    // @ts-expect-error -- `instance_type` is not an input of aws.ec2.Instance (tsc checks this line)
    const bad: aws.ec2.InstanceArgs = { instance_type: "t3.large" };
    expect([good.instanceType, Object.keys(bad)]).toEqual(["t3.large", ["instance_type"]]);
  });
});
