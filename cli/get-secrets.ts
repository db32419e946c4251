/**
 * `lab get secrets`: each secret's type, the servers that may read it, and when its value last
 * changed (from Git history of its SOPS file). Paths, names and dates only, never a value.
 */
import type { Command } from "commander";
import type { ResolvedModel } from "../core/model.js";
import { loadModel, type CliContext } from "./context.js";
import { printList, type ListView } from "./get-views.js";
import type { OutputFormat } from "./output.js";
import { cellList, cellValue } from "./printers/table.js";
import { NO_FACTS, secretFacts, type SecretFacts } from "./secret-facts.js";
import { selectedServers, type SelectorFlags } from "./selector-flags.js";
import { printFromServer, selectorQuery } from "./serve-client.js";

/** Up to this many servers are named in USED BY; more are counted. */
export const USED_BY_NAMES = 3;

/** Which labels give each secret (directly or through a class that reads it). */
export function secretLabels(model: ResolvedModel): Map<string, string[]> {
  const byPath = new Map<string, Set<string>>();
  for (const server of model.servers) {
    for (const ref of server.secrets) {
      const set = byPath.get(ref.path) ?? new Set<string>();
      byPath.set(ref.path, set);
      for (const f of ref.from) if (f.kind === "label") set.add(f.name);
    }
  }
  return new Map([...byPath].map(([path, set]) => [path, [...set].sort()]));
}

/** `mail-1,mail-2`, or `12 servers`; `-` for none. */
export function usedByCell(servers: readonly string[]): string {
  if (servers.length > USED_BY_NAMES) return `${servers.length} servers`;
  return cellList(servers);
}

/** `2026-01-05` (the day, UTC) of a last change; `uncommitted`; `-` when unknown. */
export function rotatedCell(rotated: string | undefined): string {
  if (rotated === undefined) return "-";
  return /^\d{4}-\d{2}-\d{2}T/.test(rotated) ? rotated.slice(0, 10) : rotated;
}

export function secretsListView(
  model: ResolvedModel,
  touches: (servers: readonly string[]) => boolean,
  facts: SecretFacts = NO_FACTS,
): ListView {
  const labels = secretLabels(model);
  return {
    headers: ["secret", "type", "used by", "last rotated"],
    wideHeaders: ["labels", "value", "generator", "rotate every"],
    items: model.secrets
      .filter((s) => touches(s.servers))
      .map((s) => {
        const usedBy = labels.get(s.path) ?? [];
        const value = facts.values.get(s.path);
        const rotated = facts.rotated.get(s.path);
        return {
          cells: [s.path, cellValue(s.spec?.type), usedByCell(s.servers), rotatedCell(rotated)],
          wide: [
            cellList(usedBy),
            value ? `${value.file}:${value.line}` : "-",
            cellValue(s.spec?.generator),
            cellValue(s.spec?.rotate_every),
          ],
          json: {
            path: s.path,
            type: s.spec?.type ?? null,
            usedBy,
            servers: s.servers,
            value: value ? { file: value.file, line: value.line, col: value.col } : null,
            lastRotated: rotated ?? null,
          },
        };
      }),
  };
}

/** `lab get secrets [selector flags]`: the list, with values and their history read at the edge. */
export async function getSecrets(
  ctx: CliContext,
  self: Command,
  opts: SelectorFlags & { output: OutputFormat },
  server: string | null,
): Promise<void> {
  if (server) {
    const query = selectorQuery(opts);
    return printFromServer(ctx, server, "/api/v1/secrets", opts.output, {
      query,
      none: "No secrets found.",
    });
  }
  const answer = await loadModel(ctx, self, { answerBroken: true });
  const { model } = answer;
  const selected = await selectedServers(model, opts);
  const touches = (servers: readonly string[]) => !selected || servers.some((s) => selected.has(s));
  const facts = await secretFacts(answer.root, true);
  const view = secretsListView(model, touches, facts);
  await printList(ctx, answer, view, "secrets", opts.output);
}
