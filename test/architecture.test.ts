import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Imports flow one way (DESIGN.md §6): core ← renderers ← reconciler ← adapters ← cli/agent.
 * Vendor SDKs are imported only in adapters/.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  schemas: ["schemas"],
  core: ["core", "schemas"],
  renderers: ["core", "schemas", "renderers"],
  reconciler: ["core", "schemas", "renderers", "reconciler"],
  adapters: ["core", "schemas", "renderers", "reconciler", "adapters"],
  cli: ["core", "schemas", "renderers", "reconciler", "adapters", "cli"],
  agent: ["core", "schemas", "renderers", "reconciler", "adapters", "agent"],
};
const VENDOR_SDKS = /^@pulumi\/|^@octokit\/|^better-sqlite3$|^pg$|^kysely$|^undici$/;

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const name of entries) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "fixtures") out.push(...sourceFiles(path));
    } else if (name.endsWith(".ts") && !name.endsWith(".test.ts") && !name.endsWith(".d.ts")) {
      out.push(path);
    }
  }
  return out;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2])!);
  return specs;
}

describe("module boundaries", () => {
  it("finds the source folders", () => {
    expect(sourceFiles(join(root, "core")).length).toBeGreaterThan(0);
  });

  for (const [module, allowed] of Object.entries(ALLOWED)) {
    it(`${module}/ imports only ${allowed.join(", ")} (and no vendor SDK outside adapters/)`, () => {
      const bad: string[] = [];
      for (const file of sourceFiles(join(root, module))) {
        const rel = relative(root, file);
        for (const spec of importsOf(readFileSync(file, "utf8"))) {
          if (spec.startsWith(".")) {
            const target = relative(root, join(file, "..", spec)).split(/[\\/]/)[0]!;
            if (!allowed.includes(target)) bad.push(`${rel} imports ${spec} (${target}/)`);
          } else if (VENDOR_SDKS.test(spec) && module !== "adapters") {
            bad.push(`${rel} imports vendor SDK ${spec}`);
          }
        }
      }
      expect(bad).toEqual([]);
    });
  }
});
