/** `lab serve` composed: the Git source, the store, the queue, the loop, the forge, HTTP. */
import { hostname } from "node:os";
import { dirname, resolve as resolvePath } from "node:path";
import type { Command } from "commander";
import { UsageError } from "../core/errors.js";
import type { Forge } from "../core/forge.js";
import type { GitSource } from "../core/git-source.js";
import type { WorkQueue } from "../core/loop.js";
import { checkRepoCached } from "../adapters/cache/cached-check.js";
import type { DiskCache } from "../adapters/cache/disk-cache.js";
import { gitSource } from "../adapters/git/registry.js";
import { defaultCacheDir } from "../adapters/git/remote-url.js";
import { webhookSecret } from "../adapters/http/github-webhook.js";
import type { HealthCheck } from "../adapters/http/healthz.js";
import { startHttpServer } from "../adapters/http/http-server.js";
import { createLogger, logLevel } from "../adapters/http/logger.js";
import { createMetrics, type LabMetrics } from "../adapters/http/metrics.js";
import { pgBossWorkQueue } from "../adapters/queue/pg-boss-queue.js";
import { checkRepo } from "../reconciler/check-repo.js";
import { startPoller, type Poller } from "../reconciler/loop/poller.js";
import { serveLoop, unplannedPulls, type LoopDeps } from "../reconciler/loop/serve-loop.js";
import { memoryWorkQueue } from "../reconciler/loop/work-queue.js";
import type { KeyedCheck, PassResult } from "../reconciler/reconcile/one-pass.js";
import { eprintln, openCache, type CliContext } from "./context.js";
import { openStore, passOver, repoArg, statePath } from "./reconcile-run.js";
import type { ServeOptions } from "./serve.js";
import { serveRoutes, type ServeSetup, type Serving } from "./serve-routes.js";
import { refreshMsOf, serveStatus } from "./serve-status.js";

/** `host:port` → its parts; a usage error names what is wrong. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) {
    throw new UsageError(`--listen "${value}": expected HOST:PORT, e.g. 127.0.0.1:7443`);
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ""), port };
}

function positive(value: string, flag: string, zero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (zero ? 0 : 1)) {
    throw new UsageError(`${flag} "${value}": expected a whole number${zero ? "" : " above 0"}`);
  }
  return n;
}

/** `owner/name` of a GitHub repository. */
function repoName(value: string): { owner: string; repo: string } {
  const m = /^([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(value);
  if (!m) throw new UsageError(`--github-repo "${value}": expected OWNER/NAME`);
  return { owner: m[1]!, repo: m[2]! };
}

/** The web address of a file at a revision, beside the API LAB_GITHUB_API_URL names. */
function fileUrlFor(env: NodeJS.ProcessEnv, full: () => string | null) {
  const api = env.LAB_GITHUB_API_URL || "https://api.github.com";
  const web =
    api === "https://api.github.com" ? "https://github.com" : api.replace(/\/api\/v3\/?$/, "");
  return (path: string, line: number, revision: string): string =>
    `${web}/${full() ?? "unknown/unknown"}/blob/${revision}/${path}#L${line}`;
}

/**
 * The Git source with every fetch's outcome told to `onResult`: the last fetch of a poll, a
 * webhook or a pull request is what /healthz reports.
 */
function fetchWatched(git: GitSource, onResult: (check: HealthCheck) => void): GitSource {
  return Object.assign(Object.create(git) as GitSource, {
    fetch: async (ref: string, signal?: AbortSignal) => {
      try {
        const fetched = await git.fetch(ref, signal);
        onResult({ ok: true });
        return fetched;
      } catch (err) {
        onResult({ ok: false, detail: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    },
  });
}

function recordPass(metrics: LabMetrics, pass: PassResult): void {
  for (const [stage, ms] of Object.entries(pass.timings) as [string, number][]) {
    metrics.reconcileDuration.observe({ stage }, ms / 1000);
  }
  const now = Date.now() / 1000;
  for (const t of pass.targets) {
    if (t.status === "applied" || t.status === "unchanged")
      metrics.lastApplySuccess.set({ target: t.name }, now);
    if (t.status === "failed") metrics.errors.inc({ kind: "apply" });
  }
  if (pass.result === "invalid") metrics.errors.inc({ kind: "invalid-revision" });
}

function checker(cache: DiskCache | null, root: string) {
  return async (
    source: Parameters<typeof checkRepo>[0],
    signal?: AbortSignal,
  ): Promise<KeyedCheck> => {
    const options = signal ? { signal } : {};
    if (cache) return checkRepoCached(source, root, cache, options);
    return { checked: await checkRepo(source, options), key: null };
  };
}

export async function runServe(ctx: CliContext, self: Command, opts: ServeOptions): Promise<void> {
  const env = ctx.io.env;
  const { host, port } = parseListen(opts.listen);
  const concurrency = positive(opts.concurrency, "--concurrency");
  const pollSeconds = positive(opts.pollInterval, "--poll-interval", true);
  const expireSeconds = env.LAB_QUEUE_EXPIRE_SECONDS
    ? positive(env.LAB_QUEUE_EXPIRE_SECONDS, "LAB_QUEUE_EXPIRE_SECONDS")
    : 120;
  const refreshMs = refreshMsOf(env.LAB_STATUS_REFRESH_SECONDS);
  let github = opts.githubRepo ? repoName(opts.githubRepo) : null;
  const secret = env.LAB_WEBHOOK_SECRET
    ? webhookSecret(env.LAB_WEBHOOK_SECRET, "LAB_WEBHOOK_SECRET")
    : null;
  const logger = createLogger({ level: logLevel(env.LAB_LOG_LEVEL, "LAB_LOG_LEVEL") });
  const stateDir = dirname(statePath(ctx, opts));
  const repo = repoArg(ctx, self);
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(repo)
    ? repo
    : resolvePath(ctx.io.cwd ?? process.cwd(), repo);
  const store = await openStore(ctx, opts);
  const health: Record<string, HealthCheck> = { fetch: { ok: false, detail: "not fetched yet" } };
  let metricsRef: LabMetrics | null = null;
  const git = fetchWatched(
    await gitSource(remote, { cache: defaultCacheDir(remote, stateDir) }, env),
    (check) => {
      health.fetch = check;
      if (!check.ok) metricsRef?.errors.inc({ kind: "fetch" });
    },
  );
  const cache = await openCache(ctx, self);
  let queue: WorkQueue | null = null;
  const metrics = (metricsRef = createMetrics({
    queueDepth: (signal) => queue?.depth(signal) ?? Promise.resolve(0),
  }));
  const onError = (item: unknown, err: unknown) => {
    metrics.errors.inc({ kind: "work" });
    logger.error({ item, err: err instanceof Error ? err.message : String(err) }, "work failed");
  };
  queue = env.LAB_DATABASE_URL
    ? pgBossWorkQueue({
        connectionString: env.LAB_DATABASE_URL,
        concurrency,
        expireSeconds,
        onError,
      })
    : memoryWorkQueue({ concurrency, onError });
  const caDir = env.LAB_PUPPET_CA_DIR || null;
  const status = serveStatus({ store, base: stateDir, metrics, logger, refreshMs, caDir });
  const serving: Serving = { git, store, queue, logger, metrics, cache, health, status };
  const holder = `${hostname()}:${process.pid}`;
  const forgeFor = async (): Promise<Forge | null> => {
    if (!github || !env.GITHUB_TOKEN) return null;
    const { githubForge } = await import("../adapters/forge/github/github-forge.js");
    return githubForge({
      ...github,
      env,
      onAnswer: (result) => metrics.forgeRequests.inc({ result }),
      onWait: (wait) => logger.warn({ ...wait }, "forge rate limit: waiting"),
    });
  };
  const deps: LoopDeps = {
    git,
    store,
    forge: await forgeFor(),
    check: checker(cache, stateDir),
    fileUrl: fileUrlFor(env, () => (github ? `${github.owner}/${github.repo}` : null)),
    log: logger,
    enqueue: (item) => serving.queue.enqueue(item),
    apply: async (revision, trigger) => {
      const tree = await git.tree(revision);
      const pass = await passOver(
        store,
        {
          source: tree,
          revision,
          describe: `${revision.slice(0, 12)} of ${git.remote}`,
          treeAt: (r) => git.tree(r),
          base: stateDir,
          close: () => Promise.resolve(),
        },
        holder,
        trigger,
        env,
        cache,
      );
      recordPass(metrics, pass);
      return pass;
    },
  };
  await serveUntilStopped(ctx, serving, deps, {
    host,
    port,
    secret,
    pollMs: pollSeconds * 1000,
    learnRepo: async (full) => {
      if (github || !full) return;
      github = repoName(full);
      deps.forge = await forgeFor();
    },
  });
}

async function serveUntilStopped(
  ctx: CliContext,
  s: Serving,
  deps: LoopDeps,
  setup: ServeSetup,
): Promise<void> {
  const { git, store, queue, logger } = s;
  const poll = async (): Promise<void> => {
    await git.fetch("default");
    const refs = await git.refs();
    await queue.enqueue({
      kind: "branch",
      branch: refs.defaultBranch.ref.replace(/^refs\/heads\//, ""),
      trigger: "poll",
    });
    for (const pull of await unplannedPulls(git, store)) await queue.enqueue(pull);
  };
  const routes = await serveRoutes(ctx, s, deps, setup);
  await queue.start(serveLoop(deps));
  const server = await startHttpServer({ host: setup.host, port: setup.port, routes, logger });
  eprintln(ctx, `lab serve: listening on ${server.url} (repo ${git.remote})`);
  logger.info({ url: server.url, remote: git.remote }, "serving");
  const pollFailed = (err: unknown) =>
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, "poll failed");
  let poller: Poller | null = null;
  // The first poll comes at once; with --poll-interval 0 it is the only one (webhooks do the rest).
  if (setup.pollMs === 0) void poll().catch(pollFailed);
  else {
    poller = startPoller({
      intervalMs: setup.pollMs,
      jitter: 0.1,
      enqueue: poll,
      onError: pollFailed,
    });
  }
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  logger.info({}, "stopping");
  await poller?.stop();
  await server.close();
  await queue.stop();
  await s.status.stop();
  await git.close();
  await store.close();
  eprintln(ctx, "lab serve: stopped");
}
