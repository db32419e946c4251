import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * Imports flow one way (docs/architecture.md): core ← renderers ← reconciler ← adapters ← cli.
 * Vendor SDKs are imported only in adapters/. Unit tests beside the code follow their module's
 * rule and may also use the shared test helpers under test/; test/ itself and bench/ are
 * composition roots of their own (bench/ also runs the test suite's GitHub stand-in).
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  schemas: ["schemas"],
  core: ["core", "schemas"],
  renderers: ["core", "schemas", "renderers"],
  reconciler: ["core", "schemas", "renderers", "reconciler"],
  adapters: ["core", "schemas", "renderers", "reconciler", "adapters"],
  cli: ["core", "schemas", "renderers", "reconciler", "adapters", "cli"],
  bench: ["core", "schemas", "renderers", "reconciler", "adapters", "bench", "test"],
  test: ["core", "schemas", "renderers", "reconciler", "adapters", "cli", "bench", "test"],
};
/** Where vendor SDKs may be imported: adapters/ (and the suites that test them end to end). */
const VENDOR_SDKS = /^@pulumi\/|^@octokit\/|^better-sqlite3$|^pg$|^kysely$|^undici$/;
const MAY_IMPORT_VENDORS: ReadonlySet<string> = new Set(["adapters", "test"]);
/** Top-level folders that hold no TypeScript of the project. */
const NOT_SOURCE: ReadonlySet<string> = new Set(["node_modules", "dist", "examples", "scripts"]);

interface SourceFile {
  path: string;
  test: boolean;
}

function sourceFiles(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== "fixtures" && name !== "golden" && name !== "invalid") {
        out.push(...sourceFiles(path));
      }
    } else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) {
      out.push({ path, test: name.endsWith(".test.ts") });
    }
  }
  return out;
}

function importsOf(text: string): string[] {
  const specs: string[] = [];
  const re =
    /(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*["']([^"']+)["']|(?:^|\n)\s*import\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const m of text.matchAll(re)) specs.push((m[1] ?? m[2] ?? m[3])!);
  return specs;
}

function topFolders(): string[] {
  return readdirSync(root)
    .filter((name) => !name.startsWith(".") && !NOT_SOURCE.has(name))
    .filter((name) => statSync(join(root, name)).isDirectory());
}

/** What `text` (the source of `file`, in `module`) imports against the rules: one line each. */
function violations(module: string, file: SourceFile, text: string): string[] {
  const allowed = file.test ? [...ALLOWED[module]!, "test"] : ALLOWED[module]!;
  const rel = relative(root, file.path);
  const bad: string[] = [];
  for (const spec of importsOf(text)) {
    if (spec.startsWith(".")) {
      const target = relative(root, join(file.path, "..", spec)).split(/[\\/]/)[0]!;
      if (!allowed.includes(target)) bad.push(`${rel} imports ${spec} (${target}/)`);
    } else if (VENDOR_SDKS.test(spec) && !MAY_IMPORT_VENDORS.has(module)) {
      bad.push(`${rel} imports vendor SDK ${spec}`);
    }
  }
  return bad;
}

describe("module boundaries", () => {
  it("has a rule for every top-level source folder, and every rule's folder exists", () => {
    const folders = topFolders().filter((f) => sourceFiles(join(root, f)).length > 0);
    expect(folders.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  for (const [module, allowed] of Object.entries(ALLOWED)) {
    it(`${module}/ imports only ${allowed.join(", ")} (and no vendor SDK outside adapters/)`, () => {
      const files = sourceFiles(join(root, module));
      expect(files.filter((f) => !f.test).length, `${module}/ has no source files`).toBeGreaterThan(
        0,
      );
      expect(files.flatMap((f) => violations(module, f, readFileSync(f.path, "utf8")))).toEqual([]);
    });
  }

  it("catches a wrong import, a vendor SDK and a unit test reaching past its module", () => {
    const probe = (module: string, test: boolean, text: string): string[] => {
      const path = join(root, module, test ? "probe.test.ts" : "probe.ts");
      return violations(module, { path, test }, text);
    };
    expect(probe("core", false, 'import { x } from "../reconciler/x.js";')).toHaveLength(1);
    expect(probe("renderers", false, 'import * as aws from "@pulumi/aws";')).toHaveLength(1);
    expect(probe("renderers", true, 'import { m } from "../test/yaml-model.js";')).toEqual([]);
    expect(probe("renderers", true, 'import { c } from "../cli/main.js";')).toHaveLength(1);
    expect(probe("adapters", false, 'import * as aws from "@pulumi/aws";')).toEqual([]);
    expect(probe("bench", false, 'import { c } from "../cli/main.js";')).toHaveLength(1);
  });
});
