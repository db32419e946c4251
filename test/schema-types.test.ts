import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { describe, expect, it } from "vitest";
import { generateTypes } from "../schemas/gen-types.js";
import { SECTIONS, SECTION_SCHEMAS, combinedSchema } from "../schemas/combined-schema.js";
import { Ajv2020 } from "ajv/dist/2020.js";

const typesPath = fileURLToPath(new URL("../schemas/types.ts", import.meta.url));

describe("schemas", () => {
  it("checked-in types.ts is what the schemas generate (run `npm run gen:types` when this fails)", async () => {
    const options = (await resolveConfig(typesPath)) ?? {};
    const fresh = await format(await generateTypes(), { ...options, filepath: typesPath });
    expect(readFileSync(typesPath, "utf8")).toBe(fresh);
  });

  it("every section schema is a valid draft 2020-12 schema with unknown keys forbidden", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const schema = combinedSchema();
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(Object.keys(schema.properties as object)).toEqual([...SECTIONS]);
    for (const name of SECTIONS) {
      expect((SECTION_SCHEMAS[name] as { $schema?: string }).$schema).toBe(
        "https://json-schema.org/draft/2020-12/schema",
      );
    }
  });

  it("the combined schema rejects an unknown section and an unknown key", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const validate = ajv.compile(combinedSchema());
    expect(validate({ servers: { a: { provider: "aws" } } })).toBe(true);
    expect(validate({ serverz: {} })).toBe(false);
    expect(validate({ servers: { a: { provider: "aws", sise: "large" } } })).toBe(false);
    expect(validate({ servers: { a: { provider: "gcp" } } })).toBe(false);
  });
});
