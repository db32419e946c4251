import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compile } from "json-schema-to-typescript";
import { combinedSchema } from "./combined-schema.js";

const BANNER =
  "/* Generated from schemas/*.schema.json by `npm run gen:types`. Do not edit by hand. */";

/** The TypeScript types of the config repo, generated from its JSON Schemas. */
export async function generateTypes(): Promise<string> {
  const schema = combinedSchema();
  return compile(schema, "LabConfig", {
    bannerComment: BANNER,
    additionalProperties: false,
    strictIndexSignatures: true,
    unreachableDefinitions: true,
    format: true,
    style: { printWidth: 100 },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(process.argv[2] ?? "schemas/types.ts", await generateTypes());
}
