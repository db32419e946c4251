/** `lab show size NAME`: what a size means per provider and which servers have it. */
import type { ResolvedModel, ResolvedSize } from "../core/model.js";
import { findByName } from "./find.js";
import { providerSummary } from "./get-views.js";
import type { Style } from "./printers/color.js";
import { fromJson, fromSuffix } from "./printers/provenance.js";
import { renderTree } from "./printers/tree.js";
import { serverNodes } from "./show-common.js";

export function findSize(model: ResolvedModel, name: string): ResolvedSize {
  return findByName("size", model.sizes, name, (z) => z.name);
}

export function sizeView(model: ResolvedModel, size: ResolvedSize) {
  const servers = model.servers.filter((s) => s.size === size.name);
  const providers = Object.entries(size.spec.providers ?? {});
  const a = size.spec.abstract ?? {};
  return {
    json: {
      name: size.name,
      abstract: a,
      providers: size.spec.providers ?? {},
      servers: servers.map((s) => ({
        name: s.name,
        from: s.sizeFrom ? [fromJson(s.sizeFrom)] : [],
      })),
    },
    text: (style: Style): string => {
      const abstract = [
        a.cores !== undefined ? `${a.cores} cores` : "",
        a.memory ?? "",
        a.disk ?? "",
      ];
      const fromOf = new Map(servers.map((s) => [s.name, s.sizeFrom ? [s.sizeFrom] : []]));
      const lines = [style.bold(`Size: ${size.name}`)];
      if (size.spec.description) lines.push(`Description: ${size.spec.description}`);
      lines.push(`Abstract: ${abstract.filter(Boolean).join(", ") || "none"}`);
      lines.push(providers.length ? "Providers:" : "Providers: none");
      lines.push(
        ...renderTree(
          providers.map(([p, v]) => ({ text: `${p}: ${providerSummary(v)}` })),
          "  ",
        ),
      );
      lines.push(`Servers (${servers.length}):${servers.length ? "" : " none"}`);
      const names = servers.map((s) => s.name);
      lines.push(
        ...renderTree(
          serverNodes(model, names, (n) => fromSuffix(fromOf.get(n) ?? [])),
          "  ",
        ),
      );
      return lines.join("\n") + "\n";
    },
  };
}
