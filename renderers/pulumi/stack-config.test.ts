import { describe, expect, it } from "vitest";
import { parseStackConfig, projectName, stackName } from "./stack-config.js";

function stack(servers: string): string {
  return `config:\n  lab:provider: xcpng\n  lab:servers:\n${servers}`;
}

describe("stack names", () => {
  it("joins provider and environment; no environment gives the provider alone", () => {
    expect(stackName("aws", "prod")).toBe("aws-prod");
    expect(stackName("xcpng", "staging")).toBe("xcpng-staging");
    expect(stackName("aws", null)).toBe("aws");
  });

  it("makes a Pulumi project name from the repo's name", () => {
    expect(projectName("acme-infra")).toBe("acme-infra");
    expect(projectName("acme infra / eu")).toBe("acme-infra-eu");
    expect(projectName("  ")).toBe("lab");
    expect(projectName("x".repeat(120))).toHaveLength(100);
  });
});

describe("parseStackConfig", () => {
  it("reads a stack with no servers and no environment", () => {
    expect(parseStackConfig("config:\n  lab:provider: aws\n")).toEqual({
      ok: true,
      config: { provider: "aws", environment: null, servers: {} },
    });
  });

  it("refuses what the program could not use, naming the problem", () => {
    const cases: [string, string][] = [
      ["[1, 2", "not YAML: "],
      ["- a\n", "no `config` mapping"],
      ["config:\n  lab:provider: baremetal\n", "lab:provider must be aws or xcpng"],
      ["config:\n  lab:provider: aws\n  lab:environment: 3\n", "lab:environment must be a string"],
      ["config:\n  lab:provider: aws\n  lab:servers: [a]\n", "lab:servers must be a mapping"],
      [stack("    vm-1: 3\n"), "server vm-1 is not a mapping"],
      [stack("    vm-1: { tags: [] }\n"), "server vm-1 has no size"],
      [
        stack("    vm-1: { size: m, tags: [], xcpng: { cores: 2 } }\n"),
        "server vm-1 needs xcpng.cores and xcpng.memory_mb (positive integers)",
      ],
      [
        stack("    vm-1: { size: m, tags: [], xcpng: { cores: 2, memory_mb: 512 } }\n"),
        "server vm-1 needs xcpng.disk_gb (a positive integer)",
      ],
      [
        stack(
          "    vm-1: { size: m, tags: {a: b}, xcpng: { cores: 2, memory_mb: 512, disk_gb: 9 } }\n",
        ),
        "server vm-1: tags must be a list of strings",
      ],
      [
        "config:\n  lab:provider: aws\n  lab:servers:\n    a: { size: m, aws: {}, tags: {} }\n",
        "server a has no aws.instance_type",
      ],
      [
        "config:\n  lab:provider: aws\n  lab:servers:\n    a: { size: m, aws: { instance_type: t3.nano, volume_size: 0 }, tags: {} }\n",
        "server a: aws.volume_size must be a positive integer",
      ],
      [
        "config:\n  lab:provider: aws\n  lab:servers:\n    a: { size: m, aws: { instance_type: t3.nano }, tags: { x: 1 } }\n",
        "server a: tags must map names to strings",
      ],
      [
        "config:\n  lab:provider: aws\n  lab:servers:\n    a: { size: m, image: 5, aws: { instance_type: t3.nano }, tags: {} }\n",
        "server a: image and region must be strings",
      ],
    ];
    for (const [text, message] of cases) {
      const parsed = parseStackConfig(text);
      expect(parsed.ok, text).toBe(false);
      if (!parsed.ok) expect(parsed.message.startsWith(message), parsed.message).toBe(true);
    }
  });
});
