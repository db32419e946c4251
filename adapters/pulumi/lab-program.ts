/**
 * The Pulumi program: registers one resource per server of a rendered stack config
 * (renderers/pulumi/stack-config.ts). aws servers become `aws.ec2.Instance`s (one explicit AWS
 * provider per region; servers without an AWS region use the default provider), xcpng servers
 * become Xen Orchestra VMs (xo-vm.ts).
 */
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { cmp } from "../../core/diagnostics.js";
import { LabError } from "../../core/errors.js";
import type {
  AwsServerConfig,
  StackConfig,
  XcpngServerConfig,
} from "../../renderers/pulumi/stack-config.js";
import { XoVm } from "./xo-vm.js";
import type { XoVmArgs } from "./xo-vm.js";

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/**
 * Where xcpng VMs go, set per installation: lab's repo format does not model Xen Orchestra
 * networks, storage or templates yet.
 */
export interface XcpngSite {
  networkId: string;
  /** Storage repository for the root disks. */
  srId: string;
  /** The template cloned for servers without an `image`. */
  template?: string;
}

export interface SiteSettings {
  xcpng?: XcpngSite;
}

/** The stack's outputs: each server's provider id. */
export type ProgramOutputs = Record<string, pulumi.Output<string>>;

function sortedEntries<T>(record: Readonly<Record<string, T>>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => cmp(a, b));
}

export function awsInstanceArgs(server: AwsServerConfig): aws.ec2.InstanceArgs {
  const args: aws.ec2.InstanceArgs = { instanceType: server.aws.instance_type, tags: server.tags };
  if (server.image !== undefined) args.ami = server.image;
  if (server.aws.volume_size !== undefined) {
    args.rootBlockDevice = { volumeSize: server.aws.volume_size };
  }
  return args;
}

function registerAws(servers: Readonly<Record<string, AwsServerConfig>>): ProgramOutputs {
  const providers = new Map<string, aws.Provider>();
  const outputs: ProgramOutputs = {};
  for (const [name, server] of sortedEntries(servers)) {
    let provider: aws.Provider | undefined;
    if (server.region !== undefined) {
      provider = providers.get(server.region);
      if (!provider) {
        provider = new aws.Provider(`aws-${server.region}`, { region: server.region });
        providers.set(server.region, provider);
      }
    }
    const instance = new aws.ec2.Instance(name, awsInstanceArgs(server), { provider });
    outputs[name] = instance.id;
  }
  return outputs;
}

export function xoVmArgs(name: string, server: XcpngServerConfig, site: XcpngSite): XoVmArgs {
  const template = server.image ?? site.template;
  if (template === undefined) {
    throw new LabError(
      "INVALID_REPO",
      `xcpng server ${name} has no image and the site no template`,
    );
  }
  return {
    nameLabel: name,
    nameDescription: `lab server ${name} (size ${server.size})`,
    template,
    cpus: server.xcpng.cores,
    memoryMax: server.xcpng.memory_mb * MIB,
    networks: [{ networkId: site.networkId }],
    disks: [{ srId: site.srId, nameLabel: `${name}-root`, size: server.xcpng.disk_gb * GIB }],
    tags: server.tags,
    autoPoweron: true,
  };
}

function registerXcpng(
  servers: Readonly<Record<string, XcpngServerConfig>>,
  site: XcpngSite | undefined,
): ProgramOutputs {
  const outputs: ProgramOutputs = {};
  const entries = sortedEntries(servers);
  if (!entries.length) return outputs;
  if (!site) throw new LabError("USAGE", "xcpng stacks need the Xen Orchestra network and SR ids");
  for (const [name, server] of entries) {
    outputs[name] = new XoVm(name, xoVmArgs(name, server, site)).id;
  }
  return outputs;
}

/** The inline program for one stack (run by the Automation API, or under Pulumi's mocks). */
export function labProgram(
  config: StackConfig,
  site: SiteSettings = {},
): () => Promise<ProgramOutputs> {
  return () =>
    new Promise<ProgramOutputs>((resolve) => {
      resolve(
        config.provider === "aws"
          ? registerAws(config.servers)
          : registerXcpng(config.servers, site.xcpng),
      );
    });
}
