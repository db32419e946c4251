import { afterAll, describe, expect, it } from "vitest";
import { loadCreationRules, requireRuleFor, ruleFor } from "./creation-rules.js";
import { removeTempRepos, tempRepo } from "./sops-test-kit.js";

afterAll(removeTempRepos);

const CONFIG = [
  "creation_rules:",
  "  - path_regex: secrets/prod/.*",
  "    age: 'age1a, age1b'",
  "    encrypted_regex: ^(data|password)$",
  "  - path_regex: secrets/groups\\.sops\\.yaml$",
  "    key_groups:",
  "      - age: [age1c]",
  "      - age: [age1d, age1c]",
  "  - path_regex: secrets/none/.*",
  "  - age: age1z",
  "    mac_only_encrypted: true",
  "",
].join("\n");

describe("creation rules", () => {
  it("picks the first rule that matches the repo-relative path, as sops does", async () => {
    const rules = (await loadCreationRules(tempRepo({ ".sops.yaml": CONFIG })))!;
    expect(ruleFor(rules, "secrets/prod/db.sops.yaml")).toEqual({
      index: 1,
      pathRegex: "secrets/prod/.*",
      recipients: ["age1a", "age1b"],
      rules: { encryptedRegex: "^(data|password)$" },
    });
    expect(ruleFor(rules, "secrets/groups.sops.yaml")?.recipients).toEqual(["age1c", "age1d"]);
    expect(ruleFor(rules, "secrets/other.sops.yaml")).toMatchObject({
      index: 4,
      pathRegex: null,
      recipients: ["age1z"],
      rules: { macOnlyEncrypted: true },
    });
    expect(() => requireRuleFor(rules, "secrets/none/x.sops.yaml")).toThrow(
      "creation rule 3 in .sops.yaml (for secrets/none/x.sops.yaml) names no age recipients",
    );
  });

  it("no .sops.yaml, no matching rule, a broken one: clear errors", async () => {
    expect(await loadCreationRules(tempRepo())).toBeNull();
    expect(() => requireRuleFor(null, "secrets/a.sops.yaml")).toThrow(
      "secrets/a.sops.yaml does not exist and the repo has no .sops.yaml to say its recipients",
    );
    const only = (await loadCreationRules(
      tempRepo({ ".sops.yaml": "creation_rules:\n  - path_regex: ^x$\n    age: age1a\n" }),
    ))!;
    expect(() => requireRuleFor(only, "secrets/a.sops.yaml")).toThrow(
      "no creation rule in .sops.yaml matches secrets/a.sops.yaml; add one whose path_regex matches it",
    );
    await expect(
      loadCreationRules(tempRepo({ ".sops.yaml": "creation_rules:\n  - path_regex: '('\n" })),
    ).rejects.toThrow(
      ".sops.yaml: creation_rules[0] has a regular expression that is not valid: (",
    );
    await expect(loadCreationRules(tempRepo({ ".sops.yaml": "rules: []\n" }))).rejects.toThrow(
      ".sops.yaml: has no creation_rules list",
    );
  });
});
