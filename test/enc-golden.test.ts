/**
 * The Puppet ENC renderer on examples/infra-repo: golden files, determinism, and how far a
 * one-label change reaches.
 *
 * The golden files under test/golden/enc/ are the rendered artifacts, each at
 * test/golden/<artifact path>. After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/enc-golden.test.ts
 * and review the diff before committing.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { Artifact } from "../core/renderer.js";
import type { EncNode } from "../renderers/puppet-enc/enc-node.js";
import { encRenderer } from "../renderers/puppet-enc/enc-renderer.js";
import { changedPaths, editedCopy, EXAMPLE, goldenSuite, modelOf } from "./golden-harness.js";

const { render, expectGolden, expectDeterministic } = goldenSuite(encRenderer);

function node(artifacts: readonly Artifact[], server: string): EncNode {
  const artifact = artifacts.find((a) => a.path === `enc/nodes/${server}.yaml`);
  if (!artifact) throw new Error(`no ENC data for ${server}`);
  return parse(artifact.content) as EncNode;
}

describe("enc renderer on examples/infra-repo", () => {
  it("matches the golden files byte for byte", async () => {
    await expectGolden();
  });

  it("renders one document per server", async () => {
    const model = await modelOf(dirSource(EXAMPLE));
    const paths = render(model).map((a) => a.path);
    expect(paths).toEqual(model.servers.map((s) => `enc/nodes/${s.name}.yaml`).sort());
  });

  it("renders identical bytes twice and from shuffled input order", async () => {
    await expectDeterministic();
  });

  it("a class added to one label rewrites exactly the node files of that label's servers", async () => {
    const model = await modelOf(dirSource(EXAMPLE));
    const before = render(model);
    const classes = ["nginx", "app::deploy", "redis"];
    const dir = editedCopy("labels/roles.yaml", ["labels", "app", "puppet_classes"], classes);
    const after = render(await modelOf(dirSource(dir)));
    const carriers = model.labels.find((l) => l.name === "app")?.servers ?? [];
    expect(carriers).toEqual(["api-1", "api-2"]);
    expect(changedPaths(before, after)).toEqual(["enc/nodes/api-1.yaml", "enc/nodes/api-2.yaml"]);
    expect(Object.keys(node(after, "api-1").classes)).toEqual([
      "nginx",
      "app::deploy",
      "redis",
      "base::hardening",
      "base::monitoring",
      "base::ntp_eu",
    ]);
  });

  it("a new description on one label changes no ENC data", async () => {
    const before = render(await modelOf(dirSource(EXAMPLE)));
    const dir = editedCopy("labels/roles.yaml", ["labels", "dns", "description"], "Name servers");
    const after = render(await modelOf(dirSource(dir)));
    expect(changedPaths(before, after)).toEqual([]);
  });
});
