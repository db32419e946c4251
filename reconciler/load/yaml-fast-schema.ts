/**
 * The js-yaml schema of the fast parse path, built from the `yaml` package's own YAML 1.2 core
 * tags (their `test` and `resolve`), so that a plain scalar gets exactly the type and value it
 * gets on the reference path: the same int forms (`0o17`, `0x1f`, no underscores or binary), the
 * same floats (`.inf`, `.nan`, exponents), the same booleans and nulls, and no timestamps or merge
 * keys (`<<` stays a plain key).
 */
import jsYaml from "js-yaml";
import { isScalar, Schema, type ScalarTag } from "yaml";
import { CORE_TAGS } from "./yaml-problems.js";

/** The scalar tags `yaml` tries on a plain scalar, in the order it tries them. */
function coreScalarTags(): ScalarTag[] {
  const schema = new Schema({ schema: "core", resolveKnownTags: false, merge: false });
  return schema.tags.filter(
    (tag): tag is ScalarTag =>
      typeof tag === "object" &&
      CORE_TAGS.has(tag.tag) &&
      tag.default === true &&
      "test" in tag &&
      tag.test instanceof RegExp,
  );
}

const RESOLVE_OPTIONS = { intAsBigInt: false };

function ignoreError(): void {}

/**
 * One js-yaml implicit type for all of them (js-yaml keeps one type per tag, and `yaml` has three
 * int and three float forms): the first tag whose test matches decides, as in `yaml`.
 */
function coreScalarType(tags: readonly ScalarTag[]): jsYaml.Type {
  let matched: ScalarTag | undefined;
  return new jsYaml.Type("tag:lab,2026:core-scalar", {
    kind: "scalar",
    resolve: (data: unknown) => {
      matched = typeof data === "string" ? tags.find((tag) => tag.test!.test(data)) : undefined;
      return matched !== undefined;
    },
    construct: (data: string): unknown => {
      const tag = matched?.test!.test(data) ? matched : tags.find((t) => t.test!.test(data))!;
      const value: unknown = tag.resolve(data, ignoreError, RESOLVE_OPTIONS);
      return isScalar(value) ? value.value : value;
    },
  });
}

/** Strings, lists and mappings (js-yaml's failsafe schema) plus `yaml`'s core scalar types. */
export const FAST_SCHEMA: jsYaml.Schema = jsYaml.FAILSAFE_SCHEMA.extend({
  implicit: [coreScalarType(coreScalarTags())],
});
