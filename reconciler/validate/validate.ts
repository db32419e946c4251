/** The validate stage: JSON Schema first, then the semantic rules on what passed it. */
import { compareDiagnostics, type Diagnostic } from "../../core/diagnostics.js";
import type { LoadedRepo } from "../../core/model.js";
import { checkAlertRules } from "./alert-rules.js";
import { checkCertnames } from "./certnames.js";
import { checkClassParams } from "./class-params.js";
import { createContext } from "./check-context.js";
import { checkCycles } from "./cycles.js";
import { checkKnownNames } from "./known-names.js";
import { checkMonitoringSettings } from "./monitoring-settings.js";
import { checkProviderNeeds } from "./provider-needs.js";
import { checkReferences } from "./references.js";
import { schemaProblems } from "./schema.js";

/**
 * Every problem in a loaded repo, sorted: schema errors (LAB1xx), unknown names (LAB20x),
 * group cycles (LAB210), malformed durations and conditions (LAB22x). Never throws on bad input.
 */
export function validate(repo: LoadedRepo): Diagnostic[] {
  const problems = schemaProblems(repo.config);
  const { context, diagnostics } = createContext(
    repo,
    problems.map((p) => p.pointer),
  );
  for (const p of problems) {
    context.report(p.code, p.pointer, p.message, { key: p.key, ...(p.fix ? { fix: p.fix } : {}) });
  }
  checkReferences(context);
  checkKnownNames(context);
  checkCertnames(context);
  checkClassParams(context);
  checkCycles(context);
  checkAlertRules(context);
  checkProviderNeeds(context);
  checkMonitoringSettings(context);
  return diagnostics.sort(compareDiagnostics);
}
