import { describe, expect, it } from "vitest";
import type { FileSource } from "../../core/file-source.js";
import { blobId } from "./content-id.js";
import { createLoadCache, loadRepo } from "./load-repo.js";
import { memorySource } from "./memory-source.js";
import { MAX_FILE_BYTES } from "./read-files.js";

function brief(d: { file: string; line: number; col: number; code: string; pointer: string }) {
  return `${d.file}:${d.line}:${d.col} ${d.code} ${d.pointer}`;
}

describe("loadRepo", () => {
  it("merges map sections by key and concatenates alerts in path order", async () => {
    const { value, diagnostics } = await loadRepo(
      memorySource({
        "z.yaml": "alerts:\n  - { name: late, target: {} }\nservers:\n  b: { provider: ssh }\n",
        "a.yaml": "alerts:\n  - { name: early, target: {} }\nservers:\n  a: { provider: aws }\n",
        "lab.yaml": "lab: { name: home }\n",
        "more/lab.yaml": "lab: { default_branch: trunk }\n",
      }),
    );
    expect(diagnostics).toEqual([]);
    expect(value.config).toEqual({
      alerts: [
        { name: "early", target: {} },
        { name: "late", target: {} },
      ],
      servers: { a: { provider: "aws" }, b: { provider: "ssh" } },
      lab: { name: "home", default_branch: "trunk" },
    });
    expect(value.files).toEqual(["a.yaml", "lab.yaml", "more/lab.yaml", "z.yaml"]);
  });

  it("reports a name defined in two files at the second, naming both places (LAB011)", async () => {
    const { value, diagnostics } = await loadRepo(
      memorySource({
        "servers/b.yaml": "servers:\n  web-01: { provider: ssh }\n",
        "servers/a.yaml": "# first\nservers:\n  web-01: { provider: aws }\n",
      }),
    );
    expect(diagnostics).toEqual([
      {
        file: "servers/b.yaml",
        line: 2,
        col: 3,
        severity: "error",
        code: "LAB011",
        pointer: "/servers/web-01",
        message:
          "server web-01 is defined twice: first at servers/a.yaml:3:3, again at servers/b.yaml:2:3",
        fix: "rename one of them or remove the duplicate",
        related: [{ file: "servers/a.yaml", line: 3, col: 3 }],
      },
    ]);
    expect(value.config.servers).toEqual({ "web-01": { provider: "aws" } });
  });

  it("reports a lab setting given in two files (LAB011)", async () => {
    const { diagnostics, value } = await loadRepo(
      memorySource({ "a.yaml": "lab: { name: one }\n", "b.yaml": "lab:\n  name: two\n" }),
    );
    expect(diagnostics.map(brief)).toEqual(["b.yaml:2:3 LAB011 /lab/name"]);
    expect(diagnostics[0]?.message).toBe(
      "setting lab.name is defined twice: first at a.yaml:1:8, again at b.yaml:2:3",
    );
    expect(value.config.lab).toEqual({ name: "one" });
  });

  it("reports two alerts with the same name (LAB011) with the merged index", async () => {
    const { diagnostics } = await loadRepo(
      memorySource({
        "a.yaml": "alerts:\n  - name: x\n    target: {}\n",
        "b.yaml": "alerts:\n  - name: y\n    target: {}\n  - name: x\n    target: {}\n",
      }),
    );
    expect(diagnostics.map(brief)).toEqual(["b.yaml:4:11 LAB011 /alerts/2/name"]);
  });

  it("rebases per-file alert pointers onto the merged list", async () => {
    const { diagnostics } = await loadRepo(
      memorySource({
        "a.yaml": "alerts:\n  - { name: x, target: {} }\n",
        "b.yaml": "alerts:\n  - name: y\n    for: 1m\n    for: 2m\n",
      }),
    );
    expect(diagnostics.map(brief)).toEqual(["b.yaml:4:5 LAB005 /alerts/1/for"]);
  });

  it("reports unknown sections with a suggestion (LAB010)", async () => {
    const { diagnostics, value } = await loadRepo(memorySource({ "a.yaml": "server:\n  a: {}\n" }));
    expect(diagnostics.map(brief)).toEqual(["a.yaml:1:1 LAB010 /server"]);
    expect(diagnostics[0]?.message).toContain('did you mean "servers"?');
    expect(value.config).toEqual({});
  });

  it("reports a section of the wrong shape and keeps the rest", async () => {
    const { diagnostics, value } = await loadRepo(
      memorySource({ "a.yaml": "servers: [a, b]\nalerts: { x: 1 }\nlabels:\n" }),
    );
    expect(diagnostics.map(brief)).toEqual([
      "a.yaml:1:10 LAB101 /servers",
      "a.yaml:2:9 LAB101 /alerts",
    ]);
    expect(value.config).toEqual({});
  });

  it("drops files matched by lab.ignore from any file, with their problems", async () => {
    const { value, diagnostics } = await loadRepo(
      memorySource({
        "settings/lab.yaml": "lab:\n  ignore: ['docs/**', 'drafts']\n",
        "docs/example.yaml": "not: [valid\n",
        "drafts/servers.yaml": "servers: { x: { provider: aws } }\n",
        "servers.yaml": "servers: { y: { provider: aws } }\n",
      }),
    );
    expect(diagnostics).toEqual([]);
    expect(value.files).toEqual(["servers.yaml", "settings/lab.yaml"]);
    expect(Object.keys(value.config.servers ?? {})).toEqual(["y"]);
  });

  it("skips SOPS files, by name and by their top-level sops key", async () => {
    const { value, diagnostics } = await loadRepo(
      memorySource({
        "secrets/mail.sops.yaml": "tls-cert: ENC[AES256_GCM,data:x]\nsops: { version: 3 }\n",
        "secrets/other.yaml": "token: ENC[AES256_GCM,data:y]\nsops: { version: 3 }\n",
        "servers.yaml": "servers: {}\n",
      }),
    );
    expect(diagnostics).toEqual([]);
    expect(value.files).toEqual(["servers.yaml"]);
  });

  it("refuses files over the size cap without reading them (LAB003)", async () => {
    const reads: string[] = [];
    const source: FileSource = {
      description: "fake sizes",
      list: () =>
        Promise.resolve({
          files: [
            { path: "big.yaml", size: MAX_FILE_BYTES + 1 },
            { path: "ok.yaml", size: 10 },
          ],
          unreadable: [],
        }),
      read: (path) => {
        reads.push(path);
        return Promise.resolve(Buffer.from("lab: {}\n"));
      },
    };
    const { diagnostics, value } = await loadRepo(source);
    expect(diagnostics.map(brief)).toEqual(["big.yaml:1:1 LAB003 "]);
    expect(diagnostics[0]?.message).toBe("file is 4.0 MiB, over the 4 MiB limit for config files");
    expect(reads).toEqual(["ok.yaml"]);
    expect(value.files).toEqual(["big.yaml", "ok.yaml"]);
  });

  it("turns an unreadable file into a diagnostic (LAB006)", async () => {
    const source: FileSource = {
      description: "failing reads",
      list: () =>
        Promise.resolve({
          files: [
            { path: "a.yaml", size: 5 },
            { path: "puppet/x.pp", size: 5 },
          ],
          unreadable: [],
        }),
      read: (path) => {
        const err: NodeJS.ErrnoException = new Error(`EACCES: permission denied, open '${path}'`);
        err.code = "EACCES";
        return Promise.reject(err);
      },
    };
    const { diagnostics, value } = await loadRepo(source);
    expect(diagnostics.map(brief)).toEqual(["a.yaml:1:1 LAB006 ", "puppet/x.pp:1:1 LAB006 "]);
    expect(diagnostics[0]?.message).toBe("cannot read file: permission denied (EACCES)");
    expect(diagnostics[0]?.fix).toBe(
      "make it readable by the user lab runs as, or list it in lab.ignore if it is not config",
    );
    expect(value.unloaded).toEqual([
      { path: "a.yaml", section: null, cause: diagnostics[0], names: [], opaque: true },
    ]);
  });

  it("reports what the listing could not read, where it may hold config or Puppet code (LAB006; a stand-in source whose listing fails)", async () => {
    const files = {
      "lab.yaml": "lab: { ignore: ['drafts'] }\n",
      "servers.yaml": "servers: { web-01: { provider: aws } }\n",
    };
    const inner = memorySource(files);
    const source: FileSource = {
      description: "stand-in: a directory listing that fails in places",
      read: (path, signal) => inner.read(path, signal),
      list: async (signal) => ({
        files: (await inner.list(signal)).files,
        unreadable: [
          { path: "servers/eu", kind: "directory", reason: "permission denied (EACCES)" },
          { path: "puppet/modules", kind: "directory", reason: "permission denied (EACCES)" },
          { path: "labels.yaml", kind: "file", reason: "input/output error (EIO)" },
          { path: "drafts/old", kind: "directory", reason: "permission denied (EACCES)" },
          { path: ".cache", kind: "directory", reason: "permission denied (EACCES)" },
          { path: "node_modules/x", kind: "directory", reason: "permission denied (EACCES)" },
          { path: "README.md", kind: "file", reason: "permission denied (EACCES)" },
        ],
      }),
    };
    const { diagnostics, value } = await loadRepo(source);
    expect(diagnostics).toEqual([
      {
        file: "labels.yaml",
        line: 1,
        col: 1,
        severity: "error",
        code: "LAB006",
        pointer: "",
        message: "cannot read file: input/output error (EIO)",
        fix: "make it readable by the user lab runs as, or list it in lab.ignore if it is not config",
      },
      {
        file: "puppet/modules",
        line: 1,
        col: 1,
        severity: "error",
        code: "LAB006",
        pointer: "",
        message:
          "cannot read directory: permission denied (EACCES); the files in it are not loaded",
        fix: "make it readable by the user lab runs as, or list it in lab.ignore if it is not config",
      },
      {
        file: "servers/eu",
        line: 1,
        col: 1,
        severity: "error",
        code: "LAB006",
        pointer: "",
        message:
          "cannot read directory: permission denied (EACCES); the files in it are not loaded",
        fix: "make it readable by the user lab runs as, or list it in lab.ignore if it is not config",
      },
    ]);
    expect(value.unloaded).toEqual([
      { path: "labels.yaml", section: null, cause: diagnostics[0], names: [], opaque: true },
      { path: "servers/eu", section: null, cause: diagnostics[2], names: [], opaque: true },
    ]);
    expect(Object.keys(value.config.servers ?? {})).toEqual(["web-01"]);
  });

  it("rejects when aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      loadRepo(memorySource({ "a.yaml": "lab: {}\n" }), { signal: controller.signal }),
    ).rejects.toThrow();
  });

  it("indexes Puppet classes under puppet/, minus ignored paths", async () => {
    const { value } = await loadRepo(
      memorySource({
        "lab.yaml": "lab: { ignore: ['puppet/vendor/**'] }\n",
        "puppet/modules/mail/manifests/init.pp":
          "class mail {\n  $c = lab::secret('mail/cert')\n}\n",
        "puppet/vendor/x.pp": "class vendored {}\n",
      }),
    );
    expect(value.puppet).toEqual({
      classes: {
        mail: {
          pos: { file: "puppet/modules/mail/manifests/init.pp", line: 1, col: 1 },
          secrets: [
            {
              path: "mail/cert",
              pos: { file: "puppet/modules/mail/manifests/init.pp", line: 2, col: 8 },
            },
          ],
          params: [],
        },
      },
    });
  });
});

describe("loadRepo with a cache", () => {
  it("parses only files whose text changed, and gives the same result", async () => {
    const files: Record<string, string> = {
      "a.yaml": "servers:\n  a: { provider: aws }\n",
      "b.yaml": "servers:\n  b: { provider: ssh }\n",
    };
    const idOf = (path: string): string => blobId(Buffer.from(files[path]!));
    const cache = createLoadCache();
    const first = await loadRepo(memorySource(files), { cache });
    const idA = idOf("a.yaml");
    const parsedA = cache.files.get(idA)?.parsed;
    const parsedB = cache.files.get(idOf("b.yaml"))?.parsed;
    files["b.yaml"] = "servers:\n  b: { provider: xcpng }\n  a: { provider: aws }\n";
    const second = await loadRepo(memorySource(files), { cache });
    const uncached = await loadRepo(memorySource(files));
    expect(parsedA).toBeDefined();
    expect(parsedB).toBeDefined();
    expect(cache.files.get(idA)?.parsed).toBe(parsedA);
    expect(cache.files.get(idOf("b.yaml"))?.parsed).not.toBe(parsedB);
    expect(cache.stats).toEqual({ parsed: 3, reused: 1, stored: 0 });
    expect(second.value.config).toEqual(uncached.value.config);
    expect(second.diagnostics).toEqual(uncached.diagnostics);
    expect(second.diagnostics.map((d) => d.code)).toEqual(["LAB011"]);
    expect(first.value.config.servers).toEqual({ a: { provider: "aws" }, b: { provider: "ssh" } });
    delete files["a.yaml"];
    await loadRepo(memorySource(files), { cache });
    expect([...cache.files.keys()]).toEqual([idOf("b.yaml")]);
  });
});
