/**
 * Types for `@prometheus-io/lezer-promql` 0.42 (the grammar of Prometheus 2.42): the package
 * ships them, but its `exports` map does not point TypeScript at them.
 */
declare module "@prometheus-io/lezer-promql" {
  import type { LRParser } from "@lezer/lr";
  export const parser: LRParser;
}
