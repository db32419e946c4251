import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import type { Diagnostic } from "../core/diagnostics.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource, type MemoryFile } from "../reconciler/load/memory-source.js";
import { lab } from "./cli-harness.js";
import { asUnprivileged } from "./unprivileged.js";

/** Bad input of every kind: each gives located diagnostics, none throws. */
const temps: string[] = [];

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function onDisk(files: Record<string, MemoryFile>): Promise<string> {
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
      "e.yaml": "a:\n  b: [\n  1\n  ]\n",
    });
    const { diagnostics, model } = await checkRepo(dirSource(dir));
    // One root problem per file, although the parser reports several for a.yaml and e.yaml.
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
        "s.yaml":
          "servers:\n  x: { provider: ssh, address: 10.0.0.9, size: nosuch, labels: [unknown] }\n",
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
    expect(diagnostics.filter((d) => d.file === "tags.yaml").map(at)).toEqual([
      "tags.yaml:2:6 LAB009 /servers/a",
      "tags.yaml:3:18 LAB009 /servers/b/provider",
    ]);
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
      expectLabWords(diagnostics);
      expect(codes(diagnostics).filter((c) => c === "LAB001").length).toBeLessThanOrEqual(1);
    }
  });
});

function at(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col} ${d.code} ${d.pointer}`.trimEnd();
}

/** Nothing of the yaml package's own wording or API advice reaches the user. */
function expectLabWords(diagnostics: readonly Diagnostic[]): void {
  for (const d of diagnostics) {
    expect(`${d.message} ${d.fix ?? ""}`).not.toMatch(
      /parseAllDocuments|YAML\.parse|Implicit|indicator|token|Unresolved tag|expected a mapping, got the number/,
    );
  }
}

describe("input the loader does not accept is reported in lab's words", () => {
  it("bytes that are not UTF-8, located at the first bad byte; a UTF-8 BOM is fine (LAB007)", async () => {
    const latin1 = Buffer.from("servers:\n  web-01: { provider: aws } # caf\xe9\n", "latin1");
    const utf16 = Buffer.from("\ufefflabels: {}\n", "utf16le");
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("sizes: {}\n")]);
    const dir = await onDisk({ "a.yaml": latin1, "b.yaml": utf16, "c.yaml": bom });
    const { diagnostics, repo } = await checkRepo(dirSource(dir));
    expect(diagnostics.map(at)).toEqual(["a.yaml:2:34 LAB007", "b.yaml:1:1 LAB007"]);
    expect(diagnostics[0]?.message).toContain("byte 0xE9");
    expect(diagnostics[0]?.fix).toContain("iconv -f latin1 -t utf-8 a.yaml");
    expect(repo.unloaded.map((u) => u.path)).toEqual(["a.yaml", "b.yaml"]);
    expect(repo.config.servers).toBeUndefined();
  });

  it("a second YAML document, at its start; a leading --- alone is one document (LAB008)", async () => {
    const { diagnostics } = await checkRepo(
      memorySource({
        "a.yaml": "servers:\n  a: { provider: ssh }\n---\nservers:\n  b: { provider: ssh }\n",
        "b.yaml": "labels: {}\n...\nsizes: {}\n",
        "c.yaml": "---\ngroups: {}\n",
      }),
    );
    expect(diagnostics.map(at)).toEqual(["a.yaml:3:1 LAB008", "b.yaml:3:1 LAB008"]);
    expectLabWords(diagnostics);
  });

  it("tags and value types lab does not read: one LAB009 each, and nothing else about them", async () => {
    const { diagnostics, repo } = await checkRepo(
      memorySource({
        "a.yaml": "servers: !!binary aGVsbG8=\n",
        "b.yaml": "labels:\n  web: { ports: !!set { 80, 443 }, size: !!timestamp 2024-01-01 }\n",
        "c.yaml": "groups:\n  g: !ruby/object:Group { servers: [x] }\n  h: !!omap [ { a: 1 } ]\n",
        "d.yaml": "sizes:\n  s: { abstract: { cores: !!pairs [ { a: 1 } ] } }\n",
      }),
    );
    expect(diagnostics.map(at)).toEqual([
      "a.yaml:1:10 LAB009 /servers",
      "b.yaml:2:17 LAB009 /labels/web/ports",
      "b.yaml:2:42 LAB009 /labels/web/size",
      "c.yaml:2:6 LAB009 /groups/g",
      "c.yaml:3:6 LAB009 /groups/h",
      "d.yaml:2:27 LAB009 /sizes/s/abstract/cores",
    ]);
    expectLabWords(diagnostics);
    expect(repo.unloaded.map((u) => `${u.path} ${u.cause.code}`)).toEqual([
      "a.yaml LAB009",
      "b.yaml LAB009",
      "c.yaml LAB009",
      "d.yaml LAB009",
    ]);
  });

  it("the yaml package's errors, in lab's words with a fix (LAB001)", async () => {
    const { diagnostics } = await checkRepo(
      memorySource({
        "a.yaml": "servers:\n\tweb-2: {}\n",
        "b.yaml": "servers:\n  web-01\n    provider: aws\n",
        "c.yaml": "labels: { web: { ports: [80, 443 }\n",
        "d.yaml": "alerts:\n  - name: x\n    condition: 'up < 1\n",
      }),
    );
    expect(diagnostics.map((d) => `${at(d)} ${d.message} (fix: ${d.fix})`)).toEqual([
      "a.yaml:2:1 LAB001 YAML syntax error: a tab indents this line; YAML indents with spaces only (fix: replace the tab with spaces)",
      'b.yaml:2:3 LAB001 YAML syntax error: "web-01" has no ":" after it, so YAML reads it and the next line as one key (fix: add ":" after "web-01" if it is a key, or "- " before it if it is a list item)',
      'c.yaml:1:34 LAB001 YAML syntax error: the list opened with "[" is not closed: "]" is missing before this point (fix: close it with "]", or indent the lines that continue it further than its key)',
      "d.yaml:3:16 LAB001 YAML syntax error: this single-quoted string is not closed: the closing ' is missing (fix: add the closing '; inside single quotes write '' for a quote character)",
    ]);
  });
});

describe("an unreadable directory (mode 000, read as an unprivileged user)", () => {
  it("is a located LAB006 in lab validate's text and JSON output", async () => {
    const dir = await onDisk({
      "lab.yaml": "lab: { name: t }\n",
      "servers/eu/web.yaml": "servers: {}\n",
    });
    await chmod(dir, 0o755);
    await lab(["validate", "--repo", dir]);
    await chmod(join(dir, "servers", "eu"), 0o000);
    try {
      const text = await asUnprivileged(() => lab(["validate", "--repo", dir]));
      const json = await asUnprivileged(() => lab(["validate", "--repo", dir, "-o", "json"]));
      const line =
        "servers/eu:1:1: error LAB006 cannot read directory: permission denied (EACCES); the files in it are not loaded (fix: make it readable by the user lab runs as, or list it in lab.ignore if it is not config)";
      expect({ code: text.code, stdout: text.stdout }).toEqual({ code: 1, stdout: line + "\n" });
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({
        diagnostics: [
          {
            file: "servers/eu",
            line: 1,
            col: 1,
            severity: "error",
            code: "LAB006",
            pointer: "",
            message:
              "cannot read directory: permission denied (EACCES); the files in it are not loaded",
            fix: "make it readable by the user lab runs as, or list it in lab.ignore if it is not config",
          },
        ],
      });
    } finally {
      await chmod(join(dir, "servers", "eu"), 0o755);
    }
  });
});
