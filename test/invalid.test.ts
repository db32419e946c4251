import { cp, mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { existsSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { dirSource } from "../adapters/fs/dir-source.js";
import { DIAGNOSTIC_CODES, type Diagnostic } from "../core/diagnostics.js";
import { checkRepo } from "../reconciler/check-repo.js";

/**
 * One repo per diagnostic code under test/invalid/<CODE>-<slug>/, each with expected.json: the
 * exact diagnostics `checkRepo` gives with the renderers run, as `lab validate` does (message,
 * where present, is a substring check). A folder
 * may hold generate.json to create files in a temporary copy instead of checking them in: big
 * ones (`text` + `repeat` × `times`) or exact bytes (`base64`).
 */
const ROOT = fileURLToPath(new URL("./invalid/", import.meta.url));

/** Codes that `checkRepo` on a checked-in folder cannot show, and where they are tested. */
const ELSEWHERE: Readonly<Record<string, string>> = {
  LAB006: "reconciler/load/load-repo.test.ts (an unreadable file)",
};

interface Expected {
  file: string;
  line: number;
  col: number;
  severity: string;
  code: string;
  pointer: string;
  message?: string;
}

interface Generate {
  files: { path: string; text?: string; repeat?: string; times?: number; base64?: string }[];
}

const folders = readdirSync(ROOT)
  .filter((name) => statSync(join(ROOT, name)).isDirectory())
  .sort();
const temps: string[] = [];

afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function prepare(folder: string): Promise<string> {
  const source = join(ROOT, folder);
  const spec = join(source, "generate.json");
  if (!existsSync(spec)) return source;
  const dir = await mkdtemp(join(tmpdir(), `lab-invalid-${folder}-`));
  temps.push(dir);
  await cp(source, dir, { recursive: true });
  const { files } = JSON.parse(await readFile(spec, "utf8")) as Generate;
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    const text = (f.text ?? "") + (f.repeat ?? "").repeat(f.times ?? 0);
    await writeFile(
      join(dir, f.path),
      f.base64 === undefined ? text : Buffer.from(f.base64, "base64"),
    );
  }
  return dir;
}

function located(d: Diagnostic | Expected): Omit<Expected, "message"> {
  const { file, line, col, severity, code, pointer } = d;
  return { file, line, col, severity, code, pointer };
}

describe("invalid repos", () => {
  it.each(folders)("%s", async (folder) => {
    const expected = JSON.parse(
      await readFile(join(ROOT, folder, "expected.json"), "utf8"),
    ) as Expected[];
    const dir = await prepare(folder);
    const { diagnostics, model } = await checkRepo(dirSource(dir), { render: true });
    expect(diagnostics.map(located)).toEqual(expected.map(located));
    expected.forEach((e, i) => {
      if (e.message !== undefined) expect(diagnostics[i]?.message).toContain(e.message);
    });
    const code = folder.split("-")[0];
    expect(expected.map((e) => e.code)).toContain(code);
    // Resolution stops at errors of load, validate and resolve; render errors keep the model.
    const rendering = new Set<string>(); // no renderer reports user input: validate does
    const errors = expected.some((e) => e.severity === "error" && !rendering.has(e.code));
    expect(model === null).toBe(errors);
  });

  it("has a folder for every diagnostic code", () => {
    const covered = new Set(folders.map((f) => f.split("-")[0]));
    const missing = Object.keys(DIAGNOSTIC_CODES).filter(
      (code) => !covered.has(code) && !Object.hasOwn(ELSEWHERE, code),
    );
    expect(missing).toEqual([]);
  });
});
