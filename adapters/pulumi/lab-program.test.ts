/**
 * The program under Pulumi's own mock runtime (no CLI here): the resources it registers for the
 * stacks of a small repo (renderers/pulumi/fixtures/stacks-repo.ts, through the real pipeline). The program is compiled against @pulumi/aws's real types by tsc.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { LabError } from "../../core/errors.js";
import { buildStacks } from "../../renderers/pulumi/build-stacks.js";
import type { StackSet } from "../../renderers/pulumi/build-stacks.js";
import { STACKS_REPO } from "../../renderers/pulumi/fixtures/stacks-repo.js";
import type { StackConfig } from "../../renderers/pulumi/stack-config.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { awsInstanceArgs, labProgram } from "./lab-program.js";
import { dryRun } from "./mock-run.js";
import { XO_VM_TYPE } from "./xo-vm.js";

const SITE = { xcpng: { networkId: "net-1", srId: "sr-1" } };
const GIB = 1024 * 1024 * 1024;

let stacks: StackSet;
beforeAll(async () => {
  stacks = buildStacks(await modelFromYaml(STACKS_REPO));
});

function stack(name: string): StackConfig {
  const found = stacks.stacks.find((s) => s.name === name);
  if (!found) throw new Error(`no stack ${name}`);
  return found.config;
}

describe("labProgram under Pulumi's mocks", () => {
  it("registers an EC2 instance with its type, AMI, volume and tags, through a regional provider", async () => {
    const { resources, outputs } = await dryRun(
      "acme-infra",
      "aws-prod",
      labProgram(stack("aws-prod")),
    );
    expect(resources.map((r) => [r.type, r.name])).toEqual([
      ["pulumi:providers:aws", "aws-eu-west-1"],
      ["aws:ec2/instance:Instance", "api-1"],
    ]);
    expect(resources[0]?.inputs.region).toBe("eu-west-1");
    expect(resources[1]?.inputs).toEqual({
      instanceType: "t3.nano",
      ami: "ami-0a1b2c3d4e5f60718",
      tags: {
        Name: "api-1",
        "lab:environment": "prod",
        "lab:groups": "production",
        "lab:labels": "web",
        "lab:region": "eu-west-1",
        "lab:repo": "acme infra",
        "lab:size": "tiny",
      },
    });
    expect(resources[1]?.provider).toBe(
      "urn:pulumi:aws-prod::acme-infra::pulumi:providers:aws::aws-eu-west-1::aws-eu-west-1-id",
    );
    expect(outputs).toEqual({ "api-1": "api-1-id" });
  });

  it("uses the default AWS provider for a server without an AWS region", async () => {
    const { resources } = await dryRun(
      "acme-infra",
      "aws-staging",
      labProgram(stack("aws-staging")),
    );
    expect(resources).toEqual([
      {
        type: "aws:ec2/instance:Instance",
        name: "mail-2",
        provider: "",
        inputs: {
          instanceType: "t3.large",
          rootBlockDevice: { volumeSize: 100 },
          tags: {
            Name: "mail-2",
            "lab:environment": "staging",
            "lab:labels": "mailserver",
            "lab:repo": "acme infra",
            "lab:size": "medium",
          },
        },
      },
    ]);
  });

  it("registers a Xen Orchestra VM with cpus, memory and disk in bytes, and lab's tags", async () => {
    const program = labProgram(stack("xcpng-prod"), SITE);
    const { resources } = await dryRun("acme-infra", "xcpng-prod", program);
    expect(resources).toEqual([
      {
        type: XO_VM_TYPE,
        name: "mail-1",
        provider: "",
        inputs: {
          nameLabel: "mail-1",
          nameDescription: "lab server mail-1 (size medium)",
          template: "ubuntu-24.04",
          cpus: 4,
          memoryMax: 8 * GIB,
          networks: [{ networkId: "net-1" }],
          disks: [{ srId: "sr-1", nameLabel: "mail-1-root", size: 100 * GIB }],
          tags: [
            "lab:environment=prod",
            "lab:group=production",
            "lab:group=production-mail",
            "lab:label=mailserver",
            "lab:region=eu-west",
            "lab:repo=acme infra",
            "lab:size=medium",
          ],
          autoPoweron: true,
        },
      },
    ]);
    expect(XO_VM_TYPE).toBe("xenorchestra:index/vm:Vm");
  });

  it("takes the site's template for servers without an image, and refuses what it cannot place", async () => {
    await expect(labProgram(stack("xcpng-prod"))()).rejects.toBeInstanceOf(LabError);
    const config = stack("xcpng-prod");
    if (config.provider !== "xcpng") throw new Error("not xcpng");
    const noImage = { ...config.servers["mail-1"]! };
    delete noImage.image;
    const broken: StackConfig = { ...config, servers: { "mail-1": noImage } };
    await expect(labProgram(broken, SITE)()).rejects.toThrow(
      "xcpng server mail-1 has no image and the site no template",
    );
    const site = { xcpng: { ...SITE.xcpng, template: "tmpl-debian-12" } };
    const { resources } = await dryRun("acme-infra", "xcpng-prod", labProgram(broken, site));
    expect(resources[0]?.inputs.template).toBe("tmpl-debian-12");
  });

  it("builds EC2 arguments of @pulumi/aws's own InstanceArgs type", () => {
    const config = stack("aws-prod");
    if (config.provider !== "aws") throw new Error("not aws");
    const args = awsInstanceArgs(config.servers["api-1"]!);
    expect(args.instanceType).toBe("t3.nano");
    expect(args.rootBlockDevice).toBeUndefined();
  });
});
