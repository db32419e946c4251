/**
 * One remote, three ways to reach it, for the Git source contract suite: a bare repo made with the
 * real git CLI (as a local path, a file:// URL, or over HTTP through `git http-backend` with a
 * bearer token), or a memory remote.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { GitSource, GitSourceKind } from "../core/git-source.js";
import type { MemoryRemote } from "../adapters/git/memory-git-source.js";
import { commitTo, memoryRemote } from "../adapters/git/memory-git-source.js";
import type { GitSourceChoice } from "../adapters/git/registry.js";
import { gitSource } from "../adapters/git/registry.js";
import type { FixtureFile } from "./git-fixtures.js";
import { makeGitFixture } from "./git-fixtures.js";
import type { GitHttpServer } from "./git-http-server.js";
import { startGitHttpServer } from "./git-http-server.js";

export type Transport = "path" | "file-url" | "http" | "memory";

/** Every implementation over every transport it reads: the cases of the contract suites. */
export const GIT_CASES: ReadonlyArray<readonly [GitSourceKind, Transport]> = [
  ["native", "path"],
  ["native", "file-url"],
  ["native", "http"],
  ["isomorphic", "path"],
  ["isomorphic", "file-url"],
  ["isomorphic", "http"],
  ["memory", "memory"],
];

/** The token the HTTP server asks for. */
export const TEST_TOKEN = "lab-test-token-7f3a";

export interface RemoteHarness {
  readonly url: string;
  /** The remote as messages show it. */
  readonly display: string;
  commit(files: Readonly<Record<string, FixtureFile>>, branch?: string): Promise<string>;
  pushPull(n: number, files: Readonly<Record<string, FixtureFile>>): Promise<string>;
  /** A merge commit of main and pull `n`'s head holding `files`, as `refs/pull/<n>/merge`. */
  pushMerge(n: number, files: Readonly<Record<string, FixtureFile>>): Promise<string>;
  deleteRef(ref: string): void;
  /** A new source over the remote, with its own cache folder unless `cache` is given. */
  open(kind: GitSourceKind, options?: GitSourceChoice): Promise<GitSource>;
  /** The cache folder of the last source `open` made (git remotes only). */
  readonly lastCache: string | undefined;
  /** The HTTP server, for the http transport. */
  readonly server: GitHttpServer | undefined;
  /** Makes the remote stop answering (stops the server; marks the memory remote down). */
  stop(): Promise<void>;
  /** Makes it answer again, on the same URL. */
  restart(): Promise<void>;
  dispose(): Promise<void>;
}

/** Retries that do not wait. */
export const FAST_RETRY = { tries: 4, sleep: () => Promise.resolve() } as const;

async function tempCache(): Promise<{ cache: string; dispose: () => Promise<void> }> {
  const parent = await mkdtemp(join(tmpdir(), "lab-git-cache-"));
  return {
    cache: join(parent, "mirror"),
    dispose: () => rm(parent, { recursive: true, force: true }),
  };
}

export async function makeRemote(transport: Transport): Promise<RemoteHarness> {
  return transport === "memory" ? memoryHarness(memoryRemote()) : gitHarness(transport);
}

async function gitHarness(transport: Exclude<Transport, "memory">): Promise<RemoteHarness> {
  const fixture = await makeGitFixture();
  const caches: Array<() => Promise<void>> = [];
  const sources: GitSource[] = [];
  let server =
    transport === "http"
      ? await startGitHttpServer({ root: fixture.root, token: TEST_TOKEN })
      : undefined;
  const port = server?.port;
  let lastCache: string | undefined;
  const url =
    transport === "http"
      ? `${server!.url}/remote.git`
      : transport === "file-url"
        ? pathToFileURL(fixture.bare).href
        : fixture.bare;
  return {
    url,
    display: transport === "file-url" ? fixture.bare : url,
    commit: (files, branch) => fixture.commit(files, branch),
    pushPull: (n, files) => fixture.pushPull(n, files),
    pushMerge: (n, files) => fixture.pushMerge(n, files),
    deleteRef: (ref) => fixture.deleteRef(ref),
    get server() {
      return server;
    },
    get lastCache() {
      return lastCache;
    },
    async open(kind, options = {}) {
      const temp = await tempCache();
      caches.push(temp.dispose);
      lastCache = options.cache ?? temp.cache;
      const token = transport === "http" ? TEST_TOKEN : undefined;
      const source = await gitSource(
        url,
        { cache: temp.cache, token, retry: FAST_RETRY, ...options, use: kind },
        {},
      );
      sources.push(source);
      return source;
    },
    async stop() {
      await server?.stop();
    },
    async restart() {
      if (transport === "http") {
        server = await startGitHttpServer({ root: fixture.root, token: TEST_TOKEN, port: port! });
      }
    },
    async dispose() {
      for (const s of sources) await s.close();
      await server?.stop().catch(() => undefined);
      for (const d of caches) await d();
      await fixture.remove();
    },
  };
}

function memoryHarness(remote: MemoryRemote): RemoteHarness {
  const main = (): string => remote.refs.get(`refs/heads/${remote.defaultBranch}`)!;
  return {
    url: remote.url,
    display: remote.url,
    commit: (files, branch = "main") => Promise.resolve(commitTo(remote, branch, files)),
    pushPull: (n, files) =>
      Promise.resolve(commitTo(remote, `refs/pull/${n}/head`, files, [main()])),
    pushMerge: (n, files) =>
      Promise.resolve(
        commitTo(remote, `refs/pull/${n}/merge`, files, [
          main(),
          remote.refs.get(`refs/pull/${n}/head`)!,
        ]),
      ),
    deleteRef: (ref) => void remote.refs.delete(ref),
    server: undefined,
    lastCache: undefined,
    open: (kind, options = {}) =>
      gitSource(remote.url, { retry: FAST_RETRY, ...options, use: kind, memory: remote }, {}),
    stop: () => Promise.resolve(void (remote.down = true)),
    restart: () => Promise.resolve(void (remote.down = false)),
    dispose: () => Promise.resolve(),
  };
}
