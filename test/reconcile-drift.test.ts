/**
 * Drift in a reconcile pass: Pulumi's stacks read from the file backend's checkpoints without the
 * Pulumi CLI. The checkpoints here are stand-ins written in the format Pulumi's file backend and
 * `pulumi stack export` use (version 3); the Pulumi CLI does not run on this machine.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lab, removeTemps, SMALL_REPO, tempDir, writeRepo } from "./cli-harness.js";

afterAll(removeTemps);

const URN = "urn:pulumi:aws-prod::lab-aws-prod::aws:ec2/instance:Instance::web-1";

function instance(urn: string, instanceType: string) {
  return {
    urn,
    type: "aws:ec2/instance:Instance",
    custom: true,
    inputs: { instanceType, ami: "ami-0123456789abcdef0" },
    outputs: { instanceType, id: "i-0abc" },
  };
}

/** A checkpoint as the file backend keeps it: `{version: 3, checkpoint: {latest: …}}`. */
function writeCheckpoint(backend: string, resources: object[]): void {
  const dir = join(backend, ".pulumi", "stacks", "lab-aws-prod");
  mkdirSync(dir, { recursive: true });
  const stack = {
    urn: "urn:pulumi:aws-prod::lab-aws-prod::pulumi:pulumi:Stack::lab-aws-prod-aws-prod",
    type: "pulumi:pulumi:Stack",
  };
  const latest = { manifest: { time: "2026-01-01T00:00:00Z" }, resources: [stack, ...resources] };
  writeFileSync(
    join(dir, "aws-prod.json"),
    JSON.stringify({ version: 3, checkpoint: { stack: "aws-prod", latest } }),
  );
}

interface Drift {
  kind: string;
  stack: string;
  urn: string;
  fields: string[];
}

async function apply(repo: string, state: string) {
  const run = await lab(["--repo", repo, "apply", "--state", state, "-o", "json"]);
  const json = JSON.parse(run.stdout) as { result: string; plan: { drift: Drift[] } };
  return { code: run.code, json };
}

describe("drift from Pulumi checkpoints (stand-in checkpoints, no Pulumi CLI)", () => {
  it("reports resources changed, added and gone since lab first observed the stacks", async () => {
    const backend = join(tempDir(), "pulumi-state");
    const repo = writeRepo({
      ...SMALL_REPO,
      "lab.yaml": `lab:\n  name: small\n  outputs:\n    pulumi: { backend: "${backend}" }\n`,
    });
    const state = join(tempDir(), "state.db");
    writeCheckpoint(backend, [instance(URN, "t3.small")]);
    const first = await apply(repo, state);
    expect(first.code).toBe(0);
    expect(first.json.plan.drift).toEqual([]);
    // Out of band: the instance was resized and another one created by hand.
    const other = URN.replace("web-1", "hand-made");
    writeCheckpoint(backend, [instance(URN, "t3.large"), instance(other, "t3.micro")]);
    const second = await apply(repo, state);
    expect(second.code).toBe(0);
    expect(second.json.result).toBe("no-change");
    expect(second.json.plan.drift.map((d) => [d.kind, d.urn, d.fields])).toEqual([
      ["undeclared", other, []],
      ["changed", URN, ["instanceType"]],
    ]);
    writeCheckpoint(backend, []);
    const third = await apply(repo, state);
    expect(third.json.plan.drift.map((d) => [d.kind, d.urn])).toEqual([["missing", URN]]);
    const text = await lab(["--repo", repo, "apply", "--state", state]);
    expect(text.stdout).toContain(`drift: missing aws-prod ${URN}`);
  });

  it("names a checkpoint that cannot be read", async () => {
    const backend = join(tempDir(), "pulumi-state");
    const repo = writeRepo({
      ...SMALL_REPO,
      "lab.yaml": `lab:\n  name: small\n  outputs:\n    pulumi: { backend: "${backend}" }\n`,
    });
    mkdirSync(join(backend, ".pulumi", "stacks", "p"), { recursive: true });
    writeFileSync(join(backend, ".pulumi", "stacks", "p", "aws.json"), "{ not json");
    const run = await lab(["--repo", repo, "apply", "--state", join(tempDir(), "s.db")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      `${join(backend, ".pulumi", "stacks", "p", "aws.json")}: not JSON`,
    );
    expect(run.stderr).not.toContain("internal error");
  });
});
