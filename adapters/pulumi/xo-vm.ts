/**
 * The Xen Orchestra provider's VM resource (package `@vates/pulumi-xenorchestra`, type token
 * `xenorchestra:index/vm:Vm`). That package is not in our registry, so the resource is declared
 * here as a plain `pulumi.CustomResource` with the real provider's type token and input names;
 * the engine fetches the provider plugin from the URL below, as the package itself would.
 */
import * as pulumi from "@pulumi/pulumi";

export const XO_VM_TYPE = "xenorchestra:index/vm:Vm";

/** The provider plugin the VMs need (`pulumi plugin install resource xenorchestra v2.3.0 --server …`). */
export const XO_PLUGIN = {
  name: "xenorchestra",
  version: "2.3.0",
  pluginDownloadURL: "github://api.github.com/vatesfr/pulumi-xenorchestra",
} as const;

export interface XoVmDisk {
  /** Storage repository id. */
  srId: pulumi.Input<string>;
  nameLabel: pulumi.Input<string>;
  /** Bytes. */
  size: pulumi.Input<number>;
}

export interface XoVmNetwork {
  networkId: pulumi.Input<string>;
}

/** The inputs lab sets (names as in the provider's VmArgs; the required ones are required here). */
export interface XoVmArgs {
  nameLabel: pulumi.Input<string>;
  nameDescription?: pulumi.Input<string>;
  /** The id of the template to clone. */
  template: pulumi.Input<string>;
  cpus: pulumi.Input<number>;
  /** Bytes. */
  memoryMax: pulumi.Input<number>;
  networks: pulumi.Input<pulumi.Input<XoVmNetwork>[]>;
  disks: pulumi.Input<pulumi.Input<XoVmDisk>[]>;
  tags?: pulumi.Input<pulumi.Input<string>[]>;
  autoPoweron?: pulumi.Input<boolean>;
}

export class XoVm extends pulumi.CustomResource {
  declare readonly nameLabel: pulumi.Output<string>;
  declare readonly cpus: pulumi.Output<number>;
  declare readonly memoryMax: pulumi.Output<number>;
  declare readonly tags: pulumi.Output<string[] | undefined>;
  declare readonly ipv4Addresses: pulumi.Output<string[]>;

  constructor(name: string, args: XoVmArgs, opts: pulumi.CustomResourceOptions = {}) {
    const props: pulumi.Inputs = { ...args, ipv4Addresses: undefined };
    super(XO_VM_TYPE, name, props, {
      version: XO_PLUGIN.version,
      pluginDownloadURL: XO_PLUGIN.pluginDownloadURL,
      ...opts,
    });
  }
}
