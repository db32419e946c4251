/** Checking a plan read back (by apply, or from a file) against schemas/plan.schema.json. */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import schema from "../../schemas/plan.schema.json" with { type: "json" };

let compiled: ValidateFunction | null = null;

/** `instancePath: message` for every way `value` is not a plan; empty when it is one. */
export function planSchemaErrors(value: unknown): string[] {
  compiled ??= new Ajv2020({ allErrors: true }).compile(schema);
  if (compiled(value)) return [];
  return (compiled.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message ?? "invalid"}`);
}
