/**
 * The providers' resources in a reconcile pass: the stacks' resources the repo wants (the Pulumi
 * program run under Pulumi's own mock runtime) against what Pulumi's checkpoints hold. The
 * checkpoints are stand-ins written in the file backend's format (version 3), with the inputs a
 * deployed program would have left there; the Pulumi CLI does not run on this machine.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { makeStyle } from "../cli/printers/color.js";
import { formatPlanTable } from "../cli/printers/plan-table.js";
import { planSchemaErrors } from "../reconciler/plan/plan-schema.js";
import type { Plan } from "../reconciler/plan/plan-types.js";
import { lab, removeTemps, tempDir, writeRepo } from "./cli-harness.js";

afterAll(removeTemps);

const EC2 = "aws:ec2/instance:Instance";
const AMI = "ami-0a1b2c3d4e5f60718";
const urn = (type: string, name: string) => `urn:pulumi:aws-prod::small::${type}::${name}`;

function repoFiles(backend: string, web1Size: string): Record<string, string> {
  return {
    "lab.yaml": `lab:\n  name: small\n  outputs:\n    pulumi: { backend: "${backend}" }\n`,
    "sizes.yaml": [
      "sizes:",
      "  small:",
      "    abstract: { cores: 2, memory: 4GB, disk: 40GB }",
      "    providers:",
      "      aws: { instance_type: t3.medium, volume_size: 40 }",
      "  medium:",
      "    abstract: { cores: 4, memory: 8GB, disk: 100GB }",
      "    providers:",
      "      aws: { instance_type: t3.large, volume_size: 100 }",
      "",
    ].join("\n"),
    "servers.yaml": [
      "servers:",
      `  web-1: { provider: aws, size: ${web1Size}, environment: prod, image: ${AMI} }`,
      `  web-3: { provider: aws, size: small, environment: prod, image: ${AMI} }`,
      "",
    ].join("\n"),
  };
}

/** An instance as Pulumi keeps it: the program's inputs, plus the defaults the provider added. */
function instance(name: string) {
  const tags = { Name: name, "lab:environment": "prod", "lab:repo": "small", "lab:size": "small" };
  return {
    urn: urn(EC2, name),
    type: EC2,
    custom: true,
    inputs: {
      __defaults: ["getPasswordData"],
      ami: AMI,
      getPasswordData: false,
      instanceType: "t3.medium",
      rootBlockDevice: { __defaults: [], volumeSize: 40 },
      tags,
    },
    outputs: { id: `i-${name}`, instanceType: "t3.medium", tags },
  };
}

/** The stack holds web-1 (still declared) and old-2 (no longer declared); web-3 was never made. */
function writeCheckpoint(backend: string): void {
  const dir = join(backend, ".pulumi", "stacks", "small");
  mkdirSync(dir, { recursive: true });
  const resources = [
    { urn: urn("pulumi:pulumi:Stack", "small-aws-prod"), type: "pulumi:pulumi:Stack" },
    { urn: urn("pulumi:providers:aws", "default_7_0_0"), type: "pulumi:providers:aws" },
    instance("old-2"),
    instance("web-1"),
  ];
  const latest = { manifest: { time: "2026-01-01T00:00:00Z" }, resources };
  writeFileSync(
    join(dir, "aws-prod.json"),
    JSON.stringify({ version: 3, checkpoint: { stack: "aws-prod", latest } }),
  );
}

async function apply(repo: string, state: string) {
  const run = await lab(["--repo", repo, "apply", "--state", state, "-o", "json"]);
  return { code: run.code, plan: (JSON.parse(run.stdout) as { plan: Plan }).plan };
}

describe("provider resources against Pulumi checkpoints (stand-in checkpoints, no Pulumi CLI)", () => {
  it("plans the server the stack lacks as a create and the one the repo dropped as a delete, a risk", async () => {
    const backend = join(tempDir(), "pulumi-state");
    writeCheckpoint(backend);
    const repo = writeRepo(repoFiles(backend, "small"));
    const state = join(tempDir(), "state.db");
    const { code, plan } = await apply(repo, state);
    expect(code).toBe(0);
    expect(planSchemaErrors(plan)).toEqual([]);
    const at = { provider: "aws", stack: "aws-prod", type: EC2, fields: [] };
    expect(plan.resources).toEqual([
      { ...at, urn: urn(EC2, "old-2"), action: "delete" },
      { ...at, urn: urn(EC2, "web-3"), action: "create" },
    ]);
    expect(plan.summary.resources).toEqual({ create: 1, update: 0, delete: 1 });
    expect(plan.summary.changes).toBe(true);
    expect(plan.risks[0]).toMatchObject({
      kind: "resource-delete",
      server: "old-2",
      name: urn(EC2, "old-2"),
      source: { file: "servers.yaml", line: 1, col: 1 },
    });
    expect(plan.summary.risks).toBe(plan.risks.length);
    // The plan table (lab plan's printer) shows them too.
    const table = formatPlanTable(plan, makeStyle(false));
    expect(table).toContain("Resources: 1 to create, 0 to update, 1 to delete\n");
    expect(table).toContain(
      `\nResources:\n  - delete ${EC2} old-2 (stack aws-prod)\n  + create ${EC2} web-3 (stack aws-prod)\n`,
    );
    expect(table).toContain(
      `! resource-delete: ${EC2} old-2 of stack aws-prod is deleted from aws`,
    );

    // The repo sizes web-1 up: an update naming the inputs that change; the text lists them all.
    const resized = writeRepo(repoFiles(backend, "medium"));
    const text = await lab(["--repo", resized, "apply", "--state", join(tempDir(), "s.db")]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("resources +1 ~1 -1, 1 risk");
    expect(text.stdout).toContain(
      [
        "  Resources:",
        `    - delete ${EC2} old-2 (stack aws-prod)`,
        `    ~ update ${EC2} web-1 (stack aws-prod) (instanceType, rootBlockDevice, tags)`,
        `    + create ${EC2} web-3 (stack aws-prod)`,
      ].join("\n"),
    );
  });

  it("a pass over a revision already applied renders nothing and lists no resource", async () => {
    const backend = join(tempDir(), "pulumi-state");
    writeCheckpoint(backend);
    const repo = writeRepo(repoFiles(backend, "small"));
    const state = join(tempDir(), "state.db");
    const env = { LAB_CACHE_DIR: tempDir() };
    const args = ["--repo", repo, "apply", "--state", state, "-o", "json"];
    const runs = [await lab(args, { env }), await lab(args, { env })];
    const [first, second] = runs.map((r) => JSON.parse(r.stdout) as { result: string; plan: Plan });
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(first!.plan.resources?.map((r) => r.action)).toEqual(["delete", "create"]);
    expect(second!.result).toBe("no-change");
    expect(second!.plan.resources).toEqual([]);
    expect(second!.plan.summary.resources).toEqual({ create: 0, update: 0, delete: 0 });
  });

  it("plans no resource change when the stack holds what the repo declares", async () => {
    const backend = join(tempDir(), "pulumi-state");
    writeCheckpoint(backend);
    const files = repoFiles(backend, "small");
    files["servers.yaml"] = files["servers.yaml"]!.replace("web-3", "old-2");
    const { code, plan } = await apply(writeRepo(files), join(tempDir(), "state.db"));
    expect(code).toBe(0);
    expect(plan.resources).toEqual([]);
    expect(plan.summary.resources).toEqual({ create: 0, update: 0, delete: 0 });
    expect(plan.risks.filter((r) => r.kind === "resource-delete")).toEqual([]);
  });
});
