/**
 * LAB224 agrees with Prometheus: every annotation that validate's template check accepts is
 * accepted by the real `promtool check rules`, and every one it refuses, promtool refuses.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalYaml } from "../core/canonical.js";
import { templateProblem } from "../reconciler/validate/alert-rules.js";
import { requireTool } from "./tools.js";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "lab-template-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CASES = [
  "plain text",
  "on {{ $labels.lab_server }}",
  "{{ $value | humanize }}% used on {{ $labels.lab_server }}",
  '{{ "{{" }} literally',
  "{{- $labels.lab_server -}} trimmed",
  '{{ printf "%.2f" $value }}',
  "slow on {{ $labels.lab_server }",
  "{{}}",
  "closes }} nothing",
  '{{ "unterminated }}',
  "{{ $labels.lab_server }} and {{",
];

async function promtoolAccepts(text: string, i: number): Promise<boolean> {
  const file = join(dir, `rule-${i}.yaml`);
  const rule = { alert: "t", expr: "up == 0", annotations: { summary: text } };
  writeFileSync(file, canonicalYaml({ groups: [{ name: "g", rules: [rule] }] }));
  try {
    await run(requireTool("promtool"), ["check", "rules", file]);
    return true;
  } catch {
    return false;
  }
}

describe("annotation templates (LAB224) against promtool", () => {
  it.each(CASES.map((text, i) => [text, i] as const))("%j", async (text, i) => {
    const accepted = await promtoolAccepts(text, i);
    expect(templateProblem(text) === null).toBe(accepted);
  });
});
