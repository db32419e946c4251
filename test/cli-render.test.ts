/** `lab render`: the rendered tree, its summary, idempotence, --only, selectors, and `lab enc` on it. */
import { readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { listTree, MANIFEST } from "../adapters/output/tree-state.js";
import {
  copyExample,
  EXAMPLE,
  lab,
  removeTemps,
  SMALL_REPO,
  tempDir,
  writeRepo,
} from "./cli-harness.js";

afterAll(removeTemps);

interface Summary {
  out: string;
  renderers: string[];
  scope: "full" | "selection";
  servers: number;
  of?: number;
  preview: boolean;
  reused: boolean;
  written: boolean;
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

async function render(repo: string, ...args: string[]): Promise<Summary> {
  const r = await lab(["--repo", repo, "render", "-o", "json", ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Summary;
}

/** path -> [inode, mtime] for every file of a tree. */
async function stamps(root: string): Promise<Map<string, [number, number]>> {
  const out = new Map<string, [number, number]>();
  for (const path of await listTree(root)) {
    const s = statSync(join(root, path));
    out.set(path, [s.ino, s.mtimeMs]);
  }
  return out;
}

const TOP = ["enc", "naemon", "prometheus", "pulumi"];

describe("lab render", () => {
  it("writes every renderer's tree under <repo>/.lab/rendered, then reports no changes", async () => {
    const repo = copyExample();
    const out = join(repo, ".lab", "rendered");
    const first = await render(repo);
    expect(first.out).toBe(out);
    expect(first.renderers).toEqual(["prometheus", "naemon", "enc", "pulumi"]);
    expect(first.written).toBe(true);
    expect([first.changed, first.removed, first.unchanged]).toEqual([[], [], 0]);
    expect(first.added).toEqual(await listTree(out));
    expect(readdirSync(out).sort()).toEqual([MANIFEST, ...TOP]);
    // `rendered` is a symlink to the one version folder beside it; nothing else is left there.
    const version = readlinkSync(out);
    expect(readdirSync(join(repo, ".lab")).sort()).toEqual([version, "rendered"].sort());

    const before = await stamps(out);
    const again = await lab(["--repo", repo, "render"]);
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(
      `rendered prometheus, naemon, enc, pulumi into ${out}: no changes (${first.added.length} files)\n`,
    );
    expect(await stamps(out)).toEqual(before);
  });

  it("a change to one label rewrites only what depends on it; the rest keep inode and mtime", async () => {
    const repo = copyExample();
    const out = join(repo, ".lab", "rendered");
    await render(repo);
    const before = await stamps(out);
    const file = join(repo, "labels", "roles.yaml");
    const text = readFileSync(file, "utf8");
    writeFileSync(
      file,
      text.replace(
        "puppet_classes: [nginx, app::deploy]",
        "puppet_classes: [nginx, app::deploy, app::cache]",
      ),
    );
    const s = await render(repo, "--only", "enc");
    expect(s.changed).toEqual(["enc/nodes/api-1.yaml", "enc/nodes/api-2.yaml"]);
    expect([s.added, s.removed]).toEqual([[], []]);
    expect(readFileSync(join(out, "enc/nodes/api-1.yaml"), "utf8")).toContain("app::cache");
    const after = await stamps(out);
    for (const [path, stamp] of before) {
      if (!s.changed.includes(path)) expect([path, after.get(path)]).toEqual([path, stamp]);
    }
  });

  it("--only keeps the other renderers' folders as they were", async () => {
    const repo = copyExample();
    const out = join(repo, ".lab", "rendered");
    await render(repo);
    const before = await stamps(out);
    const s = await render(repo, "--only", "naemon");
    expect(s).toMatchObject({
      renderers: ["naemon"],
      written: false,
      added: [],
      changed: [],
      removed: [],
    });
    expect(await stamps(out)).toEqual(before);
  });

  it("a selection only previews: the rendered tree keeps every server, bytes and times", async () => {
    const repo = copyExample();
    const out = join(repo, ".lab", "rendered");
    const full = await render(repo);
    const before = await stamps(out);
    const r = await lab(["--repo", repo, "render", "--group", "database-tier"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^preview of 4 of 23 servers: 0 added, 0 changed, 0 removed, \d+ unchanged in /,
    );
    expect(r.stdout).toContain(
      "nothing was written: the rendered tree always holds the whole repo",
    );
    expect(await stamps(out)).toEqual(before);
    const json = await render(repo, "--label", "postgres", "--only", "enc,prometheus");
    expect(json).toMatchObject({ scope: "selection", preview: true, written: false, servers: 4 });
    expect(json.removed).toEqual([]);
    expect(await listTree(out)).toEqual(full.added);
  });

  it("a selection's preview marks what a render of the whole repo would change", async () => {
    const repo = copyExample();
    await render(repo);
    const file = join(repo, "labels", "roles.yaml");
    const text = readFileSync(file, "utf8");
    writeFileSync(file, text.replace("puppet_classes: [bind]", "puppet_classes: [bind, unbound]"));
    const s = await render(repo, "--label", "dns", "--only", "enc");
    expect(s.changed).toEqual(["enc/nodes/ns-1.yaml"]);
    expect(s.written).toBe(false);
  });

  it("a selection is written only to an explicit --out that holds no full tree, and says so", async () => {
    const repo = copyExample();
    const out = join(tempDir(), "partial");
    const r = await lab([
      "--repo",
      repo,
      "render",
      "--label",
      "mailserver,dns",
      "--only",
      "enc",
      "--out",
      out,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^rendered enc for 3 of 23 servers into ${out}: 3 added`));
    expect(await listTree(out)).toEqual([
      "enc/nodes/mail-1.yaml",
      "enc/nodes/mail-2.yaml",
      "enc/nodes/ns-1.yaml",
    ]);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")) as { scope: unknown };
    expect(manifest.scope).toEqual({ kind: "selection", servers: 3, of: 23 });
    // Another selection may replace it.
    expect((await render(repo, "--label", "dns", "--only", "enc", "--out", out)).written).toBe(
      true,
    );
  });

  it("refuses to write a selection over a full tree, or into the repo's own tree", async () => {
    const repo = copyExample();
    const out = join(tempDir(), "full");
    const full = await render(repo, "--out", out);
    const before = await stamps(out);
    const over = await lab(["--repo", repo, "render", "--label", "dns", "--out", out]);
    expect(over.code).toBe(1);
    expect(over.stderr).toBe(
      `error: ${out} holds a rendered tree of the whole repo (${full.added.length} files); writing a selection there would remove what the selection leaves out. Choose an empty folder, or run lab render without selector flags\n`,
    );
    expect(await stamps(out)).toEqual(before);
    const own = join(repo, ".lab", "rendered");
    const into = await lab(["--repo", repo, "render", "--label", "dns", "--out", own]);
    expect(into.code).toBe(2);
    expect(into.stderr).toContain("is the repo's rendered tree, which always holds the whole repo");
  });

  it("--out is relative to the working directory; --dry-run writes nothing", async () => {
    const repo = copyExample();
    const cwd = tempDir();
    const dry = await lab(["--repo", repo, "render", "--out", "tree", "--dry-run"], { cwd });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      new RegExp(`^rendered prometheus, naemon, enc, pulumi into ${join(cwd, "tree")}: \\d+ added`),
    );
    expect(dry.stdout.endsWith("(dry run: nothing was written)\n")).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    const r = await lab(["--repo", repo, "render", "--out", "tree", "--only", "prometheus"], {
      cwd,
    });
    expect(r.code).toBe(0);
    expect(readdirSync(join(cwd, "tree")).sort()).toEqual([MANIFEST, "prometheus"]);
  });

  it("an unknown renderer is a usage error (exit 2) with a suggestion", async () => {
    const r = await lab(["--repo", copyExample(), "render", "--only", "naemn"]);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'error: unknown renderer "naemn" (did you mean "naemon"?) (renderers: prometheus, naemon, enc, pulumi)\n',
    });
  });

  it("a repo with errors renders nothing (exit 1)", async () => {
    const repo = writeRepo({
      ...SMALL_REPO,
      "servers.yaml": "servers:\n  web-1: { provider: ssh, size: huge }\n",
    });
    const r = await lab(["--repo", repo, "render"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('run "lab validate" for details');
    expect(readdirSync(repo)).not.toContain(".lab");
  });

  it("lab enc reads what lab render wrote", async () => {
    const repo = copyExample();
    await render(repo, "--only", "enc");
    const r = await lab(["--repo", repo, "enc", "worker-5"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      readFileSync(join(repo, ".lab/rendered/enc/nodes/worker-5.yaml"), "utf8"),
    );
    expect(r.stdout).toContain("kubernetes::worker");
  });
});

describe("lab render --all-providers", () => {
  it("prints the side-by-side table for a label and writes nothing", async () => {
    const repo = copyExample();
    const r = await lab(["--repo", repo, "render", "--label", "mailserver", "--all-providers"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("2 servers: mail-1, mail-2");
    expect(lines[1]).toMatch(/^┌─+┬/);
    expect(lines[2]).toMatch(/│ +│ AWS +│ XCP-ng +│ Bare Metal +│ SSH +│/);
    expect(lines.find((l) => l.startsWith("│ Compute"))).toMatch(
      /│ Compute +│ 2× t3\.large \(medium\) +│ 2× 4c\/8GB \(medium\) +│ 2× IPMI boot ≥4c\/8GB \(medium\) +│ 2× ≥4c\/8GB \(medium\) +│/,
    );
    expect(lines.find((l) => l.startsWith("│ Est. Cost"))).toMatch(
      /│ Est\. Cost │ 2× \$60\.74 = \$121\.48 \(medium\) +│ 2× — \(medium\) +│/,
    );
    expect(readdirSync(repo)).not.toContain(".lab");
  });

  it("-o json gives structured data; other selectors compare the selected servers", async () => {
    const r = await lab([
      "--repo",
      EXAMPLE,
      "render",
      "--all-providers",
      "--label",
      "postgres",
      "--exclude",
      "db-4",
      "-o",
      "json",
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { servers: { name: string }[]; providers: object };
    expect(json.servers.map((s) => s.name)).toEqual(["db-1", "db-2", "db-3"]);
    expect(Object.keys(json.providers)).toEqual(["aws", "xcpng", "baremetal", "ssh"]);
  });

  it("without a selection is a usage error (exit 2); an unknown label exits 1 with a suggestion", async () => {
    const none = await lab(["--repo", EXAMPLE, "render", "--all-providers"]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--all-providers compares a selection");
    const typo = await lab([
      "--repo",
      EXAMPLE,
      "render",
      "--label",
      "mailservr",
      "--all-providers",
    ]);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('did you mean "mailserver"');
  });
});

describe("lab render with nothing changed", () => {
  it("reuses the tree as it is (same input, same code); a file edited by hand is put back", async () => {
    const repo = copyExample();
    const out = join(repo, ".lab", "rendered");
    const first = await render(repo);
    const manifest = JSON.parse(readFileSync(join(out, MANIFEST), "utf8")) as {
      sources: Record<string, string>;
      servers: number;
    };
    expect(Object.keys(manifest.sources)).toEqual(["enc", "naemon", "prometheus", "pulumi"]);
    expect(new Set(Object.values(manifest.sources)).size).toBe(1);
    expect(manifest.servers).toBe(23);
    expect(first.reused).toBe(false);
    const again = await render(repo);
    expect(again).toMatchObject({
      reused: true,
      written: false,
      servers: 23,
      unchanged: first.added.length,
    });
    // Edited by hand: the next render sees it and writes the rendered bytes back.
    const enc = join(out, "enc/nodes/db-1.yaml");
    const bytes = readFileSync(enc, "utf8");
    writeFileSync(enc, bytes.replace("production", "hacked"));
    const repaired = await render(repo);
    expect([repaired.reused, repaired.written, repaired.changed]).toEqual([
      false,
      true,
      ["enc/nodes/db-1.yaml"],
    ]);
    expect(readFileSync(enc, "utf8")).toBe(bytes);
  });

  it("renders again when any config or Puppet file changes, even one the output ignores", async () => {
    const repo = copyExample();
    await render(repo);
    const pp = join(repo, "puppet/modules/base/manifests/ntp_eu.pp");
    writeFileSync(pp, readFileSync(pp, "utf8") + "\n# a comment\n");
    const sources = () =>
      (
        JSON.parse(readFileSync(join(repo, ".lab", "rendered", MANIFEST), "utf8")) as {
          sources: Record<string, string>;
        }
      ).sources;
    const before = sources();
    const again = await render(repo);
    // The input changed, so it was rendered again; the output is the same, so nothing is written,
    // and the manifest remembers the new input: the next render reuses the tree.
    expect([again.reused, again.written, again.changed, again.added]).toEqual([
      false,
      false,
      [],
      [],
    ]);
    expect(sources()).not.toEqual(before);
    expect((await render(repo)).reused).toBe(true);
    // --only renders some folders; the others keep what they were rendered from.
    writeFileSync(pp, readFileSync(pp, "utf8") + "\n# another\n");
    expect((await render(repo, "--only", "enc")).reused).toBe(false);
    const partial = sources();
    expect(partial.enc).not.toBe(partial.naemon);
    expect((await render(repo, "--only", "enc")).reused).toBe(true);
    expect((await render(repo)).reused).toBe(false);
  });
});
