/**
 * The rendered stacks, read back from the Pulumi renderer's artifacts, and the checks a run needs
 * before it starts the Pulumi CLI. Pure.
 */
import { parse } from "yaml";
import { cmp } from "../../core/diagnostics.js";
import type { Artifact } from "../../core/renderer.js";
import { parseStackConfig } from "../../renderers/pulumi/stack-config.js";
import type { StackConfig } from "../../renderers/pulumi/stack-config.js";
import type { SiteSettings } from "./lab-program.js";

export type PulumiErrorCode =
  "PULUMI_CLI_MISSING" | "STACK_INVALID" | "SITE_SETTINGS_MISSING" | "PULUMI_FAILED";

/** Why a plan or apply could not run: a value to print, never an exception. */
export interface PulumiRunError {
  code: PulumiErrorCode;
  message: string;
  /** The stacks concerned. */
  stacks: string[];
}

export interface StackInput {
  name: string;
  project: string;
  config: StackConfig;
}

const STACK_FILE = /^pulumi\/([^/]+)\/Pulumi\.([^/]+)\.yaml$/;

function projectOf(artifacts: readonly Artifact[], stack: string): string {
  const file = artifacts.find((a) => a.path === `pulumi/${stack}/Pulumi.yaml`);
  const doc: unknown = file ? parse(file.content) : undefined;
  const name = doc && typeof doc === "object" ? (doc as { name?: unknown }).name : undefined;
  return typeof name === "string" && name ? name : "lab";
}

/** Every `pulumi/<stack>/Pulumi.<stack>.yaml`, parsed, sorted by stack name. */
export function readStacks(
  artifacts: readonly Artifact[],
): { ok: true; stacks: StackInput[] } | { ok: false; error: PulumiRunError } {
  const stacks: StackInput[] = [];
  for (const artifact of artifacts) {
    const m = STACK_FILE.exec(artifact.path);
    if (!m || m[1] !== m[2]) continue;
    const name = m[1]!;
    const parsed = parseStackConfig(artifact.content);
    if (!parsed.ok) {
      const message = `${artifact.path} is not a stack config lab can apply: ${parsed.message}`;
      return { ok: false, error: { code: "STACK_INVALID", message, stacks: [name] } };
    }
    stacks.push({ name, project: projectOf(artifacts, name), config: parsed.config });
  }
  stacks.sort((a, b) => cmp(a.name, b.name));
  return { ok: true, stacks };
}

/**
 * What must hold before Pulumi runs: xcpng stacks need the site's XO ids, and every VM a template
 * (its image, else the site's default template).
 */
export function checkStacks(
  stacks: readonly StackInput[],
  site: SiteSettings,
): PulumiRunError | null {
  const xcpng = stacks.filter(
    (s) => s.config.provider === "xcpng" && Object.keys(s.config.servers).length > 0,
  );
  if (xcpng.length && !site.xcpng) {
    const names = xcpng.map((s) => s.name);
    return {
      code: "SITE_SETTINGS_MISSING",
      message:
        `stacks ${names.join(", ")} need the Xen Orchestra network and storage repository ids ` +
        "(site settings xcpng.networkId and xcpng.srId)",
      stacks: names,
    };
  }
  if (site.xcpng?.template !== undefined) return null;
  const noImage: string[] = [];
  const concerned = new Set<string>();
  for (const stack of xcpng) {
    if (stack.config.provider !== "xcpng") continue;
    for (const [server, spec] of Object.entries(stack.config.servers)) {
      if (spec.image === undefined) {
        noImage.push(`${server} (${stack.name})`);
        concerned.add(stack.name);
      }
    }
  }
  if (!noImage.length) return null;
  return {
    code: "STACK_INVALID",
    message:
      `xcpng servers without an image (the template to clone), and no default template in the ` +
      `site settings (xcpng.template): ${noImage.sort(cmp).join(", ")}`,
    stacks: [...concerned].sort(cmp),
  };
}
