/**
 * The Pulumi renderer on examples/infra-repo: golden files, the diagnostics it reports there,
 * determinism, and how far a one-label change reaches.
 *
 * The golden files under test/golden/pulumi/ are the rendered artifacts, each at
 * test/golden/<artifact path>. After an intended change of output, regenerate them with
 *   UPDATE_GOLDEN=1 npx vitest run test/pulumi-golden.test.ts
 * and review the diff before committing.
 */
import { describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import { pulumiRenderer } from "../renderers/pulumi/pulumi-renderer.js";
import { changedPaths, editedCopy, EXAMPLE, goldenSuite, modelOf } from "./golden-harness.js";

// No diagnostics at all: what a server's provider needs is validate's to report.
const { render, expectGolden, expectDeterministic } = goldenSuite(pulumiRenderer);

describe("pulumi renderer on examples/infra-repo", () => {
  it("matches the golden files byte for byte", async () => {
    await expectGolden();
  });

  it("maps the example's lab region through lab.regions.aws: nothing to warn about", async () => {
    const { value, diagnostics } = pulumiRenderer.render(await modelOf(dirSource(EXAMPLE)));
    expect(diagnostics).toEqual([]);
    const prod = value.find((a) => a.path === "pulumi/aws-prod/Pulumi.aws-prod.yaml");
    expect(prod?.content).toContain("region: eu-west-1\n");
    expect(prod?.content).not.toMatch(/^ +region: eu-west\n/m);
  });

  it("renders identical bytes twice and from shuffled input order", async () => {
    await expectDeterministic();
  });

  it("a new size on one label rewrites only the stack of the servers taking their size from it", async () => {
    const model = await modelOf(dirSource(EXAMPLE));
    const before = render(model);
    const dir = editedCopy("labels/roles.yaml", ["labels", "mailserver", "size"], "large");
    const after = render(await modelOf(dirSource(dir)));
    // mail-1 (xcpng) sets its own size; mail-2 (aws, prod) takes the label's.
    expect(model.labels.find((l) => l.name === "mailserver")?.servers).toEqual([
      "mail-1",
      "mail-2",
    ]);
    expect(changedPaths(before, after)).toEqual(["pulumi/aws-prod/Pulumi.aws-prod.yaml"]);
    const stack = after.find((a) => a.path === "pulumi/aws-prod/Pulumi.aws-prod.yaml")!.content;
    const mail2 = stack.slice(stack.indexOf("    mail-2:"), stack.indexOf("    worker-4:"));
    expect(mail2).toContain("        instance_type: m6i.2xlarge\n        volume_size: 500\n");
    expect(mail2).toContain("        lab:size: large\n");
  });

  it("new Puppet classes on one label change no Pulumi artifact", async () => {
    const before = render(await modelOf(dirSource(EXAMPLE)));
    const classes = ["postfix", "dovecot", "spamassassin", "fail2ban", "opendkim"];
    const dir = editedCopy(
      "labels/roles.yaml",
      ["labels", "mailserver", "puppet_classes"],
      classes,
    );
    expect(changedPaths(before, render(await modelOf(dirSource(dir))))).toEqual([]);
  });
});
