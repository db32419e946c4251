/** Schema validation of the merged config with ajv, compiled once per process. */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import type { LabConfig } from "../../core/model.js";
import { combinedSchema } from "../../schemas/combined-schema.js";
import { mapSchemaErrors, type SchemaProblem } from "./schema-errors.js";

interface Compiled {
  check: ValidateFunction;
  defs: Readonly<Record<string, unknown>>;
}

let compiled: Compiled | null = null;

function compile(): Compiled {
  if (!compiled) {
    const schema = combinedSchema();
    const ajv = new Ajv2020({ allErrors: true, verbose: true });
    compiled = {
      check: ajv.compile(schema),
      defs: (schema.$defs ?? {}) as Readonly<Record<string, unknown>>,
    };
  }
  return compiled;
}

/** Every way the config breaks the schema, one problem per location. */
export function schemaProblems(config: LabConfig): SchemaProblem[] {
  const { check, defs } = compile();
  if (check(config)) return [];
  return mapSchemaErrors(check.errors ?? [], defs);
}
