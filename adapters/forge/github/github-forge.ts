/**
 * The GitHub forge (docs/forge.md): one plan comment per pull request, found by its marker and
 * edited in place only when its body changed, and commit statuses. Registered in FORGES as
 * "github". The token comes from the options or GITHUB_TOKEN, the API from the options or
 * LAB_GITHUB_API_URL (GitHub Enterprise or any server that speaks the same REST API).
 */
import { LabError } from "../../../core/errors.js";
import type {
  CommitState,
  Forge,
  KnownComment,
  PlanCommentResult,
  PullRequestRef,
} from "../../../core/forge.js";
import { FORGES } from "../../../core/forge.js";
import {
  commentHash,
  markedBody,
  PLAN_COMMENT_MARKER,
} from "../../../reconciler/report/plan-comment.js";
import { ForgeError, forgeErrorMessage, reasonOf } from "../forge-error.js";
import { statusDescription } from "../status.js";
import type { GitHubClient, GitHubClientOptions } from "./github-client.js";
import { countingFetch, githubClient, requestName } from "./github-client.js";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";

export interface GitHubForgeOptions extends Partial<GitHubClientOptions> {
  owner: string;
  repo: string;
  /** Only comments by this login count as lab's (the token's user, or `my-app[bot]`). */
  author?: string;
  /** Comments read per page (default 100, GitHub's most). */
  perPage?: number;
  /** Where GITHUB_TOKEN and LAB_GITHUB_API_URL are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

export type { KnownComment, PlanCommentResult } from "../../../core/forge.js";

type ListComments = GitHubClient["rest"]["issues"]["listComments"];

interface IssueComment {
  id: number;
  body?: string | undefined;
  user?: { login: string } | null;
}

/** Bodies compared as GitHub may keep them: LF line ends, no trailing white space. */
function sameBody(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\r\n/g, "\n").trimEnd();
  return commentHash(norm(a)) === commentHash(norm(b));
}

interface RequestFailure {
  status?: unknown;
  message?: unknown;
  request?: { method?: string; url?: string };
  response?: { data?: unknown; headers?: Record<string, string | undefined> };
}

function saidBy(f: RequestFailure): string {
  const data = f.response?.data;
  if (data && typeof data === "object" && "message" in data && typeof data.message === "string") {
    return data.message;
  }
  return typeof f.message === "string" ? f.message.split(" - http")[0]! : "";
}

/** An Octokit failure as a ForgeError; an abort and lab's own errors pass through. */
export function toForgeError(
  err: unknown,
  fallback: string,
  tries: (url: string) => number,
  redact: (text: string) => string = (text) => text,
): unknown {
  if (err instanceof LabError || !err || typeof err !== "object") return err;
  const f = err as RequestFailure;
  if (typeof f.status !== "number" || !f.request) return err;
  const status = f.response ? f.status : 0;
  const headers = f.response?.headers ?? {};
  // A server's words are its own: should one echo the token, it is cut out.
  const said = redact(saidBy(f));
  const rateLimited =
    (status === 403 || status === 429) &&
    (headers["x-ratelimit-remaining"] === "0" ||
      headers["retry-after"] !== undefined ||
      /rate limit/i.test(said));
  const details = {
    reason: reasonOf(status, rateLimited),
    request: f.request.url ? requestName(f.request) : fallback,
    status,
    tries: Math.max(f.request.url ? tries(f.request.url) : 0, 1),
  };
  const requestId = headers["x-github-request-id"];
  const full = requestId === undefined ? details : { ...details, requestId };
  // The answer is not kept as the cause: its body is the server's and could carry anything.
  // Without an answer, the cause is the network's error.
  const cause = f.response ? undefined : { cause: err };
  return new ForgeError(forgeErrorMessage(details, said), full, cause);
}

export class GitHubForge implements Forge {
  readonly name = "github";
  readonly owner: string;
  readonly repo: string;
  readonly #client: GitHubClient;
  readonly #author: string | undefined;
  readonly #perPage: number;
  readonly #redact: (text: string) => string;
  readonly #onAnswer: GitHubClientOptions["onAnswer"];

  constructor(options: GitHubForgeOptions) {
    const env = options.env ?? process.env;
    const token = options.token ?? env.GITHUB_TOKEN;
    if (!token) {
      throw new LabError("USAGE", "the GitHub forge needs a token: set GITHUB_TOKEN");
    }
    this.owner = options.owner;
    this.repo = options.repo;
    this.#author = options.author;
    this.#perPage = options.perPage ?? 100;
    this.#redact = (text) => text.split(token).join("[REDACTED]");
    this.#onAnswer = options.onAnswer;
    const baseUrl = options.baseUrl ?? (env.LAB_GITHUB_API_URL || DEFAULT_GITHUB_API_URL);
    this.#client = githubClient({ ...options, token, baseUrl });
  }

  /** Runs one API call with its own request options (signal, a fetch that counts tries). */
  async #call<T>(
    what: string,
    signal: AbortSignal | undefined,
    run: (request: { signal?: AbortSignal; fetch: typeof fetch }) => Promise<T>,
  ): Promise<T> {
    const counter = countingFetch(this.#onAnswer);
    try {
      return await run(signal ? { signal, fetch: counter.fetch } : { fetch: counter.fetch });
    } catch (err) {
      throw toForgeError(err, what, counter.tries, this.#redact);
    }
  }

  /** Lab's plan comment on the pull request: every page read, the newest with the marker. */
  async findPlanComment(issue: number, signal?: AbortSignal): Promise<IssueComment | undefined> {
    const path = `/repos/${this.owner}/${this.repo}/issues/${issue}/comments`;
    // paginate sends each page with the route's defaults only: the signal and the counting
    // fetch go there, or the later pages would go without them.
    const comments = await this.#call(`GET ${path}`, signal, (request) =>
      this.#client.paginate(
        this.#client.rest.issues.listComments.defaults({ request }) as unknown as ListComments,
        {
          owner: this.owner,
          repo: this.repo,
          issue_number: issue,
          per_page: this.#perPage,
        },
      ),
    );
    let found: IssueComment | undefined;
    for (const c of comments) {
      if (!c.body?.startsWith(PLAN_COMMENT_MARKER)) continue;
      if (this.#author !== undefined && c.user?.login !== this.#author) continue;
      if (!found || c.id > found.id) found = c;
    }
    return found;
  }

  async #create(issue: number, body: string, signal?: AbortSignal): Promise<number> {
    const path = `/repos/${this.owner}/${this.repo}/issues/${issue}/comments`;
    const { data } = await this.#call(`POST ${path}`, signal, (request) =>
      this.#client.rest.issues.createComment({
        owner: this.owner,
        repo: this.repo,
        issue_number: issue,
        body,
        request,
      }),
    );
    return data.id;
  }

  async #update(id: number, body: string, signal?: AbortSignal): Promise<void> {
    const path = `/repos/${this.owner}/${this.repo}/issues/comments/${id}`;
    await this.#call(`PATCH ${path}`, signal, (request) =>
      this.#client.rest.issues.updateComment({
        owner: this.owner,
        repo: this.repo,
        comment_id: id,
        body,
        request,
      }),
    );
  }

  /**
   * Creates the plan comment, edits it when its body differs, or leaves it. With `known`, an
   * unchanged hash costs no request, and a known id is edited without reading the comments.
   */
  async ensurePlanComment(
    pr: PullRequestRef,
    text: string,
    options: { known?: KnownComment; signal?: AbortSignal } = {},
  ): Promise<PlanCommentResult> {
    const { known, signal } = options;
    const body = markedBody(text);
    const hash = commentHash(body);
    if (known?.hash === hash) return { action: "unchanged", id: known.id, hash };
    if (known?.id !== undefined) {
      try {
        await this.#update(known.id, body, signal);
        return { action: "updated", id: known.id, hash };
      } catch (err) {
        // Deleted since: find it or make a new one, as without `known`.
        if (!(err instanceof ForgeError && err.reason === "not-found")) throw err;
      }
    }
    const existing = await this.findPlanComment(pr.number, signal);
    if (!existing)
      return { action: "created", id: await this.#create(pr.number, body, signal), hash };
    if (sameBody(existing.body ?? "", body)) return { action: "unchanged", id: existing.id, hash };
    await this.#update(existing.id, body, signal);
    return { action: "updated", id: existing.id, hash };
  }

  async upsertPlanComment(pr: PullRequestRef, body: string, signal?: AbortSignal): Promise<void> {
    await this.ensurePlanComment(pr, body, signal ? { signal } : {});
  }

  async setStatus(
    sha: string,
    context: string,
    state: CommitState,
    description: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const path = `/repos/${this.owner}/${this.repo}/statuses/${sha}`;
    await this.#call(`POST ${path}`, signal, (request) =>
      this.#client.rest.repos.createCommitStatus({
        owner: this.owner,
        repo: this.repo,
        sha,
        state,
        context,
        description: statusDescription(description),
        request,
      }),
    );
  }
}

function isOptions(o: unknown): o is GitHubForgeOptions {
  if (!o || typeof o !== "object") return false;
  const { owner, repo } = o as Record<string, unknown>;
  return typeof owner === "string" && owner !== "" && typeof repo === "string" && repo !== "";
}

export function githubForge(options: GitHubForgeOptions): GitHubForge {
  return new GitHubForge(options);
}

FORGES.set("github", (options) => {
  if (!isOptions(options)) {
    throw new LabError("USAGE", "the GitHub forge needs the repository: { owner, repo }");
  }
  return githubForge(options);
});
