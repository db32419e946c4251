/** Resource kinds as the verbs accept them, with kubectl-style singulars and short names. */
import { didYouMean } from "../core/suggest.js";
import { UsageError } from "../core/errors.js";

export type Kind = "servers" | "labels" | "groups" | "alerts" | "sizes" | "secrets";

const ALIASES: Readonly<Record<Kind, readonly string[]>> = {
  servers: ["servers", "server", "srv", "srvs", "sv"],
  labels: ["labels", "label", "lbl", "lb"],
  groups: ["groups", "group", "grp", "gr"],
  alerts: ["alerts", "alert", "al", "alrt"],
  sizes: ["sizes", "size", "sz"],
  secrets: ["secrets", "secret", "sec"],
};

/** The singular a message uses: `server "x" not found`. */
export const SINGULAR: Readonly<Record<Kind, string>> = {
  servers: "server",
  labels: "label",
  groups: "group",
  alerts: "alert",
  sizes: "size",
  secrets: "secret",
};

export function kindAliases(kinds: readonly Kind[]): string {
  return kinds.map((k) => ALIASES[k].join("|")).join(", ");
}

/** The kind a word names, among `allowed`; a usage error with close matches otherwise. */
export function parseKind(word: string, allowed: readonly Kind[], verb: string): Kind {
  const w = word.toLowerCase();
  for (const kind of allowed) if (ALIASES[kind].includes(w)) return kind;
  const words = allowed.flatMap((k) => [k, SINGULAR[k]]);
  const choices = allowed.map((k) => SINGULAR[k]).join(", ");
  throw new UsageError(
    `"lab ${verb}" does not know the kind "${word}"${didYouMean(w, words)} (kinds: ${choices})`,
  );
}
