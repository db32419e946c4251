/**
 * The Pulumi renderer: one stack per provider Pulumi manages (aws, xcpng) and environment.
 *
 *   pulumi/stacks.yaml                   every stack and its servers; the servers Pulumi does not
 *                                        manage (baremetal, ssh: onboarded by other means)
 *   pulumi/<stack>/Pulumi.yaml           the project
 *   pulumi/<stack>/Pulumi.<stack>.yaml   the stack config: each server's provider mapping, image,
 *                                        region, and lab's labels/environment/groups as tags
 *
 * adapters/pulumi holds the program that turns a stack config into resources, and the runner.
 */
import { canonicalYaml } from "../../core/canonical.js";
import { cmp } from "../../core/diagnostics.js";
import type { Diagnosed, SourcePos } from "../../core/diagnostics.js";
import type { ResolvedModel } from "../../core/model.js";
import { makeArtifact } from "../../core/renderer.js";
import type { Artifact, Renderer } from "../../core/renderer.js";
import { buildStacks } from "./build-stacks.js";
import type { StackSet, StackSpec } from "./build-stacks.js";
import { projectName, stackConfigDocument } from "./stack-config.js";

const HEADER =
  "# Rendered by lab from the config repository. Edit the repository, not this file.\n";

const UNMANAGED_NOTE =
  "# Baremetal and ssh servers are not managed by Pulumi: they are onboarded by other means\n" +
  "# (network boot over IPMI for baremetal, enrollment over SSH for ssh).\n";

function projectFile(model: ResolvedModel, stack: StackSpec): string {
  const env = stack.config.environment;
  const where = env === null ? "with no environment" : `in environment ${env}`;
  return (
    HEADER +
    canonicalYaml({
      name: projectName(model.settings.name),
      runtime: "nodejs",
      description: `${model.settings.name}: ${stack.config.provider} servers ${where}`,
    })
  );
}

function stackIndex(set: StackSet): string {
  const stacks: Record<string, unknown> = {};
  for (const s of set.stacks) {
    stacks[s.name] = {
      provider: s.config.provider,
      environment: s.config.environment ?? undefined,
      servers: Object.keys(s.config.servers).sort(cmp),
    };
  }
  return HEADER + UNMANAGED_NOTE + canonicalYaml({ stacks, not_managed_by_pulumi: set.unmanaged });
}

/**
 * The stacks of a validated model. What a server's provider needs is validate's to check
 * (LAB206, LAB207), so the renderer reports nothing.
 */
export function renderPulumi(model: ResolvedModel): Diagnosed<Artifact[]> {
  const set = buildStacks(model);
  const allServers: SourcePos[] = model.servers.map((s) => s.source);
  const artifacts: Artifact[] = [makeArtifact("pulumi/stacks.yaml", stackIndex(set), allServers)];
  for (const stack of set.stacks) {
    const dir = `pulumi/${stack.name}`;
    const servers = new Set(Object.keys(stack.config.servers));
    const serverSources = model.servers.filter((s) => servers.has(s.name)).map((s) => s.source);
    artifacts.push(
      makeArtifact(`${dir}/Pulumi.yaml`, projectFile(model, stack), serverSources),
      makeArtifact(
        `${dir}/Pulumi.${stack.name}.yaml`,
        HEADER + canonicalYaml(stackConfigDocument(stack.config)),
        stack.sources,
      ),
    );
  }
  artifacts.sort((a, b) => cmp(a.path, b.path));
  return { value: artifacts, diagnostics: [] };
}

export const pulumiRenderer: Renderer = {
  name: "pulumi",
  render: renderPulumi,
};
