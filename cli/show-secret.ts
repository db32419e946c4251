/**
 * `lab show secret PATH`: who may read a secret, derived from labels and Puppet code — each path
 * from the label through the class to its `lab::secret()` call, located — and whether a value is
 * set (where its key is, and when it last changed; never the value).
 */
import type { Command } from "commander";
import type { SourcePos } from "../core/diagnostics.js";
import { escapeToken } from "../core/json-pointer.js";
import type { From, LoadedRepo, ResolvedModel, ResolvedSecret } from "../core/model.js";
import { loadModel, withDiagnostics, type CliContext } from "./context.js";
import { findByName } from "./find.js";
import { emit, type OutputFormat } from "./output.js";
import type { Style } from "./printers/color.js";
import { fromJson } from "./printers/provenance.js";
import { renderTree } from "./printers/tree.js";
import { secretFacts, type SecretFacts } from "./secret-facts.js";
import { serverNodes } from "./show-common.js";

export function findSecret(model: ResolvedModel, path: string): ResolvedSecret {
  return findByName("secret", model.secrets, path, (s) => s.path);
}

/** What the view adds to the model when the caller has it: code positions, values, history. */
export interface SecretInfo {
  repo?: Pick<LoadedRepo, "puppet" | "sources">;
  facts?: SecretFacts;
}

interface Grant {
  from: From;
  servers: string[];
}

/** Each distinct source of the secret (label, label via class …) and the servers it reaches. */
function grants(model: ResolvedModel, path: string): Grant[] {
  const byKey = new Map<string, Grant>();
  for (const server of model.servers) {
    for (const ref of server.secrets) {
      if (ref.path !== path) continue;
      for (const from of ref.from) {
        const key = `${from.kind}\0${from.name}\0${from.via ?? ""}`;
        const grant = byKey.get(key) ?? { from, servers: [] };
        byKey.set(key, grant);
        grant.servers.push(server.name);
      }
    }
  }
  return [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
}

function className(from: From): string | null {
  return from.via?.startsWith("class ") ? from.via.slice(6) : null;
}

/** The `lab::secret()` call of a class grant, or the label's `secrets:` entry of a direct one. */
export function grantAt(
  model: ResolvedModel,
  info: SecretInfo,
  from: From,
  path: string,
): SourcePos | null {
  const repo = info.repo;
  if (!repo || from.kind !== "label") return null;
  const cls = className(from);
  if (cls !== null) {
    const bare = cls.replace(/^::/, "");
    const classes = repo.puppet.classes;
    if (!Object.hasOwn(classes, bare)) return null;
    return classes[bare]?.secrets.find((u) => u.path === path)?.pos ?? null;
  }
  const list: unknown = model.labels.find((l) => l.name === from.name)?.spec.secrets;
  const i = Array.isArray(list) ? list.indexOf(path) : -1;
  const label = `/labels/${escapeToken(from.name)}`;
  return repo.sources.locate(i >= 0 ? `${label}/secrets/${i}` : label);
}

/** `Label "mailserver" → puppet class "postfix" → lab::secret('mail/relay-credentials')`. */
export function grantLine(from: From, path: string, at: SourcePos | null = null): string {
  const who = `${from.kind[0]?.toUpperCase() ?? ""}${from.kind.slice(1)} "${from.name}"`;
  const where = at ? ` at ${at.file}:${at.line}` : "";
  const cls = className(from);
  if (cls !== null) return `${who} → puppet class "${cls}" → lab::secret('${path}')${where}`;
  return from.via ? `${who} → ${from.via}${where}` : `${who} → secrets: [${path}]${where}`;
}

function valueLine(secret: ResolvedSecret, facts: SecretFacts): string {
  const value = facts.values.get(secret.path);
  if (!value) {
    const spec = secret.spec;
    if (spec?.type === "dynamic") {
      return `Value: not set yet (${spec.generator ? `its generator ${spec.generator}` : "its generator"} makes it)`;
    }
    return "Value: not set (no key for it in the SOPS files under secrets/)";
  }
  const rotated = facts.rotated.get(secret.path);
  const when =
    rotated === undefined
      ? ""
      : rotated === "uncommitted"
        ? ", changed and not committed"
        : `, last rotated ${rotated}`;
  return `Value: set at ${value.file}:${value.line}${when}`;
}

export function secretView(model: ResolvedModel, secret: ResolvedSecret, info: SecretInfo = {}) {
  const list = grants(model, secret.path).map((g) => ({
    ...g,
    at: grantAt(model, info, g.from, secret.path),
  }));
  const spec = secret.spec;
  const { facts } = info;
  const value = facts?.values.get(secret.path);
  return {
    json: {
      path: secret.path,
      type: spec?.type ?? null,
      generator: spec?.generator ?? null,
      rotate_every: spec?.rotate_every ?? null,
      per_machine: spec?.per_machine ?? false,
      servers: secret.servers,
      grants: list.map((g) => ({ from: fromJson(g.from), at: g.at, servers: g.servers })),
      ...(facts
        ? {
            value: value ? { file: value.file, line: value.line, col: value.col } : null,
            lastRotated: facts.rotated.get(secret.path) ?? null,
          }
        : {}),
    },
    text: (style: Style): string => {
      const lines = [
        style.bold(`Secret: ${secret.path}`),
        `Type: ${spec?.type ?? "not declared in secrets:"}`,
      ];
      if (spec?.description) lines.push(`Description: ${spec.description}`);
      if (spec?.generator) lines.push(`Generator: ${spec.generator}`);
      if (spec?.rotate_every) lines.push(`Rotate every: ${spec.rotate_every}`);
      if (spec?.per_machine) lines.push("Per machine: yes");
      if (facts) lines.push(valueLine(secret, facts));
      if (!list.length) {
        lines.push("Accessible by: nobody (no label or class grants it)");
      } else {
        lines.push(
          `Accessible by (derived from config and code): ${secret.servers.length} servers`,
        );
        for (const g of list) {
          lines.push(
            `  ${grantLine(g.from, secret.path, g.at)}`,
            ...renderTree(serverNodes(model, g.servers), "  "),
          );
        }
      }
      return lines.join("\n") + "\n";
    },
  };
}

/** `lab show secret PATH` from the repo: its code positions, values and history read here. */
export async function showSecret(
  ctx: CliContext,
  self: Command,
  path: string,
  output: OutputFormat,
): Promise<void> {
  const answer = await loadModel(ctx, self, { answerBroken: true });
  const secret = findSecret(answer.model, path);
  const facts = await secretFacts(answer.root, true);
  const view = secretView(answer.model, secret, { repo: answer.repo, facts });
  await emit(
    ctx,
    output,
    () => withDiagnostics(answer, view.json),
    () => view.text(ctx.out),
  );
}
