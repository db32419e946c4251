import { describe, expect, it } from "vitest";
import type { SourcePos } from "../../core/diagnostics.js";
import type { ProviderPlan } from "../../core/provider.js";
import type { ObservedResource, ObservedStack } from "./plan-types.js";
import { planResources, resourceName, resourceRisks } from "./plan-resources.js";

const EC2 = "aws:ec2/instance:Instance";
const urn = (stack: string, name: string, type = EC2) =>
  `urn:pulumi:${stack}::acme::${type}::${name}`;

function ec2(stack: string, name: string, inputs?: Record<string, unknown>): ObservedResource {
  return { urn: urn(stack, name), type: EC2, ...(inputs ? { inputs } : {}) };
}

const STACK_RESOURCE: ObservedResource = {
  urn: urn("aws-prod", "acme-aws-prod", "pulumi:pulumi:Stack"),
  type: "pulumi:pulumi:Stack",
};
const PROVIDER_RESOURCE: ObservedResource = {
  urn: urn("aws-prod", "aws-eu-west-1", "pulumi:providers:aws"),
  type: "pulumi:providers:aws",
  inputs: { region: "eu-west-1" },
};

function wants(stack: string, resources: ObservedResource[]): ProviderPlan {
  return { provider: "aws", stack, resources };
}

function holds(stack: string, resources: ObservedResource[]): ObservedStack {
  return { provider: "aws", stack, resources };
}

describe("planResources", () => {
  it("creates what only the model wants, deletes what only the stack holds, sorted by urn", () => {
    const planned = planResources(
      [wants("aws-prod", [ec2("aws-prod", "web-3"), ec2("aws-prod", "web-1")])],
      [holds("aws-prod", [ec2("aws-prod", "web-1"), ec2("aws-prod", "old-2")])],
    );
    expect(planned).toEqual([
      {
        provider: "aws",
        stack: "aws-prod",
        urn: urn("aws-prod", "old-2"),
        type: EC2,
        action: "delete",
        fields: [],
      },
      {
        provider: "aws",
        stack: "aws-prod",
        urn: urn("aws-prod", "web-3"),
        type: EC2,
        action: "create",
        fields: [],
      },
    ]);
  });

  it("updates a resource whose inputs differ, naming the keys (canonical JSON: key order is no change)", () => {
    const want = ec2("aws-prod", "web-1", {
      instanceType: "t3.large",
      tags: { Name: "web-1", "lab:size": "medium" },
      ami: "ami-1",
      rootBlockDevice: { volumeSize: 100 },
    });
    const held = ec2("aws-prod", "web-1", {
      ami: "ami-1",
      instanceType: "t3.small",
      tags: { "lab:size": "small", Name: "web-1" },
      rootBlockDevice: { volumeSize: 100 },
      userData: "#!/bin/sh",
    });
    const planned = planResources([wants("aws-prod", [want])], [holds("aws-prod", [held])]);
    expect(planned.map((r) => [r.action, resourceName(r.urn), r.fields])).toEqual([
      ["update", "web-1", ["instanceType", "tags", "userData"]],
    ]);
  });

  it("ignores Pulumi's __defaults and the inputs it lists there; same inputs are no change", () => {
    const want = ec2("aws-prod", "web-1", { ami: "ami-1", rootBlockDevice: { volumeSize: 100 } });
    const held = ec2("aws-prod", "web-1", {
      __defaults: ["getPasswordData", "sourceDestCheck"],
      ami: "ami-1",
      getPasswordData: false,
      sourceDestCheck: true,
      rootBlockDevice: { __defaults: [], volumeSize: 100 },
    });
    expect(planResources([wants("aws-prod", [want])], [holds("aws-prod", [held])])).toEqual([]);
    const changed = { ...held, inputs: { ...held.inputs, sourceDestCheck: false, ami: "ami-2" } };
    const planned = planResources([wants("aws-prod", [want])], [holds("aws-prod", [changed])]);
    // A defaulted input the program does not set is the provider's: not a difference.
    expect(planned.map((r) => r.fields)).toEqual([["ami"]]);
  });

  it("compares a wanted resource without inputs by presence only", () => {
    const held = ec2("xcpng-prod", "mail-1", { cpus: 4 });
    const want = ec2("xcpng-prod", "mail-1");
    expect(planResources([wants("xcpng-prod", [want])], [holds("xcpng-prod", [held])])).toEqual([]);
  });

  it("never creates nor deletes Pulumi's own stack and provider resources", () => {
    const planned = planResources(
      [wants("aws-prod", [PROVIDER_RESOURCE, ec2("aws-prod", "web-1")])],
      [holds("aws-prod", [STACK_RESOURCE, ec2("aws-prod", "web-1")])],
    );
    expect(planned).toEqual([]);
    const changedProvider = { ...PROVIDER_RESOURCE, inputs: { region: "us-east-1" } };
    expect(
      planResources([wants("aws-prod", [changedProvider])], [holds("aws-prod", [STACK_RESOURCE])]),
    ).toEqual([]);
  });

  it("creates every resource of a stack never held, deletes every one of a stack no longer rendered", () => {
    const planned = planResources(
      [wants("aws-dev", [ec2("aws-dev", "b"), ec2("aws-dev", "a")])],
      [holds("aws-staging", [STACK_RESOURCE, ec2("aws-staging", "c")])],
    );
    expect(planned.map((r) => `${r.action} ${r.stack} ${resourceName(r.urn)}`)).toEqual([
      "create aws-dev a",
      "create aws-dev b",
      "delete aws-staging c",
    ]);
  });

  it("sorts by provider, then stack, then urn", () => {
    const xcpng: ProviderPlan = {
      provider: "xcpng",
      stack: "xcpng",
      resources: [ec2("xcpng", "z")],
    };
    const planned = planResources(
      [xcpng, wants("aws-b", [ec2("aws-b", "y")]), wants("aws-a", [ec2("aws-a", "x")])],
      [],
    );
    expect(planned.map((r) => `${r.provider}/${r.stack}`)).toEqual([
      "aws/aws-a",
      "aws/aws-b",
      "xcpng/xcpng",
    ]);
  });

  it("compares nothing without the desired resources or without what the providers hold", () => {
    const desired = [wants("aws-prod", [ec2("aws-prod", "web-1")])];
    const observed = [holds("aws-prod", [ec2("aws-prod", "old-2")])];
    expect(planResources(undefined, observed)).toEqual([]);
    expect(planResources(desired, undefined)).toEqual([]);
  });
});

describe("resourceRisks", () => {
  const at = (pointer: string): SourcePos => ({ file: pointer, line: 1, col: 1 });
  it("one resource-delete risk per deleted resource, at the server's entry in the head", () => {
    const planned = planResources(
      [wants("aws-prod", [ec2("aws-prod", "web-3")])],
      [holds("aws-prod", [ec2("aws-prod", "old-2")])],
    );
    expect(resourceRisks(planned, { locate: at })).toEqual([
      {
        kind: "resource-delete",
        server: "old-2",
        name: urn("aws-prod", "old-2"),
        source: at("/servers/old-2"),
        message:
          "aws:ec2/instance:Instance old-2 of stack aws-prod is deleted from aws: the stack holds it and the repo no longer declares it there",
      },
    ]);
  });
});
