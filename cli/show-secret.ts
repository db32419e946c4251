/** `lab show secret PATH`: who may read a secret, derived from labels and Puppet code. */
import type { From, ResolvedModel, ResolvedSecret } from "../core/model.js";
import { findByName } from "./find.js";
import type { Style } from "./printers/color.js";
import { fromJson } from "./printers/provenance.js";
import { renderTree } from "./printers/tree.js";
import { serverNodes } from "./show-common.js";

export function findSecret(model: ResolvedModel, path: string): ResolvedSecret {
  return findByName("secret", model.secrets, path, (s) => s.path);
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

/** `Label "mailserver" → puppet class "postfix" → lab::secret('mail/relay-credentials')`. */
export function grantLine(from: From, path: string): string {
  const who = `${from.kind[0]?.toUpperCase() ?? ""}${from.kind.slice(1)} "${from.name}"`;
  if (from.via?.startsWith("class ")) {
    return `${who} → puppet class "${from.via.slice(6)}" → lab::secret('${path}')`;
  }
  return from.via ? `${who} → ${from.via}` : `${who} → secrets: [${path}]`;
}

export function secretView(model: ResolvedModel, secret: ResolvedSecret) {
  const list = grants(model, secret.path);
  const spec = secret.spec;
  return {
    json: {
      path: secret.path,
      type: spec?.type ?? null,
      generator: spec?.generator ?? null,
      rotate_every: spec?.rotate_every ?? null,
      per_machine: spec?.per_machine ?? false,
      servers: secret.servers,
      grants: list.map((g) => ({ from: fromJson(g.from), servers: g.servers })),
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
      if (!list.length) {
        lines.push("Accessible by: nobody (no label or class grants it)");
      } else {
        lines.push(
          `Accessible by (derived from config and code): ${secret.servers.length} servers`,
        );
        for (const g of list) {
          lines.push(
            `  ${grantLine(g.from, secret.path)}`,
            ...renderTree(serverNodes(model, g.servers), "  "),
          );
        }
      }
      return lines.join("\n") + "\n";
    },
  };
}
