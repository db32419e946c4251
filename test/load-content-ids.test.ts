/**
 * Content ids: a file's is git's own blob id (checked against `git hash-object`), the LoadCache is
 * keyed by it (a moved or copied file is not parsed again, and its positions name where it is
 * now), and a repo's id is built from its files' blob ids.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FileSource } from "../core/file-source.js";
import { blobId, contentId } from "../reconciler/load/content-id.js";
import { createLoadCache, loadRepo } from "../reconciler/load/load-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";

const tmp = mkdtempSync(join(tmpdir(), "lab-ids-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function gitHashObject(bytes: Uint8Array): string {
  const file = join(tmp, "blob");
  writeFileSync(file, bytes);
  return execFileSync("git", ["hash-object", file], { encoding: "utf8" }).trim();
}

const SERVERS = "servers:\n  web-1: { provider: aws }\n  db-1: { provider: ssh }\n";
const LABELS = "labels:\n  mail:\n    puppet_classes: [postfix]\n";
/** Loads, with a duplicate key (LAB005): its message names its own path. */
const DUPLICATE = "sizes:\n  small: { abstract: { cores: 1, memory: 1GB } }\n  small: {}\n";

describe("content ids", () => {
  it("gives git's blob id for every kind of content", () => {
    const contents = [
      "",
      "a: 1\n",
      SERVERS,
      "ünïcödé: ✓\n",
      "\u0000\u00ff binary",
      "x".repeat(70000),
    ];
    for (const text of contents) {
      const bytes = Buffer.from(text, "utf8");
      expect(blobId(bytes), JSON.stringify(text.slice(0, 20))).toBe(gitHashObject(bytes));
    }
  });

  it("builds a repo's id from listed blob ids without reading, equal to the one from bytes", async () => {
    const files = { "servers.yaml": SERVERS, "labels.yaml": LABELS, "notes.txt": "x" };
    const plain = memorySource(files);
    const listed: FileSource = {
      description: "listed",
      async list(signal) {
        const listing = await plain.list(signal);
        const entries = listing.files.map((f) => ({
          ...f,
          id: blobId(Buffer.from((files as Record<string, string>)[f.path]!)),
        }));
        return { ...listing, files: entries };
      },
      read: () => Promise.reject(new Error("a source with listed ids is not read")),
    };
    expect(await contentId(listed)).toBe(await contentId(plain));
    const changed = memorySource({ ...files, "labels.yaml": LABELS + "  web: {}\n" });
    expect(await contentId(changed)).not.toBe(await contentId(plain));
    const renamed = memorySource({ "servers.yaml": SERVERS, "other.yaml": LABELS });
    expect(await contentId(renamed)).not.toBe(await contentId(plain));
    // Files that are neither config nor Puppet code do not count.
    expect(await contentId(memorySource({ ...files, "notes.txt": "y" }))).toBe(
      await contentId(plain),
    );
  });
});

describe("the LoadCache by content id", () => {
  it("does not parse a moved file again, and its positions name where it is now", async () => {
    const cache = createLoadCache();
    await loadRepo(memorySource({ "a.yaml": SERVERS, "labels.yaml": LABELS }), { cache });
    const before = cache.files.get(blobId(Buffer.from(SERVERS)))!.parsed.sections as {
      servers: Record<string, unknown>;
    };
    const moved = { "servers/all.yaml": SERVERS, "labels.yaml": LABELS };
    const warm = await loadRepo(memorySource(moved), { cache });
    const cold = await loadRepo(memorySource(moved));
    expect(cache.stats.parsed).toBe(2);
    expect(cache.stats.reused).toBe(2);
    // The same parsed values, not a second parse of the same text.
    expect(warm.value.config.servers?.["db-1"]).toBe(before.servers["db-1"]);
    expect(warm.value.config).toEqual(cold.value.config);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(warm.value.files).toEqual(["labels.yaml", "servers/all.yaml"]);
    for (const pointer of [
      "/servers/db-1/provider",
      "/servers/web-1",
      "/labels/mail/puppet_classes/0",
    ]) {
      for (const key of [false, true]) {
        expect(warm.value.sources.locate(pointer, { key })).toEqual(
          cold.value.sources.locate(pointer, { key }),
        );
      }
    }
    expect(warm.value.sources.locate("/servers/db-1/provider").file).toBe("servers/all.yaml");
  });

  it("loads one content under two paths, each with its own positions", async () => {
    const cache = createLoadCache();
    const a = "servers:\n  a: { provider: aws }\n";
    const files = { "x/one.yaml": a, "y/two.yaml": a };
    const warm = await loadRepo(memorySource(files), { cache });
    const cold = await loadRepo(memorySource(files));
    expect(cache.stats.parsed).toBe(1);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(warm.diagnostics.map((d) => [d.code, d.file])).toEqual([["LAB011", "y/two.yaml"]]);
    expect(warm.diagnostics[0]!.related).toEqual(cold.diagnostics[0]!.related);
  });

  it("parses a moved file with diagnostics again, so they name its new path", async () => {
    const cache = createLoadCache();
    const first = await loadRepo(memorySource({ "sizes.yaml": DUPLICATE }), { cache });
    expect(first.diagnostics.map((d) => [d.code, d.file])).toEqual([["LAB005", "sizes.yaml"]]);
    const moved = { "conf/sizes.yaml": DUPLICATE };
    const warm = await loadRepo(memorySource(moved), { cache });
    const cold = await loadRepo(memorySource(moved));
    expect(cache.stats.parsed).toBe(2);
    expect(warm.diagnostics).toEqual(cold.diagnostics);
    expect(warm.diagnostics[0]!.message).toContain("conf/sizes.yaml:2:3");
  });

  it("parses a changed file again and keeps only the current load's files", async () => {
    const cache = createLoadCache();
    const files: Record<string, string> = { "a.yaml": SERVERS, "b.yaml": LABELS };
    await loadRepo(memorySource(files), { cache });
    files["b.yaml"] = LABELS.replace("postfix", "dovecot");
    const warm = await loadRepo(memorySource(files), { cache });
    expect(cache.stats).toEqual({ parsed: 3, reused: 1, stored: 0 });
    expect(warm.value.config.labels).toEqual({ mail: { puppet_classes: ["dovecot"] } });
    expect([...cache.files.keys()].sort()).toEqual(
      [blobId(Buffer.from(SERVERS)), blobId(Buffer.from(files["b.yaml"]))].sort(),
    );
  });
});
