/**
 * Stable ids: an alert, a label and a server added in a file that loads before the others move
 * no other item's id, position or artifact.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { diffLines } from "diff";
import { describe, expect, test } from "vitest";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";
import { modelItemIds } from "../reconciler/plan/item-ids.js";
import { planSide } from "../reconciler/plan/plan-side.js";
import type { PlanSide } from "../reconciler/plan/plan-types.js";
import { EXAMPLE } from "./example-repo.js";

/** The example repo's files (path -> text), without its rendered output. */
export function exampleFiles(dir = EXAMPLE, root = dir, out: Record<string, string> = {}) {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === ".lab") continue;
    if (statSync(path).isDirectory()) exampleFiles(path, root, out);
    else out[relative(root, path)] = readFileSync(path, "utf8");
  }
  return out;
}

async function sideOf(files: Record<string, string>): Promise<PlanSide> {
  const checked = await checkRepo(memorySource(files));
  if (!checked.model) throw new Error(`test repo has errors: ${checked.diagnostics[0]?.message}`);
  return planSide("x", checked.repo, checked.model);
}

const FIRST = [
  "labels:",
  "  aaa-extra:",
  "    puppet_classes: [aaa_extra]",
  "servers:",
  "  aaa-box: { provider: ssh, labels: [aaa-extra], address: 10.9.9.9 }",
  "alerts:",
  "  - name: aaa_first",
  "    target: { servers: [aaa-box] }",
  "    condition: aaa_metric > 1",
  "",
].join("\n");

describe("stable ids", () => {
  test("an alert, a label and a server added first move nothing else", async () => {
    const files = exampleFiles();
    const base = await sideOf(files);
    const head = await sideOf({ "00-first.yaml": FIRST, ...files });
    const baseIds = modelItemIds(base.model, base.artifacts);
    const headIds = modelItemIds(head.model, head.artifacts);
    expect(baseIds.filter((id) => !headIds.includes(id))).toEqual([]);
    expect(headIds.filter((id) => !baseIds.includes(id))).toEqual([
      "alert/aaa_first",
      "artifact/enc/nodes/aaa-box.yaml",
      "artifact/naemon/hosts/aaa-box.cfg",
      "artifact/prometheus/rules/alerts/00-first.yaml",
      "artifact/prometheus/targets/aaa-box.json",
      "label/aaa-extra",
      "server/aaa-box",
    ]);
    // The user alerts keep their positions, so their rule files keep their bytes.
    for (const alert of base.model.alerts) {
      expect(head.model.alerts.find((a) => a.name === alert.name)).toEqual(alert);
    }
    const changed = base.artifacts
      .filter((a) => head.artifacts.find((h) => h.path === a.path)?.content !== a.content)
      .map((a) => a.path);
    // Only the two files that list every server change, and only by the new server's lines.
    expect(changed).toEqual(["naemon/hostgroups.cfg", "pulumi/stacks.yaml"]);
    for (const path of changed) {
      const before = base.artifacts.find((a) => a.path === path)!.content;
      const after = head.artifacts.find((a) => a.path === path)!.content;
      const parts = diffLines(before, after);
      expect(parts.filter((p) => p.removed)).toEqual([]);
      const added = parts.filter((p) => p.added);
      expect(added.length).toBeGreaterThan(0);
      for (const part of added) expect(part.value).toMatch(/aaa/);
    }
  });
});
