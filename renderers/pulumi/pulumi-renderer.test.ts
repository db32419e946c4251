import { beforeAll, describe, expect, it } from "vitest";
import { canonicalYaml } from "../../core/canonical.js";
import { LabError } from "../../core/errors.js";
import type { ResolvedModel, ResolvedServer } from "../../core/model.js";
import { contentHash } from "../../core/renderer.js";
import { checkYaml, modelFromYaml } from "../../test/yaml-model.js";
import { buildStacks } from "./build-stacks.js";
import { STACKS_REPO } from "./fixtures/stacks-repo.js";
import { pulumiRenderer } from "./pulumi-renderer.js";
import { parseStackConfig, stackConfigDocument } from "./stack-config.js";

const HEADER =
  "# Rendered by lab from the config repository. Edit the repository, not this file.\n";

let sample: ResolvedModel;
beforeAll(async () => {
  sample = await modelFromYaml(STACKS_REPO);
});

/** The fixture with one file's text edited. */
async function edited(path: string, from: string, to: string): Promise<ResolvedModel> {
  const text = STACKS_REPO[path] ?? "";
  expect(text).toContain(from);
  return modelFromYaml({ ...STACKS_REPO, [path]: text.replace(from, to) });
}

function contentOf(model: ResolvedModel, path: string): string {
  const artifact = pulumiRenderer.render(model).value.find((a) => a.path === path);
  if (!artifact) throw new Error(`no artifact ${path}`);
  return artifact.content;
}

describe("pulumiRenderer", () => {
  it("renders one stack per managed provider and environment, sorted by path", () => {
    const paths = pulumiRenderer.render(sample).value.map((a) => a.path);
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
    expect(contentOf(sample, "pulumi/aws-staging/Pulumi.aws-staging.yaml")).toBe(
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
          "        lab:repo: acme infra",
          "        lab:size: medium",
          "",
        ].join("\n"),
    );
  });

  it("writes an xcpng server's cores, memory and disk (the disk from the abstract size)", () => {
    expect(contentOf(sample, "pulumi/xcpng-prod/Pulumi.xcpng-prod.yaml")).toBe(
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
    expect(contentOf(sample, "pulumi/xcpng/Pulumi.yaml")).toBe(
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
    const text = contentOf(sample, "pulumi/stacks.yaml");
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

  it("reports nothing: what a server's provider needs is validate's to say", async () => {
    const { model, diagnostics } = await checkYaml(STACKS_REPO);
    expect(diagnostics.map((d) => `${d.code} ${d.pointer}`)).toEqual([
      "LAB207 /servers/mail-2",
      "LAB207 /servers/mail-2",
    ]);
    expect(pulumiRenderer.render(model).diagnostics).toEqual([]);
  });

  it("treats a model validate would refuse as a bug (INTERNAL), not as user input", () => {
    const changed = (name: string, patch: Partial<ResolvedServer>): ResolvedModel => ({
      ...sample,
      servers: sample.servers.map((s) => (s.name === name ? { ...s, ...patch } : s)),
    });
    const noSize = changed("api-1", { size: null, sizeFrom: null });
    const unmapped = changed("ci-1", { size: "tiny" });
    for (const model of [noSize, unmapped]) {
      try {
        buildStacks(model);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(LabError);
        expect((err as LabError).code).toBe("INTERNAL");
      }
    }
  });

  it("maps a lab region to an AWS region through lab.regions.aws", async () => {
    const regionOf = (model: ResolvedModel, server: string): string | undefined => {
      for (const stack of buildStacks(model).stacks) {
        const servers: Readonly<Record<string, { region?: string }>> = stack.config.servers;
        if (server in servers) return servers[server]?.region;
      }
      return undefined;
    };
    expect(regionOf(sample, "mail-2")).toBeUndefined();
    expect(regionOf(sample, "api-1")).toBe("eu-west-1");
    const moved = await edited(
      "servers/aws.yaml",
      "    environment: staging\n",
      "    environment: staging\n    region: eu-central\n",
    );
    expect(regionOf(moved, "mail-2")).toBe("eu-central-1");
  });

  it("cites the server, its size and the label that gave the size", () => {
    const artifact = pulumiRenderer
      .render(sample)
      .value.find((a) => a.path === "pulumi/aws-staging/Pulumi.aws-staging.yaml");
    expect(artifact?.sources).toEqual([
      { file: "labels.yaml", line: 3, col: 5 },
      { file: "servers/aws.yaml", line: 10, col: 5 },
      { file: "sizes.yaml", line: 3, col: 5 },
    ]);
    expect(artifact?.hash).toBe(contentHash(artifact?.content ?? ""));
  });

  it("gives the same bytes twice and for servers in another order", () => {
    const model = sample;
    const reversed = { ...model, servers: [...model.servers].reverse() };
    const first = pulumiRenderer.render(model);
    expect(pulumiRenderer.render(model)).toEqual(first);
    expect(pulumiRenderer.render(reversed)).toEqual(first);
  });

  it("writes stack configs byte for byte as core's canonicalYaml would", () => {
    const model = sample;
    for (const stack of buildStacks(model).stacks) {
      const text = contentOf(model, `pulumi/${stack.name}/Pulumi.${stack.name}.yaml`);
      expect(text).toBe(HEADER + canonicalYaml(stackConfigDocument(stack.config)));
    }
  });

  it("writes stack configs that parse back to what was built", () => {
    const model = sample;
    for (const stack of buildStacks(model).stacks) {
      const text = contentOf(model, `pulumi/${stack.name}/Pulumi.${stack.name}.yaml`);
      expect(parseStackConfig(text)).toEqual({ ok: true, config: stack.config });
    }
  });
});
