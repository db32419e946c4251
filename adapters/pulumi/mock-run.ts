/**
 * A dry run of the Pulumi program under Pulumi's own mock runtime (`pulumi.runtime.setMocks`):
 * no CLI, no provider plugins, no cloud. Returns what the program registered, in order. The mock
 * runtime is process-wide, so dry runs must not overlap.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ProgramOutputs } from "./lab-program.js";

export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** The provider reference (`urn::id`) when an explicit provider was passed, else "". */
  provider: string;
}

function settled(output: pulumi.Output<string>): Promise<string> {
  return new Promise((resolve) => {
    output.apply((value) => {
      resolve(value);
      return value;
    });
  });
}

/** Runs `program` as stack `stack` of `project` and waits for every output. */
export async function dryRun(
  project: string,
  stack: string,
  program: () => Promise<ProgramOutputs>,
): Promise<{ resources: RegisteredResource[]; outputs: Record<string, string> }> {
  const resources: RegisteredResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        resources.push({
          type: args.type,
          name: args.name,
          inputs: args.inputs as Record<string, unknown>,
          provider: args.provider ?? "",
        });
        return { id: `${args.name}-id`, state: args.inputs as Record<string, unknown> };
      },
      call(args) {
        return args.inputs as Record<string, unknown>;
      },
    },
    project,
    stack,
    false,
  );
  const outputs = await program();
  const values: Record<string, string> = {};
  for (const [name, output] of Object.entries(outputs)) values[name] = await settled(output);
  return { resources, outputs: values };
}
