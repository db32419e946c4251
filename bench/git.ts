/**
 * The Git source's two implementations on the same commit: list a commit's tree and read every
 * file, with the git binary (`ls-tree -r -l` + one `cat-file --batch`) and with isomorphic-git
 * (readTree + readBlob). `prepare` commits the generated repo to a temporary git repo and mirrors
 * it (packed), untimed; each run opens a fresh source on that mirror, so process start-up and
 * pack index loading are in the figure. Parts: native, isomorphic (ms).
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { isoGitSource } from "../adapters/git/iso-git-source.js";
import { nativeGitSource } from "../adapters/git/native-git-source.js";
import type { GitSource } from "../core/git-source.js";
import type { Parts, Stage } from "./stages.js";

const run = promisify(execFile);

interface Input {
  /** The bare mirror both implementations read. */
  mirror: string;
  revision: string;
}

/** Who commits the generated repo (the bench has no git identity of its own). */
export const COMMIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "bench",
  GIT_AUTHOR_EMAIL: "bench@example.org",
  GIT_COMMITTER_NAME: "bench",
  GIT_COMMITTER_EMAIL: "bench@example.org",
};

/** How many files are read at once, as the loader does. */
const CONCURRENCY = 32;

/** Lists the tree and reads every file; returns the bytes read. */
async function readAll(source: GitSource, revision: string): Promise<number> {
  const tree = await source.tree(revision);
  const { files } = await tree.list();
  let bytes = 0;
  for (let i = 0; i < files.length; i += CONCURRENCY) {
    const batch = files.slice(i, i + CONCURRENCY);
    for (const b of await Promise.all(batch.map((f) => tree.read(f.path)))) bytes += b.length;
  }
  return bytes;
}

async function timed(open: () => GitSource, revision: string): Promise<[number, number]> {
  const start = performance.now();
  const source = open();
  try {
    const bytes = await readAll(source, revision);
    return [performance.now() - start, bytes];
  } finally {
    await source.close();
  }
}

export const gitStage: Stage<Input> = {
  name: "git",
  description:
    "list + read every file of a commit: native git (ls-tree, cat-file --batch) vs isomorphic-git",
  async prepare(dir) {
    const parent = await mkdtemp(join(tmpdir(), "lab-bench-git-"));
    const gitDir = join(parent, "work.git");
    const git = (...args: string[]) =>
      run("git", [`--git-dir=${gitDir}`, `--work-tree=${dir}`, ...args], { env: COMMIT_ENV });
    await run("git", ["init", "--quiet", "--bare", "--initial-branch=main", gitDir]);
    await git("add", "--all", ".");
    await git("commit", "--quiet", "--message", "generated repo");
    const mirror = join(parent, "mirror.git");
    const source = nativeGitSource(gitDir, { cache: mirror });
    const { revision } = await source.fetch("default");
    await source.close();
    return { mirror, revision };
  },
  async run({ mirror, revision }): Promise<Parts & { bytes: number }> {
    const [native, bytes] = await timed(() => nativeGitSource(mirror, { cache: mirror }), revision);
    const [isomorphic, isoBytes] = await timed(() => isoGitSource(mirror), revision);
    if (isoBytes !== bytes) throw new Error(`native read ${bytes} bytes, isomorphic ${isoBytes}`);
    return { parts: { native, isomorphic }, bytes };
  },
};
