import { describe, expect, it } from "vitest";
import { ignoreMatcher, selectFiles } from "./select-files.js";

describe("selectFiles", () => {
  it("keeps YAML config and Puppet code, sorted, and leaves out everything else", () => {
    const files = selectFiles([
      "servers/web.yaml",
      "lab.yml",
      "README.md",
      ".sops.yaml",
      ".lab/cache.yaml",
      ".github/workflows/ci.yaml",
      "servers/.hidden.yaml",
      "node_modules/x/config.yaml",
      "tools/node_modules/y.yaml",
      "secrets/mail.sops.yaml",
      "secrets/db.sops.yml",
      "secrets/tokens.sops.json",
      "puppet/modules/a/manifests/init.pp",
      "puppet/hiera.yaml",
      "puppet/.hidden/x.pp",
      "puppetry.yaml",
      "alerts.yaml",
      "data.json",
    ]);
    expect(files).toEqual({
      config: ["alerts.yaml", "lab.yml", "puppetry.yaml", "servers/web.yaml"],
      puppet: ["puppet/modules/a/manifests/init.pp"],
    });
  });
});

describe("ignoreMatcher", () => {
  it("matches globs against the path and its parent folders", () => {
    const ignored = ignoreMatcher(["docs/**", "drafts", "*.draft.yaml", "**/examples/*.yaml"]);
    expect(ignored("docs/a.yaml")).toBe(true);
    expect(ignored("docs/deep/b.yaml")).toBe(true);
    expect(ignored("drafts/x/y.yaml")).toBe(true);
    expect(ignored("new.draft.yaml")).toBe(true);
    expect(ignored("servers/new.draft.yaml")).toBe(false);
    expect(ignored("a/b/examples/c.yaml")).toBe(true);
    expect(ignored("servers/docs.yaml")).toBe(false);
    expect(ignored("documentation/a.yaml")).toBe(false);
  });

  it("matches nothing without globs", () => {
    expect(ignoreMatcher([])("anything.yaml")).toBe(false);
  });
});
