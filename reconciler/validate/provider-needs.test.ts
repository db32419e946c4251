import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../core/diagnostics.js";
import { loadRepo } from "../load/load-repo.js";
import { memorySource } from "../load/memory-source.js";
import { validate } from "./validate.js";

async function check(files: Record<string, string>): Promise<Diagnostic[]> {
  const { value, diagnostics } = await loadRepo(memorySource(files));
  expect(diagnostics).toEqual([]);
  return validate(value);
}

function brief(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.severity} ${d.code} ${d.pointer} | ${d.message}`;
}

const SIZES = `sizes:
  small:
    abstract: { cores: 2, memory: 4GB, disk: 40GB }
    providers:
      aws: { instance_type: t3.small }
      xcpng: {}
  awsonly:
    providers: { aws: { instance_type: t3.nano } }
  nodisk:
    abstract: { cores: 1, memory: 1GB }
    providers: { xcpng: {} }
  bare:
    providers: { xcpng: { disk: 20GB }, baremetal: { min_cores: 2 } }
`;

const LABELS = `labels:
  web: { size: small }
  tiny: { size: awsonly }
  plain: { puppet_classes: [nginx] }
`;

const LAB = "lab:\n  regions:\n    aws: { eu-west: eu-west-1 }\n";

describe("validate: what a server's provider needs (LAB206, LAB207)", () => {
  it("finds nothing to say about servers their providers can create", async () => {
    const d = await check({
      "lab.yaml": LAB,
      "sizes.yaml": SIZES,
      "labels.yaml": LABELS,
      "servers.yaml": [
        "servers:",
        "  a: { provider: aws, size: small, region: eu-west, image: ami-1 }",
        "  b: { provider: aws, labels: [plain, web], region: eu-west, image: ami-1 }",
        "  c: { provider: xcpng, labels: [web], image: debian-12 }",
        "  d: { provider: baremetal }",
        "  e: { provider: ssh, labels: [plain] }",
        "  f: { provider: baremetal, size: bare }",
        "",
      ].join("\n"),
    });
    expect(d).toEqual([]);
  });

  it("a server lab creates needs a size, its own or a label's (LAB207 error)", async () => {
    const d = await check({
      "sizes.yaml": SIZES,
      "labels.yaml": LABELS,
      "servers.yaml": [
        "servers:",
        "  a: { provider: aws, labels: [plain], region: us-east-1, image: ami-1 }",
        "  b: { provider: xcpng, image: debian-12 }",
        "  c: { provider: ssh }",
        "",
      ].join("\n"),
    });
    expect(d).toEqual([
      {
        file: "servers.yaml",
        line: 2,
        col: 6,
        severity: "error",
        code: "LAB207",
        pointer: "/servers/a",
        message:
          'aws server "a" has no size, so there is nothing to create (known sizes: awsonly, bare, nodisk, small)',
        fix: "set `size:` on the server or on one of its labels",
      },
      {
        file: "servers.yaml",
        line: 3,
        col: 6,
        severity: "error",
        code: "LAB207",
        pointer: "/servers/b",
        message:
          'xcpng server "b" has no size, so there is nothing to create (known sizes: awsonly, bare, nodisk, small)',
        fix: "set `size:` on the server or on one of its labels",
      },
    ]);
  });

  it("checks a size taken from a label (the first label that sets one), pointing at the server", async () => {
    const d = await check({
      "sizes.yaml": SIZES,
      "labels.yaml": LABELS,
      "servers.yaml": [
        "servers:",
        "  mail-1: { provider: xcpng, labels: [plain, tiny, web], image: debian-12 }",
        "  ns-1: { provider: ssh, labels: [tiny] }",
        "",
      ].join("\n"),
    });
    expect(d.map(brief)).toEqual([
      'servers.yaml:2:11 error LAB206 /servers/mail-1 | size "awsonly" (from label tiny) has no mapping for provider "xcpng" (it maps aws), so lab cannot create mail-1',
      'servers.yaml:3:9 warning LAB206 /servers/ns-1 | size "awsonly" (from label tiny) has no mapping for provider "ssh" (it maps aws)',
    ]);
    expect(d[0]?.fix).toBe("add sizes.awsonly.providers.xcpng, or set `size:` on mail-1");
    expect(d[0]?.related).toEqual([
      { file: "labels.yaml", line: 3, col: 17 },
      { file: "sizes.yaml", line: 8, col: 5 },
    ]);
  });

  it("checks a server's own size for every provider: an error where lab creates, else a warning", async () => {
    const d = await check({
      "sizes.yaml": SIZES,
      "servers.yaml": [
        "servers:",
        "  a: { provider: aws, size: bare, region: us-east-1, image: ami-1 }",
        "  b: { provider: baremetal, size: awsonly }",
        "  c: { provider: ssh, size: small }",
        "",
      ].join("\n"),
    });
    expect(d.map(brief)).toEqual([
      'servers.yaml:2:29 error LAB206 /servers/a/size | size "bare" has no mapping for provider "aws" (it maps baremetal, xcpng), so lab cannot create a',
      'servers.yaml:3:35 warning LAB206 /servers/b/size | size "awsonly" has no mapping for provider "baremetal" (it maps aws)',
      'servers.yaml:4:29 warning LAB206 /servers/c/size | size "small" has no mapping for provider "ssh" (it maps aws, xcpng)',
    ]);
    expect(d.map((x) => x.fix)).toEqual([
      "add sizes.bare.providers.aws",
      "add sizes.awsonly.providers.baremetal",
      "add sizes.small.providers.ssh",
    ]);
  });

  it("an xcpng mapping needs cores, memory and disk, from itself or the abstract shape: one error per size", async () => {
    const d = await check({
      "sizes.yaml": SIZES,
      "servers.yaml": [
        "servers:",
        "  x-2: { provider: xcpng, size: nodisk, image: debian-12 }",
        "  x-1: { provider: xcpng, size: nodisk, image: debian-12 }",
        "  x-3: { provider: xcpng, size: bare, image: debian-12 }",
        "  x-4: { provider: xcpng, size: small, image: debian-12 }",
        "",
      ].join("\n"),
    });
    expect(d).toEqual([
      {
        file: "sizes.yaml",
        line: 11,
        col: 25,
        severity: "error",
        code: "LAB206",
        pointer: "/sizes/nodisk/providers/xcpng",
        message:
          'size "nodisk" gives xcpng no disk (providers.xcpng.disk or abstract.disk), so lab cannot create x-1, x-2',
        fix: "add disk to sizes.nodisk.providers.xcpng or sizes.nodisk.abstract",
        related: [
          { file: "servers.yaml", line: 3, col: 33 },
          { file: "servers.yaml", line: 2, col: 33 },
        ],
      },
      {
        file: "sizes.yaml",
        line: 13,
        col: 25,
        severity: "error",
        code: "LAB206",
        pointer: "/sizes/bare/providers/xcpng",
        message:
          'size "bare" gives xcpng no cores (providers.xcpng.cores or abstract.cores) and no memory (providers.xcpng.memory or abstract.memory), so lab cannot create x-3',
        fix: "add cores and memory to sizes.bare.providers.xcpng or sizes.bare.abstract",
        related: [{ file: "servers.yaml", line: 4, col: 33 }],
      },
    ]);
  });

  it("reports an incomplete size once however many servers use it, naming the first few", async () => {
    const servers = Array.from(
      { length: 14 },
      (_, i) =>
        `  vm-${String(i).padStart(2, "0")}: { provider: xcpng, size: nodisk, image: debian-12 }`,
    );
    const d = await check({
      "sizes.yaml": SIZES,
      "servers.yaml": ["servers:", ...servers, ""].join("\n"),
    });
    expect(d.map((x) => [x.code, x.pointer, x.related?.length])).toEqual([
      ["LAB206", "/sizes/nodisk/providers/xcpng", 12],
    ]);
    expect(d[0]?.message).toBe(
      'size "nodisk" gives xcpng no disk (providers.xcpng.disk or abstract.disk), so lab cannot create ' +
        "vm-00, vm-01, vm-02, vm-03, vm-04, vm-05, vm-06, vm-07, vm-08, vm-09, vm-10, vm-11 and 2 more",
    );
  });

  it("warns about a missing image and a missing region; a region lab.regions.aws does not map is an error", async () => {
    const d = await check({
      "lab.yaml":
        "lab:\n  regions:\n    aws: { eu-west: eu-west-1 }\n    xcpng: { homelab: pool-1 }\n",
      "sizes.yaml": SIZES,
      "servers.yaml": [
        "servers:",
        "  a: { provider: aws, size: small, region: eu-west }",
        "  b: { provider: aws, size: small, region: homelab, image: ami-1 }",
        "  c: { provider: aws, size: small, image: ami-1 }",
        "  d: { provider: xcpng, size: small, region: homelab }",
        "",
      ].join("\n"),
    });
    expect(d.map(brief)).toEqual([
      'servers.yaml:2:6 warning LAB207 /servers/a | aws server "a" has no image (an AMI id such as ami-0123456789abcdef0)',
      'servers.yaml:3:44 error LAB207 /servers/b/region | aws server "b": region "homelab" is not an AWS region and lab.regions.aws does not map it: the stack uses the AWS provider\'s default region (aws:region, AWS_REGION)',
      'servers.yaml:4:6 warning LAB207 /servers/c | aws server "c" has no region: the stack uses the AWS provider\'s default region (aws:region, AWS_REGION)',
      'servers.yaml:5:6 warning LAB207 /servers/d | xcpng server "d" has no image: Pulumi clones the site\'s default Xen Orchestra template, if one is set',
    ]);
    expect(d.map((x) => x.fix)).toEqual([
      "set `image:` on a",
      "map it under lab.regions.aws (homelab: <an AWS region such as eu-west-1>), or set an AWS region",
      "set `region:` on c",
      "set `image:` on d (a Xen Orchestra template), or a default template in the site settings",
    ]);
  });

  it("a region typo against lab.regions.aws is an error with the closest; without it, a warning", async () => {
    const mapped = await check({
      "lab.yaml": "lab:\n  regions:\n    aws: { eu-west: eu-west-1 }\n",
      "sizes.yaml": SIZES,
      "servers.yaml":
        "servers:\n  e: { provider: aws, size: small, region: eu-wset, image: ami-1 }\n",
    });
    expect(mapped.map((x) => [x.severity, x.code, x.fix])).toEqual([
      ["error", "LAB207", 'replace "eu-wset" with "eu-west"'],
    ]);
    expect(mapped[0]!.message).toContain('(did you mean "eu-west"?)');
    const unmapped = await check({
      "sizes.yaml": SIZES,
      "servers.yaml":
        "servers:\n  e: { provider: aws, size: small, region: nowhere, image: ami-1 }\n",
    });
    expect(unmapped.map((x) => [x.severity, x.code])).toEqual([["warning", "LAB207"]]);
  });

  it("says nothing more where the schema or a reference already failed", async () => {
    const d = await check({
      "sizes.yaml": SIZES,
      "labels.yaml": LABELS + "  broken: { size: nope }\n",
      "servers.yaml": [
        "servers:",
        "  a: { provider: aws, size: 7, image: ami-1, region: us-east-1 }",
        "  b: { provider: aws, labels: 7, image: ami-1, region: us-east-1 }",
        "  c: { provider: aws, labels: [broken], image: ami-1, region: us-east-1 }",
        "  d: { provider: aws, size: huge, image: ami-1, region: us-east-1 }",
        "",
      ].join("\n"),
    });
    expect(d.map((x) => `${x.code} ${x.pointer}`)).toEqual([
      "LAB204 /labels/broken/size",
      "LAB101 /servers/a/size",
      "LAB101 /servers/b/labels",
      "LAB204 /servers/d/size",
    ]);
  });
});
