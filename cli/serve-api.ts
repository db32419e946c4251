/**
 * The read API of `lab serve` (docs/serve.md, "Read API and client mode"): what `lab get`,
 * `lab show`, `lab targets` and `lab explain` print, answered from the revision lab applied last
 * (the state store's last good revision, read from the Git source's local copy and checked by the
 * loop's own check), not from the newest one fetched. JSON bodies are byte for byte what `-o json`
 * prints; `?output=table|wide|text` gives the text the CLI prints (`&color=1` with colour).
 */
import type { FileSource } from "../core/file-source.js";
import type { GitSource } from "../core/git-source.js";
import { LabError, NotFoundError, UsageError } from "../core/errors.js";
import type { ResolvedModel } from "../core/model.js";
import type { StateStore } from "../core/state-store.js";
import type { HttpRequest, HttpResponse, Route } from "../adapters/http/http-server.js";
import { jsonResponse } from "../adapters/http/http-server.js";
import type { CheckedRepo } from "../reconciler/check-repo.js";
import type { KeyedCheck } from "../reconciler/reconcile/one-pass.js";
import { readSecretTexts } from "../reconciler/secrets/secret-texts.js";
import { secretValues } from "../reconciler/secrets/sops-values.js";
import { diagnosticJson } from "./diagnostic-json.js";
import { explainText, explanationOf } from "./explain.js";
import { secretsListView } from "./get-secrets.js";
import { listJson, listTable, listView } from "./get-views.js";
import { parseKind, type Kind } from "./kinds.js";
import { makeStyle, type Style } from "./printers/color.js";
import { formatJson } from "./printers/json.js";
import { collect, FLAGS, selectedServers, type SelectorFlags } from "./selector-flags.js";
import { authorize } from "./serve-api-auth.js";
import { apiShowStatus, serversListView, STATUS_QUERY } from "./serve-api-status.js";
import type { ServeStatus } from "./serve-status.js";
import type { SecretFacts } from "./secret-facts.js";
import { findSecret, secretView } from "./show-secret.js";
import { viewOf } from "./show-views.js";
import { findServer, serverJson, targetsText } from "./show-server.js";

export interface ReadApiDeps {
  store: Pick<StateStore, "lastGoodRevision">;
  git: Pick<GitSource, "tree">;
  /** The loop's check (through the persistent cache when there is one). */
  check: (source: FileSource, signal?: AbortSignal) => Promise<KeyedCheck>;
  /** LAB_API_TOKEN: what a request from another machine must carry. */
  token?: string | undefined;
  /** Status kept by lab serve (docs/status.md): servers then carry their four pillars. */
  status?: ServeStatus;
}

/** The applied revision, checked. */
export interface Applied {
  revision: string;
  checked: CheckedRepo;
  model: ResolvedModel;
  /** The paths with a value in the revision's SOPS files (the history is not read here). */
  secrets?: SecretFacts;
}

export const API_KINDS: readonly Kind[] = [
  "servers",
  "labels",
  "groups",
  "alerts",
  "sizes",
  "secrets",
];

class NothingApplied extends Error {}

/**
 * The applied revision's check, kept while it stays applied: a request checks a revision once
 * (requests at once share it), and one that failed is tried again by the next request.
 */
export function appliedModel(deps: ReadApiDeps): (signal?: AbortSignal) => Promise<Applied> {
  let memo: { revision: string; applied: Promise<Applied> } | null = null;
  const load = async (revision: string): Promise<Applied> => {
    const tree = await deps.git.tree(revision);
    const { checked } = await deps.check(tree);
    const model = checked.model ?? checked.partial;
    if (!model) throw new LabError("INTERNAL", `the applied revision ${revision} has no model`);
    const values = secretValues(await readSecretTexts(tree));
    const secrets = { values: new Map(values.map((v) => [v.path, v])), rotated: new Map() };
    return { revision, checked, model, secrets };
  };
  return async (signal) => {
    const revision = await deps.store.lastGoodRevision(undefined, signal);
    if (!revision) throw new NothingApplied();
    if (memo?.revision !== revision) {
      const entry = { revision, applied: load(revision) };
      memo = entry;
      entry.applied.catch(() => {
        if (memo === entry) memo = null;
      });
    }
    return memo.applied;
  };
}

/** A JSON body as `-o json` prints it: indented, a newline at the end. */
function documentResponse(value: unknown, revision: string): HttpResponse {
  return {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "x-lab-revision": revision },
    body: formatJson(value),
  };
}

function textResponse(text: string, revision: string): HttpResponse {
  return {
    status: 200,
    headers: { "content-type": "text/plain; charset=utf-8", "x-lab-revision": revision },
    body: text,
  };
}

/** The diagnostics beside the data when the applied revision had errors (never, so far). */
function withDiagnostics<T extends object>(applied: Applied, data: T): T {
  if (applied.checked.model) return data;
  return { ...data, diagnostics: applied.checked.diagnostics.map(diagnosticJson) };
}

/** The query's parameters must be among `known`; `output` among `outputs` (default json). */
function queryOf(
  request: HttpRequest,
  outputs: readonly string[],
  known: readonly string[] = [],
): { output: string; style: Style } {
  const allowed = new Set(["output", "color", ...known]);
  for (const key of new Set(request.query.keys())) {
    if (!allowed.has(key)) {
      throw new UsageError(
        `unknown query parameter "${key}" (known: ${[...allowed].sort().join(", ")})`,
      );
    }
  }
  const output = request.query.get("output") ?? "json";
  if (!outputs.includes(output)) {
    throw new UsageError(`output "${output}": expected one of ${outputs.join(", ")}`);
  }
  return { output, style: makeStyle(request.query.get("color") === "1") };
}

function selectorFlags(query: URLSearchParams): SelectorFlags {
  const flags = {} as Record<keyof SelectorFlags, string[]>;
  for (const key of FLAGS)
    flags[key] = query.getAll(key).reduce<string[]>((all, v) => collect(v, all), []);
  return flags;
}

type Answer = (request: HttpRequest, applied: Applied) => Promise<HttpResponse>;

function listAnswer(kind: Kind, status?: ServeStatus): Answer {
  return async (request, applied) => {
    const known = kind === "servers" ? [...FLAGS, ...STATUS_QUERY] : FLAGS;
    const { output, style } = queryOf(request, ["json", "table", "wide"], known);
    const { model } = applied;
    const selected = await selectedServers(model, selectorFlags(request.query));
    const view =
      kind === "secrets"
        ? secretsListView(
            model,
            (names) => !selected || names.some((n) => selected.has(n)),
            applied.secrets,
          )
        : kind === "servers"
          ? await serversListView(applied, selected, request.query, status, style, request.signal)
          : listView(model, kind, selected);
    if (output === "json")
      return documentResponse(withDiagnostics(applied, listJson(view)), applied.revision);
    const text = view.items.length ? listTable(view, output === "wide", style) : "";
    return textResponse(text, applied.revision);
  };
}

function showAnswer(kind: Kind, status?: ServeStatus): Answer {
  return async (request, applied) => {
    const { output, style } = queryOf(request, ["json", "text"]);
    const name = request.params.name!;
    const { model, revision } = applied;
    const extra = await apiShowStatus(applied, model, kind, name, status, request.signal);
    const view =
      kind === "secrets"
        ? secretView(applied.model, findSecret(applied.model, name), {
            repo: applied.checked.repo,
            ...(applied.secrets ? { facts: applied.secrets } : {}),
          })
        : viewOf(applied.model, kind, name, extra);
    const response =
      output === "json"
        ? documentResponse(withDiagnostics(applied, view.json), revision)
        : textResponse(view.text(style), revision);
    return response;
  };
}

const targetsAnswer: Answer = (request, applied) => {
  const { output, style } = queryOf(request, ["json", "text"]);
  const server = findServer(applied.model, request.params.name!);
  const response =
    output === "json"
      ? documentResponse(withDiagnostics(applied, serverJson(server)), applied.revision)
      : textResponse(targetsText(applied.model, server, style), applied.revision);
  return Promise.resolve(response);
};

const explainRoute: Answer = async (request, applied) => {
  const { output, style } = queryOf(request, ["json", "text"]);
  const { params } = request;
  const kind = parseKind(params.kind!, ["groups", "alerts"], "explain server NAME");
  const { checked, model, revision } = applied;
  const e = await explanationOf(checked.repo, model, params.name!, kind, params.target!);
  return output === "json"
    ? documentResponse(e, revision)
    : textResponse(explainText(e, style), revision);
};

/** An error of the request as its answer: 404 with close names, 400, 503; others are thrown. */
function failure(err: unknown): HttpResponse {
  if (err instanceof NothingApplied) return jsonResponse(503, { error: "nothing applied yet" });
  if (err instanceof NotFoundError) {
    const { kind, wanted: name, suggestions } = err;
    return jsonResponse(404, { error: err.message, kind, name, suggestions });
  }
  if (err instanceof UsageError) return jsonResponse(400, { error: err.message });
  if (err instanceof LabError && err.code === "NOT_FOUND")
    return jsonResponse(404, { error: err.message });
  throw err;
}

export function readApiRoutes(deps: ReadApiDeps): Route[] {
  const applied = appliedModel(deps);
  deps.status?.attach(applied);
  const guarded =
    (answer: Answer) =>
    async (request: HttpRequest): Promise<HttpResponse> => {
      const auth = request.headers.authorization;
      const verdict = authorize(request.remoteAddress, auth, deps.token || undefined);
      if (!verdict.ok)
        return jsonResponse(401, { error: verdict.error }, { "www-authenticate": "Bearer" });
      try {
        return await answer(request, await applied(request.signal));
      } catch (err) {
        return failure(err);
      }
    };
  const routes: Route[] = [];
  for (const kind of API_KINDS) {
    const path = `/api/v1/${kind}`;
    routes.push({ method: "GET", path, handler: guarded(listAnswer(kind, deps.status)) });
    const show = showAnswer(kind, deps.status);
    routes.push({ method: "GET", path: `${path}/:name`, handler: guarded(show) });
  }
  routes.push(
    { method: "GET", path: "/api/v1/servers/:name/targets", handler: guarded(targetsAnswer) },
    {
      method: "GET",
      path: "/api/v1/servers/:name/explain/:kind/:target",
      handler: guarded(explainRoute),
    },
  );
  return routes;
}
