/**
 * The catalog's rules under the real `promtool`: every check fires for a series whose
 * `lab_alerts` names it and not for one that only carries look-alike names, and its no-data
 * companion fires for a member whose series are missing while the check stays quiet
 * (test/promtool/<check>.yaml). Sized checks are rendered for two sizes, small and large.
 */
import { copyFile, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHECKS } from "../core/check-catalog.js";
import { checkRules } from "../renderers/prometheus/check-rules.js";
import { checkRulePath } from "../renderers/prometheus/paths.js";
import { renderPrometheus } from "../renderers/prometheus/prometheus-renderer.js";
import { ruleFile } from "../renderers/prometheus/rule-file.js";
import { modelFromYaml } from "./yaml-model.js";
import { runTool, writeArtifacts } from "./promtool/run-tool.js";

const SUITE = fileURLToPath(new URL("./promtool/", import.meta.url));
const CHECK_NAMES = [...CHECKS.keys()].sort();

function catalogModel() {
  return modelFromYaml(
    [
      "sizes:",
      "  small: { abstract: { cores: 2, memory: 4GB } }",
      "  large: { abstract: { cores: 8, memory: 32GB } }",
      "labels:",
      `  everything: { alerts: [${CHECK_NAMES.join(", ")}] }`,
      "  other: {}",
      "servers:",
      "  member: { provider: ssh, labels: [everything], size: large }",
      "  small-1: { provider: ssh, labels: [everything], size: small }",
      "  outsider: { provider: ssh, labels: [other] }",
      "",
    ].join("\n"),
  );
}

let dir = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "lab-promtool-"));
  const { value, diagnostics } = renderPrometheus(await catalogModel());
  expect(diagnostics).toEqual([]);
  await writeArtifacts(dir, value);
  for (const name of CHECK_NAMES)
    await copyFile(join(SUITE, `${name}.yaml`), join(dir, `${name}.yaml`));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("promtool test rules on the check catalog", () => {
  it("has one test file per catalog check and no other", async () => {
    const files = (await readdir(SUITE)).filter((f) => f.endsWith(".yaml")).sort();
    expect(files).toEqual(CHECK_NAMES.map((n) => `${n}.yaml`));
  });

  it("renders a rule file for every check in use, accepted by promtool check rules", async () => {
    const paths = CHECK_NAMES.map((n) => join(dir, checkRulePath(n)));
    const result = await runTool("promtool", ["check", "rules", ...paths]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  for (const name of CHECK_NAMES) {
    it(`${name} fires for its members only`, async () => {
      const result = await runTool("promtool", ["test", "rules", `${name}.yaml`], { cwd: dir });
      expect(result.stdout + result.stderr).toContain("SUCCESS");
      expect(result.code).toBe(0);
    });
  }

  it("fails when a rule ignores membership (the suite can fail)", async () => {
    const broken = await mkdtemp(join(tmpdir(), "lab-promtool-broken-"));
    try {
      const [rule, companion] = checkRules("smtp_connect");
      const unselective = { ...rule!, expr: rule!.expr.replace(/, lab_alerts=~"[^"]*"/, "") };
      expect(unselective.expr).toBe('probe_success{probe="smtp"} == 0');
      await writeArtifacts(broken, [
        {
          path: checkRulePath("smtp_connect"),
          content: ruleFile("broken", [unselective, companion!]),
          hash: "",
          sources: [],
        },
      ]);
      await copyFile(join(SUITE, "smtp_connect.yaml"), join(broken, "smtp_connect.yaml"));
      const result = await runTool("promtool", ["test", "rules", "smtp_connect.yaml"], {
        cwd: broken,
      });
      expect(result.code).toBe(1);
      expect(result.stdout + result.stderr).toContain('lab_server="outsider"');
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
