/**
 * The runner without the Pulumi CLI (none is installed here). The stand-ins are named: the
 * absence of the CLI (an empty search path), and a fake `pulumi` script that answers `version`
 * and fails everything else, to show a failing CLI comes back as an error value.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeArtifact } from "../../core/renderer.js";
import type { Artifact } from "../../core/renderer.js";
import { STACKS_REPO } from "../../renderers/pulumi/fixtures/stacks-repo.js";
import { pulumiRenderer } from "../../renderers/pulumi/pulumi-renderer.js";
import { modelFromYaml } from "../../test/yaml-model.js";
import { applyStacks, planStacks } from "./stack-runner.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-pulumi-test-"));
  dirs.push(dir);
  return dir;
}

const SITE = { xcpng: { networkId: "net-1", srId: "sr-1" } };

/** Stand-in: a fake `pulumi` that answers `version` and fails every other command. */
function fakeCli(): string {
  const root = tempDir();
  mkdirSync(join(root, "bin"));
  const fake = join(root, "bin", "pulumi");
  writeFileSync(
    fake,
    '#!/bin/sh\nif [ "$1" = version ]; then echo v3.248.0; exit 0; fi\n' +
      'echo "error: no backend for $*" >&2\nexit 255\n',
  );
  chmodSync(fake, 0o755);
  return join(root, "bin");
}
/** The rendered stacks of a small repo (renderers/pulumi/fixtures), through the real pipeline. */
let artifacts: Artifact[] = [];
beforeAll(async () => {
  artifacts = pulumiRenderer.render(await modelFromYaml(STACKS_REPO)).value;
});
const signal = new AbortController().signal;

describe("planStacks / applyStacks", () => {
  it("stand-in (absence of the CLI): plan returns the install-the-CLI error, naming the stacks", async () => {
    const outcome = await planStacks(artifacts, { signal, site: SITE, searchPath: tempDir() });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: "PULUMI_CLI_MISSING",
        message:
          "the Pulumi CLI is not installed: install it from https://www.pulumi.com/docs/install/ " +
          "to plan stacks aws-prod, aws-staging, xcpng, xcpng-prod",
        stacks: ["aws-prod", "aws-staging", "xcpng", "xcpng-prod"],
      },
    });
  });

  it("stand-in (absence of the CLI): apply says so too", async () => {
    const outcome = await applyStacks(artifacts, { signal, site: SITE, searchPath: "" });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe("PULUMI_CLI_MISSING");
      expect(outcome.error.message).toContain("to apply stacks aws-prod, aws-staging, xcpng");
    }
  });

  it("needs no CLI when there is no stack", async () => {
    const onlyIndex = artifacts.filter((a) => a.path === "pulumi/stacks.yaml");
    expect(await planStacks(onlyIndex, { signal, searchPath: "" })).toEqual({
      ok: true,
      stacks: [],
    });
  });

  it("stand-in (a fake CLI): asks for the Xen Orchestra ids before starting anything", async () => {
    const outcome = await planStacks(artifacts, { signal, searchPath: fakeCli() });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: "SITE_SETTINGS_MISSING",
        message:
          "stacks xcpng, xcpng-prod need the Xen Orchestra network and storage repository ids " +
          "(site settings xcpng.networkId and xcpng.srId)",
        stacks: ["xcpng", "xcpng-prod"],
      },
    });
  });

  it("stand-in (a fake CLI): refuses an unreadable stack config and VMs without a template", async () => {
    const broken = makeArtifact("pulumi/aws-x/Pulumi.aws-x.yaml", "config: {}\n", []);
    expect(await planStacks([broken], { signal, searchPath: "" })).toEqual({
      ok: false,
      error: {
        code: "STACK_INVALID",
        message:
          "pulumi/aws-x/Pulumi.aws-x.yaml is not a stack config lab can apply: lab:provider must be aws or xcpng",
        stacks: ["aws-x"],
      },
    });
    const text = artifacts.find((a) => a.path === "pulumi/xcpng/Pulumi.xcpng.yaml")!.content;
    const noImage = makeArtifact(
      "pulumi/xcpng/Pulumi.xcpng.yaml",
      text.replace("      image: debian-12\n", ""),
      [],
    );
    const searchPath = fakeCli();
    const outcome = await planStacks([noImage], { signal, site: SITE, searchPath });
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: "STACK_INVALID",
        message:
          "xcpng servers without an image (the template to clone), and no default template in " +
          "the site settings (xcpng.template): ci-1 (xcpng)",
        stacks: ["xcpng"],
      },
    });
  });

  it("rejects with the abort reason when the signal is aborted", async () => {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await expect(
      planStacks(artifacts, { signal: controller.signal, site: SITE, searchPath: "" }),
    ).rejects.toThrow("stop");
  });

  it("stand-in (a fake pulumi CLI that fails): the failure is an error value, and no workspace is left", async () => {
    const workRoot = tempDir();
    const searchPath = fakeCli();
    const outcome = await planStacks(artifacts, { signal, site: SITE, searchPath, workRoot });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.error.code).toBe("PULUMI_FAILED");
      expect(outcome.error.stacks).toEqual(["aws-prod"]);
      expect(outcome.error.message).toBe(
        "stack aws-prod: error: no backend for stack select --stack aws-prod --non-interactive",
      );
    }
    expect(readdirSync(workRoot)).toEqual([]);
  });
});
