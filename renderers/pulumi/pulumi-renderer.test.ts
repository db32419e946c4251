import { describe, expect, it } from "vitest";
import { canonicalYaml } from "../../core/canonical.js";
import type { ResolvedModel } from "../../core/model.js";
import { contentHash } from "../../core/renderer.js";
import { buildStacks } from "./build-stacks.js";
import { pulumiRenderer } from "./pulumi-renderer.js";
import { sampleModel } from "./sample-model.js";
import { parseStackConfig, stackConfigDocument } from "./stack-config.js";

const HEADER =
  "# Rendered by lab from the config repository. Edit the repository, not this file.\n";

function contentOf(model: ResolvedModel, path: string): string {
  const artifact = pulumiRenderer.render(model).value.find((a) => a.path === path);
  if (!artifact) throw new Error(`no artifact ${path}`);
  return artifact.content;
}

describe("pulumiRenderer", () => {
  it("renders one stack per managed provider and environment, sorted by path", () => {
    const paths = pulumiRenderer.render(sampleModel()).value.map((a) => a.path);
    expect(paths).toEqual([
      "pulumi/aws-prod/Pulumi.aws-prod.yaml",
      "pulumi/aws-prod/Pulumi.yaml",
      "pulumi/aws-staging/Pulumi.aws-staging.yaml",
      "pulumi/aws-staging/Pulumi.yaml",
      "pulumi/stacks.yaml",
      "pulumi/xcpng-prod/Pulumi.xcpng-prod.yaml",
      "pulumi/xcpng-prod/Pulumi.yaml",
      "pulumi/xcpng/Pulumi.xcpng.yaml",
      "pulumi/xcpng/Pulumi.yaml",
    ]);
  });

  it("writes an aws server's instance type, volume, image and lab's labels as tags", () => {
    expect(contentOf(sampleModel(), "pulumi/aws-staging/Pulumi.aws-staging.yaml")).toBe(
      HEADER +
        [
          "config:",
          "  lab:environment: staging",
          "  lab:provider: aws",
          "  lab:servers:",
          "    mail-2:",
          "      aws:",
          "        instance_type: t3.large",
          "        volume_size: 100",
          "      size: medium",
          "      tags:",
          "        Name: mail-2",
          "        lab:environment: staging",
          "        lab:labels: mailserver",
          "        lab:region: eu-west",
          "        lab:repo: acme infra",
          "        lab:size: medium",
          "",
        ].join("\n"),
    );
  });

  it("writes an xcpng server's cores, memory and disk (the disk from the abstract size)", () => {
    expect(contentOf(sampleModel(), "pulumi/xcpng-prod/Pulumi.xcpng-prod.yaml")).toBe(
      HEADER +
        [
          "config:",
          "  lab:environment: prod",
          "  lab:provider: xcpng",
          "  lab:servers:",
          "    mail-1:",
          "      image: ubuntu-24.04",
          "      region: eu-west",
          "      size: medium",
          "      tags:",
          "        - lab:environment=prod",
          "        - lab:group=production",
          "        - lab:group=production-mail",
          "        - lab:label=mailserver",
          "        - lab:region=eu-west",
          "        - lab:repo=acme infra",
          "        - lab:size=medium",
          "      xcpng:",
          "        cores: 4",
          "        disk_gb: 100",
          "        memory_mb: 8192",
          "",
        ].join("\n"),
    );
  });

  it("writes the project file with a Pulumi-safe project name", () => {
    expect(contentOf(sampleModel(), "pulumi/xcpng/Pulumi.yaml")).toBe(
      HEADER +
        [
          'description: "acme infra: xcpng servers with no environment"',
          "name: acme-infra",
          "runtime: nodejs",
          "",
        ].join("\n"),
    );
  });

  it("lists the stacks and the servers Pulumi does not manage", () => {
    const text = contentOf(sampleModel(), "pulumi/stacks.yaml");
    expect(text).toContain("# Baremetal and ssh servers are not managed by Pulumi");
    expect(text.slice(text.indexOf("not_managed_by_pulumi:"))).toBe(
      [
        "not_managed_by_pulumi:",
        "  baremetal:",
        "    - db-1",
        "  ssh:",
        "    - ns-1",
        "stacks:",
        "  aws-prod:",
        "    environment: prod",
        "    provider: aws",
        "    servers:",
        "      - api-1",
        "  aws-staging:",
        "    environment: staging",
        "    provider: aws",
        "    servers:",
        "      - mail-2",
        "  xcpng:",
        "    provider: xcpng",
        "    servers:",
        "      - ci-1",
        "  xcpng-prod:",
        "    environment: prod",
        "    provider: xcpng",
        "    servers:",
        "      - mail-1",
        "",
      ].join("\n"),
    );
  });

  it("reports servers it cannot map, with positions, and leaves them out", () => {
    const { value, diagnostics } = pulumiRenderer.render(sampleModel());
    expect(diagnostics).toEqual([
      {
        file: "servers/aws.yaml",
        line: 10,
        col: 3,
        severity: "warning",
        code: "LAB207",
        pointer: "/servers/mail-2",
        message:
          'aws server "mail-2": no image (an AMI id such as ami-0123456789abcdef0); region "eu-west" ' +
          "is not an AWS region and lab.regions.aws does not map it: the stack uses the AWS provider's " +
          "default region (aws:region, AWS_REGION)",
      },
      {
        file: "servers/aws.yaml",
        line: 30,
        col: 3,
        severity: "error",
        code: "LAB207",
        pointer: "/servers/lost-1",
        message:
          'aws server "lost-1" has no size, so there is nothing to create (known sizes: medium, tiny)',
        fix: "set `size:` on the server or on one of its labels",
      },
      {
        file: "sizes.yaml",
        line: 9,
        col: 3,
        severity: "error",
        code: "LAB206",
        pointer: "/sizes/tiny/providers/xcpng",
        message: 'size "tiny" (of server "tiny-vm") has no xcpng mapping',
        fix: "add providers.xcpng to size tiny",
      },
    ]);
    const all = value.map((a) => a.content).join("");
    expect(all).not.toContain("lost-1:");
    expect(all).not.toContain("tiny-vm:");
  });

  it("maps a lab region to an AWS region through lab.regions.aws", () => {
    const regionOf = (model: ResolvedModel, server: string): string | undefined => {
      for (const stack of buildStacks(model).value.stacks) {
        const servers: Readonly<Record<string, { region?: string }>> = stack.config.servers;
        if (server in servers) return servers[server]?.region;
      }
      return undefined;
    };
    const model = sampleModel();
    expect(regionOf(model, "mail-2")).toBeUndefined();
    model.servers = model.servers.map((s) =>
      s.name === "mail-2" ? { ...s, region: "eu-central" } : s,
    );
    expect(regionOf(model, "mail-2")).toBe("eu-central-1");
    const { diagnostics } = buildStacks(model);
    expect(
      diagnostics.some((d) => d.pointer === "/servers/mail-2" && /region/.test(d.message)),
    ).toBe(false);
  });

  it("cites the server, its size and the label that gave the size", () => {
    const artifact = pulumiRenderer
      .render(sampleModel())
      .value.find((a) => a.path === "pulumi/aws-staging/Pulumi.aws-staging.yaml");
    expect(artifact?.sources).toEqual([
      { file: "labels.yaml", line: 2, col: 3 },
      { file: "servers/aws.yaml", line: 10, col: 3 },
      { file: "sizes.yaml", line: 2, col: 3 },
    ]);
    expect(artifact?.hash).toBe(contentHash(artifact?.content ?? ""));
  });

  it("gives the same bytes twice and for servers in another order", () => {
    const model = sampleModel();
    const reversed = { ...model, servers: [...model.servers].reverse() };
    const first = pulumiRenderer.render(model);
    expect(pulumiRenderer.render(model)).toEqual(first);
    expect(pulumiRenderer.render(reversed)).toEqual(first);
  });

  it("writes stack configs byte for byte as core's canonicalYaml would", () => {
    const model = sampleModel();
    for (const stack of buildStacks(model).value.stacks) {
      const text = contentOf(model, `pulumi/${stack.name}/Pulumi.${stack.name}.yaml`);
      expect(text).toBe(HEADER + canonicalYaml(stackConfigDocument(stack.config)));
    }
  });

  it("writes stack configs that parse back to what was built", () => {
    const model = sampleModel();
    for (const stack of buildStacks(model).value.stacks) {
      const text = contentOf(model, `pulumi/${stack.name}/Pulumi.${stack.name}.yaml`);
      expect(parseStackConfig(text)).toEqual({ ok: true, config: stack.config });
    }
  });
});
