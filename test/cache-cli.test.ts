/**
 * The CLI through the persistent cache: every read verb prints the same bytes cold, warm and
 * without the cache, also after a one-file edit and on a broken repo; a warm run answers from the
 * stored check and a one-file edit parses only that file.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkRepoCached } from "../adapters/cache/cached-check.js";
import { openDiskCache } from "../adapters/cache/disk-cache.js";
import { dirSource } from "../adapters/fs/dir-source.js";
import { codeId } from "../adapters/output/code-id.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { createLoadCache } from "../reconciler/load/load-file.js";
import { copyExample, lab, removeTemps, type Run } from "./cli-harness.js";

const cacheDirs: string[] = [];
afterAll(() => {
  removeTemps();
  for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
});

function newCacheDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lab-cli-cache-"));
  cacheDirs.push(dir);
  return dir;
}

const VERBS: readonly (readonly string[])[] = [
  ["validate"],
  ["validate", "-o", "json", "--all"],
  ["get", "servers"],
  ["get", "servers", "-o", "json"],
  ["get", "servers", "--label", "mailserver", "-o", "wide"],
  ["get", "labels"],
  ["get", "groups", "-o", "yaml"],
  ["get", "alerts"],
  ["show", "server", "mail-1"],
  ["show", "group", "production"],
  ["show", "label", "mailserver", "-o", "json"],
  ["targets", "server", "db-1"],
  ["explain", "server", "api-1", "group", "production"],
];

async function runAll(repo: string, env: Record<string, string>): Promise<Run[]> {
  const runs: Run[] = [];
  for (const verb of VERBS) runs.push(await lab(["--repo", repo, ...verb], { env }));
  return runs;
}

const ROLES = "labels/roles.yaml";

describe("the CLI with the persistent cache", () => {
  it("prints the same bytes cold, warm, without the cache, and after a one-file edit", async () => {
    const repo = copyExample();
    const cached = { LAB_CACHE_DIR: newCacheDir() };
    const uncached = { LAB_NO_CACHE: "1", LAB_CACHE_DIR: newCacheDir() };
    const reference = await runAll(repo, uncached);
    expect(reference.filter((r) => r.code === 0).length).toBe(VERBS.length);
    expect(await runAll(repo, cached)).toEqual(reference);
    expect(await runAll(repo, cached)).toEqual(reference);
    expect(readdirSync(uncached.LAB_CACHE_DIR)).toEqual([]);
    const roles = readFileSync(join(repo, ROLES), "utf8");
    writeFileSync(join(repo, ROLES), roles.replace("spamassassin, fail2ban", "fail2ban"));
    const edited = await runAll(repo, uncached);
    expect(edited).not.toEqual(reference);
    expect(await runAll(repo, cached)).toEqual(edited);
    expect(await runAll(repo, cached)).toEqual(edited);
  });

  it("prints the same bytes on a broken repo (answers from what loaded, diagnostics)", async () => {
    const repo = copyExample();
    writeFileSync(join(repo, "sizes.yaml"), "sizes:\n  medium: [\n");
    const cached = { LAB_CACHE_DIR: newCacheDir() };
    const reference = await runAll(repo, { LAB_NO_CACHE: "1" });
    expect(reference.filter((r) => r.code === 1).length).toBe(VERBS.length);
    expect(await runAll(repo, cached)).toEqual(reference);
    expect(await runAll(repo, cached)).toEqual(reference);
  });

  it("neither reads nor writes the cache with --no-cache", async () => {
    const repo = copyExample();
    const dir = newCacheDir();
    const flagged = await lab(["--repo", repo, "--no-cache", "get", "servers"], {
      env: { LAB_CACHE_DIR: dir },
    });
    expect(flagged.code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    const cached = await lab(["--repo", repo, "get", "servers"], { env: { LAB_CACHE_DIR: dir } });
    expect(cached.stdout).toBe(flagged.stdout);
    expect(readdirSync(dir)).not.toEqual([]);
  });

  it("answers a warm check from the store, and parses only the edited file after an edit", async () => {
    const repo = copyExample();
    const cache = openDiskCache({ dir: newCacheDir(), codeId: await codeId() });
    const cold = await checkRepoCached(dirSource(repo), repo, cache, { render: true });
    expect(cold.hit).toBe(false);
    // Every config file was parsed once (those lab.ignore drops too), none twice.
    const fresh = createLoadCache();
    await checkRepo(dirSource(repo), { cache: fresh });
    expect(cold.parsed).toBe(fresh.stats.parsed);
    const warm = await checkRepoCached(dirSource(repo), repo, cache, { render: true });
    expect(warm.hit).toBe(true);
    expect(warm.parsed).toBe(0);
    expect(warm.checked.diagnostics).toEqual(cold.checked.diagnostics);
    expect(warm.checked.model).toEqual(cold.checked.model);
    for (const pointer of ["/servers/mail-1/labels/0", "/labels/mailserver", "/alerts/0/name"]) {
      expect(warm.checked.repo.sources.locate(pointer, { key: true })).toEqual(
        cold.checked.repo.sources.locate(pointer, { key: true }),
      );
    }
    // Other options are other entries: the render check is not reused for a partial one.
    expect((await checkRepoCached(dirSource(repo), repo, cache, { partial: true })).hit).toBe(
      false,
    );
    const roles = readFileSync(join(repo, ROLES), "utf8");
    writeFileSync(join(repo, ROLES), roles.replace("postfix, ", ""));
    const edited = await checkRepoCached(dirSource(repo), repo, cache, { render: true });
    expect(edited.hit).toBe(false);
    expect(edited.parsed).toBe(1);
    expect(edited.checked.model).not.toEqual(cold.checked.model);
  });

  it("works with a cache directory that cannot be made, with one warning", async () => {
    const repo = copyExample();
    const file = join(newCacheDir(), "a-file");
    writeFileSync(file, "");
    const env = { LAB_CACHE_DIR: join(file, "cache") };
    const reference = await lab(["--repo", repo, "get", "servers"], { env: { LAB_NO_CACHE: "1" } });
    const run = await lab(["--repo", repo, "get", "servers"], { env });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(reference.stdout);
    expect(run.stderr).toBe(`warning: cache off: cannot write ${env.LAB_CACHE_DIR} (ENOTDIR)\n`);
  });
});
