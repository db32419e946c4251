/**
 * The persistent cache's store: entries round-trip (Maps, shared objects, -0, NaN), a damaged
 * entry of any kind is a miss, writes are atomic, builds do not share entries, the cache stays
 * bounded, and a directory that cannot be written turns it off with one warning.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDiskCache } from "../adapters/cache/disk-cache.js";
import { decodeEntry, encodeEntry, readEntry, writeEntry } from "../adapters/cache/entry-file.js";
import type { LoadedFile } from "../reconciler/load/load-file.js";
import { parseConfigYaml } from "../reconciler/load/load-file.js";
import { asUnprivileged } from "./unprivileged.js";

const base = mkdtempSync(join(tmpdir(), "lab-cache-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;
function freshDir(): string {
  const dir = join(base, `d${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const CODE_A = "a".repeat(64);
const CODE_B = "b".repeat(64);
const KEY = "c".repeat(64);

describe("cache entries", () => {
  it("round-trip maps keyed by objects, shared objects and special numbers", () => {
    const shared = { x: [1, 2] };
    const value = {
      m: new Map<object, number>([[shared, 1]]),
      a: shared,
      b: shared,
      z: -0,
      q: NaN,
    };
    const back = decodeEntry(encodeEntry(value)) as typeof value;
    expect(back.a).toBe(back.b);
    expect([...back.m.keys()][0]).toBe(back.a);
    expect(Object.is(back.z, -0)).toBe(true);
    expect(back.q).toBeNaN();
  });

  it("reads every truncation, every flipped byte and foreign bytes as a miss", () => {
    const bytes = encodeEntry({ servers: ["a", "b"], n: 42 });
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(decodeEntry(bytes.subarray(0, cut)), `cut at ${cut}`).toBeUndefined();
    }
    for (let i = 0; i < bytes.length; i++) {
      const bad = Buffer.from(bytes);
      bad[i] = bad[i]! ^ 0x5a;
      expect(decodeEntry(bad), `byte ${i}`).toBeUndefined();
    }
    expect(decodeEntry(Buffer.from("not an entry at all"))).toBeUndefined();
    expect(decodeEntry(Buffer.concat([bytes, Buffer.from("x")]))).toBeUndefined();
  });

  it("writes atomically: no temporary file is left, a missing or unreadable file is a miss", async () => {
    const dir = freshDir();
    const path = join(dir, "sub", "e.bin");
    writeEntry(path, encodeEntry({ v: 1 }));
    writeEntry(path, encodeEntry({ v: 2 }));
    expect(readEntry(path)).toEqual({ v: 2 });
    expect(readdirSync(join(dir, "sub"))).toEqual(["e.bin"]);
    expect(readEntry(join(dir, "missing.bin"))).toBeUndefined();
    chmodSync(path, 0o000);
    expect(await asUnprivileged(() => Promise.resolve(readEntry(path)))).toBeUndefined();
    chmodSync(path, 0o644);
  });
});

describe("the disk cache", () => {
  it("keeps parsed files by blob id, and never serves one build's entries to another", () => {
    const dir = freshDir();
    const text = "servers:\n  a: { provider: aws }\n";
    const file: LoadedFile = {
      id: "d".repeat(40),
      parsed: parseConfigYaml("a.yaml", text),
      unloaded: null,
    };
    const a = openDiskCache({ dir, codeId: CODE_A });
    a.files.set(file.id!, file);
    const back = a.files.get(file.id!)!;
    expect(back.parsed.sections).toEqual(file.parsed.sections);
    // Positions are keyed by the very objects of the data: the identity survives the round trip.
    const servers = (back.parsed.sections as { servers: object }).servers;
    expect(back.parsed.positions!.containers.get(servers)).toEqual(
      file.parsed.positions!.containers.get((file.parsed.sections as { servers: object }).servers),
    );
    expect(a.files.get("e".repeat(40))).toBeUndefined();
    expect(openDiskCache({ dir, codeId: CODE_B }).files.get(file.id!)).toBeUndefined();
  });

  it("reads a damaged repo entry as a miss and writes over it", () => {
    const dir = freshDir();
    const cache = openDiskCache({ dir, codeId: CODE_A });
    cache.write("repos", KEY, { ok: true });
    const path = join(cache.root, "repos", `${KEY}.bin`);
    writeFileSync(path, readFileSync(path).subarray(0, 10));
    expect(cache.read("repos", KEY)).toBeUndefined();
    cache.write("repos", KEY, { ok: 2 });
    expect(cache.read("repos", KEY)).toEqual({ ok: 2 });
  });

  it("keeps the newest repo and file entries and the newest two builds", () => {
    const dir = freshDir();
    const cache = openDiskCache({ dir, codeId: CODE_A, maxRepos: 3, maxFiles: 2 });
    for (let i = 0; i < 3; i++) cache.files.set(`${i}`.padStart(40, "f"), { i } as never);
    for (let i = 0; i < 6; i++) cache.write("repos", `${i}`.padStart(64, "0"), { i });
    expect(readdirSync(join(cache.root, "repos")).length).toBe(3);
    expect(readdirSync(join(cache.root, "files")).length).toBe(2);
    expect(cache.read("repos", "5".padStart(64, "0"))).toEqual({ i: 5 });
    writeFileSync(join(dir, "not-ours.txt"), "kept");
    // Builds age by their folder's time: set apart, so that three made in one millisecond
    // still have an order.
    const ago = (code: string, seconds: number) => {
      const at = new Date(Date.now() - seconds * 1000);
      utimesSync(join(dir, code.slice(0, 32)), at, at);
    };
    ago(CODE_A, 20);
    openDiskCache({ dir, codeId: CODE_B }).write("repos", KEY, 1);
    ago(CODE_B, 10);
    openDiskCache({ dir, codeId: "9".repeat(64) }).write("repos", KEY, 1);
    expect(readdirSync(dir).sort()).toEqual(
      ["9".repeat(32), "b".repeat(32), "not-ours.txt"].sort(),
    );
  });

  it("turns itself off with one warning when the directory cannot be written", async () => {
    const dir = freshDir();
    chmodSync(dir, 0o555);
    const warnings: string[] = [];
    await asUnprivileged(() => {
      const cache = openDiskCache({ dir, codeId: CODE_A, onWarning: (m) => warnings.push(m) });
      cache.write("repos", KEY, { a: 1 });
      cache.write("repos", KEY, { a: 2 });
      cache.files.set("d".repeat(40), { id: "d".repeat(40) } as never);
      expect(cache.writable).toBe(false);
      expect(cache.read("repos", KEY)).toBeUndefined();
      return Promise.resolve();
    });
    chmodSync(dir, 0o755);
    expect(warnings).toEqual([`cache off: cannot write ${dir} (EACCES)`]);
    expect(existsSync(join(dir, "a".repeat(32)))).toBe(false);
  });
});
