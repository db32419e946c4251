/**
 * A stand-in for GitHub's REST API, for the forge tests: nothing of GitHub runs here. A node:http
 * server on 127.0.0.1 that speaks the subset lab uses — list (with `per_page`, `page` and a Link
 * header), create and edit issue comments, create commit statuses — with the payload shapes of
 * GitHub's documented responses. It checks the Authorization header, counts requests, refuses
 * what GitHub refuses (a body over 65,536 characters, a description over 140) and can be told to
 * fail the next requests: 502, or a rate limit (403/429 with Retry-After, or
 * x-ratelimit-remaining: 0 and x-ratelimit-reset).
 */
import { createServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** GitHub's `simple-user`, every field its schema requires. */
export interface StandinUser {
  login: string;
  id: number;
  node_id: string;
  avatar_url: string;
  gravatar_id: string | null;
  url: string;
  html_url: string;
  followers_url: string;
  following_url: string;
  gists_url: string;
  starred_url: string;
  subscriptions_url: string;
  organizations_url: string;
  repos_url: string;
  events_url: string;
  received_events_url: string;
  type: "User" | "Bot";
  site_admin: boolean;
}

export interface StandinComment {
  id: number;
  node_id: string;
  url: string;
  html_url: string;
  issue_url: string;
  body: string;
  user: StandinUser;
  created_at: string;
  updated_at: string;
  author_association: "NONE" | "MEMBER" | "COLLABORATOR" | "CONTRIBUTOR" | "OWNER";
}

export interface StandinStatus {
  url: string;
  avatar_url: string | null;
  id: number;
  node_id: string;
  state: string;
  description: string | null;
  target_url: string | null;
  context: string;
  created_at: string;
  updated_at: string;
  creator: StandinUser;
}

export interface StandinRequest {
  method: string;
  path: string;
  query: string;
  at: number;
  authorization: string | undefined;
}

export type StandinFault = (
  | { kind: "status"; status: number; message?: string }
  | { kind: "secondary"; status: 403 | 429; retryAfter: number }
  | { kind: "primary"; status: 403 | 429; resetIn: number }
) & {
  /** Only requests of this method fail (default: any). */
  method?: string;
};

const GITHUB = "https://github.com";
const b64 = (s: string) => Buffer.from(s).toString("base64");

function user(login: string, id: number): StandinUser {
  return {
    login,
    id,
    node_id: b64(`04:User${id}`),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: "",
    url: `https://api.github.com/users/${login}`,
    html_url: `${GITHUB}/${login}`,
    followers_url: `https://api.github.com/users/${login}/followers`,
    following_url: `https://api.github.com/users/${login}/following{/other_user}`,
    gists_url: `https://api.github.com/users/${login}/gists{/gist_id}`,
    starred_url: `https://api.github.com/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `https://api.github.com/users/${login}/subscriptions`,
    organizations_url: `https://api.github.com/users/${login}/orgs`,
    repos_url: `https://api.github.com/users/${login}/repos`,
    events_url: `https://api.github.com/users/${login}/events{/privacy}`,
    received_events_url: `https://api.github.com/users/${login}/received_events`,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false,
  };
}

export class GitHubStandin {
  readonly requests: StandinRequest[] = [];
  readonly statuses: StandinStatus[] = [];
  readonly #comments = new Map<number, StandinComment[]>();
  readonly #faults: StandinFault[] = [];
  readonly #server: Server;
  readonly #token: string;
  readonly #owner: string;
  readonly #repo: string;
  readonly #login: string;
  #nextId = 1000;
  /** A clock of its own: every write one second later than the one before. */
  #seconds = Date.UTC(2026, 0, 5, 9, 0, 0) / 1000;

  private constructor(
    server: Server,
    o: { token: string; owner: string; repo: string; login: string },
  ) {
    this.#server = server;
    this.#token = o.token;
    this.#owner = o.owner;
    this.#repo = o.repo;
    this.#login = o.login;
  }

  static async start(o: {
    token: string;
    owner?: string;
    repo?: string;
    login?: string;
  }): Promise<GitHubStandin> {
    const server = createServer();
    const standin = new GitHubStandin(server, {
      token: o.token,
      owner: o.owner ?? "acme",
      repo: o.repo ?? "infra",
      login: o.login ?? "lab-bot[bot]",
    });
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      void standin.#handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return standin;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }

  /** The next `n` requests (of `fault.method`, when given) get `fault` instead of an answer. */
  failNext(n: number, fault: StandinFault): void {
    for (let i = 0; i < n; i++) this.#faults.push(fault);
  }

  /** Requests of `method` whose path matches `path`. */
  count(method: string, path: RegExp): number {
    return this.requests.filter((r) => r.method === method && path.test(r.path)).length;
  }

  comments(issue: number): StandinComment[] {
    return this.#comments.get(issue) ?? [];
  }

  /** Comments as if written before, by `login` (default: the token's own user). */
  seed(issue: number, bodies: readonly string[], login = this.#login): StandinComment[] {
    return bodies.map((body) => this.#addComment(issue, body, login));
  }

  #time(): string {
    this.#seconds += 1;
    return new Date(this.#seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  #addComment(issue: number, body: string, login: string): StandinComment {
    const id = this.#nextId++;
    const at = this.#time();
    const repoPath = `${this.#owner}/${this.#repo}`;
    const c: StandinComment = {
      id,
      node_id: b64(`012:IssueComment${id}`),
      url: `${this.url}/repos/${repoPath}/issues/comments/${id}`,
      html_url: `${GITHUB}/${repoPath}/pull/${issue}#issuecomment-${id}`,
      issue_url: `${this.url}/repos/${repoPath}/issues/${issue}`,
      body,
      user: user(login, login === this.#login ? 41898282 : 583231),
      created_at: at,
      updated_at: at,
      author_association: login === this.#login ? "NONE" : "MEMBER",
    };
    this.#comments.set(issue, [...this.comments(issue), c]);
    return c;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const authorization = req.headers.authorization;
    this.requests.push({
      method: req.method ?? "",
      path: url.pathname,
      query: url.search,
      at: performance.now(),
      authorization,
    });
    const text = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    });
    const send = (status: number, data: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "x-github-api-version-selected": "2022-11-28",
        "x-github-request-id": `C0DE:${this.requests.length}`,
        ...headers,
      });
      res.end(JSON.stringify(data));
    };
    if (authorization !== `token ${this.#token}` && authorization !== `Bearer ${this.#token}`) {
      send(401, {
        message: "Bad credentials",
        documentation_url: "https://docs.github.com/rest",
        status: "401",
      });
      return;
    }
    const at = this.#faults.findIndex((f) => f.method === undefined || f.method === req.method);
    if (at >= 0) {
      this.#fail(this.#faults.splice(at, 1)[0]!, send);
      return;
    }
    try {
      this.#route(req.method ?? "", url, text, send);
    } catch {
      send(400, {
        message: "Problems parsing JSON",
        documentation_url: "https://docs.github.com/rest",
      });
    }
  }

  #fail(
    fault: StandinFault,
    send: (s: number, d: unknown, h?: Record<string, string>) => void,
  ): void {
    if (fault.kind === "status") {
      const message = fault.status === 502 ? "Server Error" : "Internal Server Error";
      send(fault.status, { message: fault.message ?? message });
    } else if (fault.kind === "secondary") {
      send(
        fault.status,
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
          documentation_url:
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          status: String(fault.status),
        },
        { "retry-after": String(fault.retryAfter) },
      );
    } else {
      const reset = Math.ceil(Date.now() / 1000) + fault.resetIn;
      send(
        fault.status,
        {
          message: "API rate limit exceeded for installation ID 1.",
          documentation_url:
            "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-the-primary-rate-limit",
          status: String(fault.status),
        },
        {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": "5000",
          "x-ratelimit-reset": String(reset),
          "x-ratelimit-resource": "core",
        },
      );
    }
  }

  #route(
    method: string,
    url: URL,
    text: string,
    send: (s: number, d: unknown, h?: Record<string, string>) => void,
  ): void {
    const repo = `/repos/${this.#owner}/${this.#repo}`;
    const path = url.pathname;
    const issue = new RegExp(`^${repo}/issues/(\\d+)/comments$`).exec(path);
    const comment = new RegExp(`^${repo}/issues/comments/(\\d+)$`).exec(path);
    const status = new RegExp(`^${repo}/statuses/([0-9a-f]{40})$`).exec(path);
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (issue && method === "GET") return this.#list(Number(issue[1]), url, send);
    if (issue && method === "POST") {
      const problem = bodyProblem(body.body);
      if (problem) return send(422, validationFailed("IssueComment", "body", problem));
      return send(201, this.#addComment(Number(issue[1]), body.body as string, this.#login));
    }
    if (comment && method === "PATCH") {
      const found = [...this.#comments.values()].flat().find((c) => c.id === Number(comment[1]));
      if (!found) return send(404, notFound());
      if (found.user.login !== this.#login)
        return send(403, { message: "Must have admin rights to Repository." });
      const problem = bodyProblem(body.body);
      if (problem) return send(422, validationFailed("IssueComment", "body", problem));
      found.body = body.body as string;
      found.updated_at = this.#time();
      return send(200, found);
    }
    if (status && method === "POST") return this.#status(status[1]!, body, send);
    send(404, notFound());
  }

  #list(
    issue: number,
    url: URL,
    send: (s: number, d: unknown, h?: Record<string, string>) => void,
  ): void {
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30) || 30, 100);
    const page = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
    const all = this.comments(issue);
    const last = Math.max(Math.ceil(all.length / perPage), 1);
    const link = (p: number, rel: string) => {
      const u = new URL(url);
      u.searchParams.set("per_page", String(perPage));
      u.searchParams.set("page", String(p));
      return `<${u.href}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page > 1) links.push(link(page - 1, "prev"));
    if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
    if (page > 1) links.push(link(1, "first"));
    send(
      200,
      all.slice((page - 1) * perPage, page * perPage),
      links.length ? { link: links.join(", ") } : {},
    );
  }

  #status(
    sha: string,
    body: Record<string, unknown>,
    send: (s: number, d: unknown, h?: Record<string, string>) => void,
  ): void {
    const state = body.state;
    if (typeof state !== "string" || !["error", "failure", "pending", "success"].includes(state)) {
      return send(422, validationFailed("Status", "state", "invalid"));
    }
    const description = typeof body.description === "string" ? body.description : null;
    if (description !== null && Array.from(description).length > 140) {
      return send(
        422,
        validationFailed("Status", "description", "is too long (maximum is 140 characters)"),
      );
    }
    const id = this.#nextId++;
    const at = this.#time();
    const s: StandinStatus = {
      url: `${this.url}/repos/${this.#owner}/${this.#repo}/statuses/${sha}`,
      avatar_url: null,
      id,
      node_id: b64(`010:StatusContext${id}`),
      state,
      description,
      target_url: typeof body.target_url === "string" ? body.target_url : null,
      context: typeof body.context === "string" ? body.context : "default",
      created_at: at,
      updated_at: at,
      creator: user(this.#login, 41898282),
    };
    this.statuses.push(s);
    send(201, s);
  }
}

function bodyProblem(body: unknown): string | null {
  if (typeof body !== "string") return "missing";
  if (body.length > 65_536) return "is too long (maximum is 65536 characters)";
  return null;
}

function validationFailed(resource: string, field: string, code: string) {
  return {
    message: "Validation Failed",
    errors: [{ resource, code: "custom", field, message: `${field} ${code}` }],
    documentation_url: "https://docs.github.com/rest",
    status: "422",
  };
}

function notFound() {
  return { message: "Not Found", documentation_url: "https://docs.github.com/rest", status: "404" };
}
