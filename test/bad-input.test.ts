import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { Diagnostic } from "../core/diagnostics.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";

/** Bad input of every kind: each gives located diagnostics, none throws. */
const temps: string[] = [];

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function onDisk(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "lab-bad-input-"));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

function expectLocated(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(d.file).not.toBe("");
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.col).toBeGreaterThanOrEqual(1);
    expect(d.message).not.toBe("");
  }
}

function billionLaughs(levels: number): string {
  const lines = ["labels:", "  l0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"];
  for (let i = 1; i <= levels; i++) {
    lines.push(`  l${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(", ")}]`);
  }
  return lines.join("\n") + "\n";
}

describe("bad input never throws", () => {
  it("broken YAML", async () => {
    const dir = await onDisk({
      "a.yaml": "servers:\n  web: { provider: aws\n",
      "b.yaml": "servers:\n\tweb-2: {}\n",
      "c.yaml": "key: 'unterminated\n",
      "d.yaml": "a: b: c\n",
      "e.yaml": "---\na: 1\n---\nb: 2\n",
    });
    const { diagnostics, model } = await checkRepo(dirSource(dir));
    expect(codes(diagnostics)).toEqual(["LAB001", "LAB001", "LAB001", "LAB001", "LAB001"]);
    expect(diagnostics.map((d) => d.file)).toEqual([
      "a.yaml",
      "b.yaml",
      "c.yaml",
      "d.yaml",
      "e.yaml",
    ]);
    expectLocated(diagnostics);
    expect(model).toBeNull();
  });

  it("wrong types everywhere", async () => {
    const { diagnostics } = await checkRepo(
      memorySource({
        "a.yaml": [
          "servers: { web: 5, db: [1, 2], x: { provider: [aws], labels: { a: 1 }, size: 3 } }",
          "labels: { l: { ports: 80, alerts: http_check, secrets: [1], size: [] } }",
          "groups: { g: { match: [1], groups: g, servers: { a: 1 }, exclude: 5 } }",
          "alerts: [5, { name: 7, target: [], condition: 5, for: 5 }]",
          "sizes: { s: 1 }",
          "secrets: { a: [] }",
          "lab: { ignore: docs, environments: [] }",
          "",
        ].join("\n"),
      }),
    );
    expect(diagnostics.length).toBeGreaterThan(15);
    expect(new Set(codes(diagnostics))).toEqual(new Set(["LAB101"]));
    expectLocated(diagnostics);
  });

  it("null and empty sections, scalars where sections belong", async () => {
    const { diagnostics } = await checkRepo(
      memorySource({
        "a.yaml": "servers:\nlabels: ~\ngroups: {}\nalerts: []\n",
        "b.yaml": "lab: 5\nsizes: text\n",
        "c.yaml": "~\n",
        "d.yaml": "42\n",
        "e.yaml": "? [complex, key]\n: value\n",
      }),
    );
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual([
      "b.yaml LAB101",
      "b.yaml LAB101",
      "d.yaml LAB002",
      "e.yaml LAB010",
    ]);
    expectLocated(diagnostics);
  });

  it("group cycles and unknown names", async () => {
    const { diagnostics } = await checkRepo(
      memorySource({
        "g.yaml": "groups:\n  a: { groups: [b, ghost] }\n  b: { groups: [a], servers: [nobody] }\n",
        "s.yaml": "servers:\n  x: { provider: aws, size: nosuch, labels: [unknown] }\n",
      }),
    );
    expect(codes(diagnostics)).toEqual(["LAB201", "LAB210", "LAB202", "LAB204", "LAB200"]);
    expectLocated(diagnostics);
  });

  it("a 10 MB file is refused without being parsed", async () => {
    const big = "servers:\n" + "  # padding\n".repeat(1_000_000);
    const dir = await onDisk({ "big.yaml": big, "lab.yaml": "lab: { name: x }\n" });
    const started = performance.now();
    const { diagnostics } = await checkRepo(dirSource(dir));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code}`)).toEqual([
      "big.yaml:1:1 LAB003",
    ]);
  });

  it("a billion-laughs alias bomb stops quickly with bounded memory", async () => {
    const dir = await onDisk({ "bomb.yaml": billionLaughs(9) });
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const { diagnostics } = await checkRepo(dirSource(dir));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
    expect(codes(diagnostics)).toEqual(["LAB004"]);
    expect(diagnostics[0]?.file).toBe("bomb.yaml");
  });

  it("deep nesting, binary garbage, odd tags and special numbers", async () => {
    const garbage = String.fromCharCode(...Array.from({ length: 300 }, (_, i) => (i * 37) % 256));
    const { diagnostics } = await checkRepo(
      memorySource({
        "deep.yaml": "labels: " + "[".repeat(5000) + "]".repeat(5000) + "\n",
        "garbage.yaml": garbage,
        "tags.yaml": "servers:\n  a: !Ref { provider: aws }\n  b: { provider: !!binary aGk= }\n",
        "nums.yaml": "lab:\n  prices: { aws: { t3.small: .inf, t3.large: .nan } }\n",
      }),
    );
    expect(diagnostics.length).toBeGreaterThan(0);
    expectLocated(diagnostics);
    expect(codes(diagnostics.filter((d) => d.file === "deep.yaml"))).toEqual(["LAB003"]);
  });

  it("random corruptions of a valid repo", async () => {
    const valid = [
      "lab: { name: home, ignore: ['docs/**'] }",
      "labels:",
      "  web: { puppet_classes: [nginx], ports: [80, 443], size: small, alerts: [http_check] }",
      "sizes:",
      "  small: { providers: { aws: { instance_type: t3.small } } }",
      "servers:",
      "  web-01: { provider: aws, labels: [web], environment: prod, region: eu-west }",
      "groups:",
      "  prod: { match: { environment: prod }, exclude: { servers: [web-01] } }",
      "alerts:",
      "  - name: web_down",
      "    target: { groups: [prod] }",
      "    condition: up < 1",
      "    for: 5m",
      "",
    ].join("\n");
    let seed = 42;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const alphabet = "{}[]:,-&*!|>'\"#\n\t ab01";
    for (let round = 0; round < 200; round++) {
      let text = valid;
      for (let edits = 1 + next(4); edits > 0; edits--) {
        const at = next(text.length);
        const kind = next(3);
        if (kind === 0) text = text.slice(0, at) + text.slice(at + 1 + next(5));
        else if (kind === 1)
          text = text.slice(0, at) + alphabet[next(alphabet.length)] + text.slice(at);
        else text = text.slice(0, at);
      }
      const { diagnostics } = await checkRepo(memorySource({ "repo.yaml": text }));
      expectLocated(diagnostics);
    }
  });
});
