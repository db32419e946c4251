/**
 * The outputs of a repo (docs/apply.md): `lab.outputs` with its defaults — every renderer's files
 * in `.lab/outputs/<renderer>` of the repo folder, no consumer told — made into OutputTargets.
 */
import { isAbsolute, join } from "node:path";
import type { OutputSettings, Settings } from "../../core/model.js";
import type { OutputTarget } from "../../core/output.js";
import { RENDERER_NAMES, type RendererName } from "../../core/renderer.js";
import { runStep } from "./command-step.js";
import { dirOutput, type ConsumerSteps } from "./dir-output.js";
import { prometheusSteps } from "./prometheus-reload.js";

export const DEFAULT_OUTPUTS_DIR = join(".lab", "outputs");

interface OneOutput {
  dir?: string;
  enabled?: boolean;
  url?: string;
  verify?: string[];
  reload?: string[];
}

function stepsOf(name: RendererName, own: OneOutput): ConsumerSteps {
  const steps: ConsumerSteps = {};
  if (own.verify) {
    const argv = own.verify;
    steps.verify = (dir, signal) => runStep(argv, dir, signal);
  }
  if (name === "prometheus" && own.url) Object.assign(steps, prometheusSteps(own.url));
  if (own.reload) {
    const argv = own.reload;
    steps.notify = (dir, _files, signal) => runStep(argv, dir, signal);
  }
  return steps;
}

/** The directory of each output: as configured (relative to `base`), else the default. */
export function outputDir(base: string, name: RendererName, outputs?: OutputSettings): string {
  const own = (outputs?.[name] ?? {}) as OneOutput;
  if (!own.dir) return join(base, DEFAULT_OUTPUTS_DIR, name);
  return isAbsolute(own.dir) ? own.dir : join(base, own.dir);
}

/** The folder of Pulumi's file backend: lab.outputs.pulumi.backend, else .lab/pulumi-state. */
export function pulumiBackend(base: string, outputs?: OutputSettings): string {
  const backend = outputs?.pulumi?.backend;
  if (!backend) return join(base, ".lab", "pulumi-state");
  return isAbsolute(backend) ? backend : join(base, backend);
}

/** Every enabled output of the repo, in renderer order. */
export function outputTargets(settings: Settings, base: string): OutputTarget[] {
  const targets: OutputTarget[] = [];
  for (const name of RENDERER_NAMES) {
    const own = (settings.outputs?.[name] ?? {}) as OneOutput;
    if (own.enabled === false) continue;
    targets.push(dirOutput(name, outputDir(base, name, settings.outputs), stepsOf(name, own)));
  }
  return targets;
}
