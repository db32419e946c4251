/** `lab secret …` through the CLI, on a copy of the example repo and its test-only age key. */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../cli/main.js";
import type { CliInput } from "../cli/io.js";
import { copyExample, EXAMPLE, removeTemps, ROOT, tempDir } from "./cli-harness.js";
import { buildIfStale } from "./fresh-build.js";
import { asUnprivileged } from "./unprivileged.js";

afterAll(removeTemps);

const KEY_FILE = join(EXAMPLE, "test-only-age-key.txt");
const RECIPIENT = "age1j2cycnm3yne0337pw5229h03glrvkarrrar8cehzxpdhhrns5g8smzfyvt";
const ENV = { SOPS_AGE_KEY_FILE: KEY_FILE, HOME: "/nonexistent", LAB_NO_CACHE: "1" };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function lab(
  args: readonly string[],
  options: { stdin?: string | CliInput; env?: Record<string, string>; tty?: boolean } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const stdin =
    typeof options.stdin === "string" || options.stdin === undefined
      ? (Readable.from([Buffer.from(options.stdin ?? "")]) as CliInput)
      : options.stdin;
  const code = await runCli(args, {
    stdin,
    stdout: { write: (s: string) => (stdout += s), isTTY: options.tty },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? ENV,
  });
  return { code, stdout, stderr };
}

function read(repo: string, file: string): string {
  return readFileSync(join(repo, file), "utf8");
}

const NO_STACK = /\n\s+at /;

describe("lab secret get", () => {
  it("prints the value and nothing else", async () => {
    const repo = copyExample();
    expect(await lab(["--repo", repo, "secret", "get", "mail/relay-credentials"])).toEqual({
      code: 0,
      stdout: "relay-user:example-relay-password",
      stderr: "",
    });
    const tty = await lab(["--repo", repo, "secret", "get", "mail/relay-credentials"], {
      tty: true,
    });
    expect(tty.stdout).toBe("relay-user:example-relay-password\n");
    const pem = await lab(["--repo", repo, "secret", "get", "mail/dkim-key"]);
    expect(pem.stdout).toBe(
      "-----BEGIN PRIVATE KEY-----\nexample DKIM key for the example repo, not a real one\n-----END PRIVATE KEY-----\n",
    );
  });

  it("a path without a value: exit 1 with close names; the value is never in an error", async () => {
    const repo = copyExample();
    const r = await lab(["--repo", repo, "secret", "get", "mail/relay-credential"]);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'error: secret value "mail/relay-credential" not found (did you mean \"mail/relay-credentials\"?)\n',
    });
    expect((await lab(["--repo", repo, "secret", "get", "mail/tls-cert"])).code).toBe(1);
  });
});

describe("lab secret set", () => {
  it("reads the value from stdin, never from an argument", async () => {
    const repo = copyExample();
    const set = await lab(["--repo", repo, "secret", "set", "mail/relay-credentials"], {
      stdin: "u:new-pw\n",
    });
    expect(set).toEqual({ code: 0, stdout: "", stderr: "set mail/relay-credentials\n" });
    expect((await lab(["--repo", repo, "secret", "get", "mail/relay-credentials"])).stdout).toBe(
      "u:new-pw",
    );
    expect(read(repo, "secrets/mail.sops.yaml")).not.toContain("new-pw");
    const arg = await lab(["--repo", repo, "secret", "set", "mail/relay-credentials", "leaked"]);
    expect(arg.code).toBe(2);
    expect(arg.stderr).toContain("error: too many arguments for 'set'");
  });

  it("changes one line of the file's values; the other values' ciphertext is kept byte for byte", async () => {
    const repo = copyExample();
    const before = read(repo, "secrets/postgres.sops.yaml");
    await lab(["--repo", repo, "secret", "set", "postgres/master-password"], { stdin: "changed" });
    const after = read(repo, "secrets/postgres.sops.yaml");
    const a = before.split("\n");
    const b = after.split("\n");
    expect(b.length).toBe(a.length);
    expect(b.map((l, i) => (l === a[i] ? null : l.replace(/:.*/, ":"))).filter(Boolean)).toEqual([
      "master-password:",
      "  lastmodified:",
      "  mac:",
    ]);
  });

  it("creates a missing file with the creation rule's recipients", async () => {
    const repo = copyExample();
    const r = await lab(["--repo", repo, "secret", "set", "mail/tls-cert"], { stdin: "cert\n" });
    expect(r.code).toBe(0);
    const created = await lab(["--repo", repo, "secret", "set", "vpn/psk"], { stdin: "psk" });
    expect(created.code).toBe(0);
    expect(read(repo, "secrets/vpn.sops.yaml")).toContain(`    - recipient: ${RECIPIENT}\n`);
    expect((await lab(["--repo", repo, "secret", "get", "vpn/psk"])).stdout).toBe("psk");
  });

  it("at a terminal: a prompt that does not echo (a stand-in terminal stream in raw mode)", async () => {
    const repo = copyExample();
    const raw: boolean[] = [];
    const tty = Object.assign(new PassThrough(), {
      isTTY: true,
      setRawMode: (mode: boolean) => raw.push(mode),
    }) as unknown as CliInput;
    const run = lab(["--repo", repo, "secret", "set", "app/deploy-key"], { stdin: tty });
    setTimeout(() => (tty as unknown as PassThrough).write("typed-valuex\u007f\r"), 50);
    const r = await run;
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr: "New value for app/deploy-key (not shown): \nset app/deploy-key\n",
    });
    expect(raw).toEqual([true, false]);
    expect((await lab(["--repo", repo, "secret", "get", "app/deploy-key"])).stdout).toBe(
      "typed-value",
    );
  });
});

describe("lab secret rotate", () => {
  it("generates a value for a dynamic random secret; a static one needs the value", async () => {
    const repo = copyExample();
    const r = await lab(["--repo", repo, "secret", "rotate", "grafana/admin-password"]);
    expect(r).toEqual({
      code: 0,
      stdout: "",
      stderr: "rotated grafana/admin-password (generated, random)\n",
    });
    const value = (await lab(["--repo", repo, "secret", "get", "grafana/admin-password"])).stdout;
    expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const token = await lab(["--repo", repo, "secret", "rotate", "k8s/join-token"]);
    expect(token.code).toBe(0);
    expect((await lab(["--repo", repo, "secret", "get", "k8s/join-token"])).stdout).toMatch(
      /^[0-9a-f]{64}$/,
    );
    const fixed = await lab(["--repo", repo, "secret", "rotate", "ci/runner-token"]);
    expect(fixed).toEqual({
      code: 2,
      stdout: "",
      stderr:
        "error: no value given for ci/runner-token (type it at the prompt, or pipe it on stdin)\n",
    });
    const given = await lab(["--repo", repo, "secret", "rotate", "ci/runner-token"], {
      stdin: "t2",
    });
    expect(given.code).toBe(0);
    expect((await lab(["--repo", repo, "secret", "get", "ci/runner-token"])).stdout).toBe("t2");
  });
});

describe("lab secret edit", () => {
  /** An editor script that notes the file's path and mode, then runs `sed` on it. */
  function editor(dir: string, sed: string): string {
    const script = join(dir, "editor.sh");
    writeFileSync(
      script,
      `#!/bin/sh\necho "$1" > ${dir}/edited-path\nstat -c %a "$1" > ${dir}/edited-mode\n${sed ? `sed -i '${sed}' "$1"` : ":"}\n`,
    );
    chmodSync(script, 0o755);
    return script;
  }

  it("re-encrypts what was changed; the decrypted copy was 0600 and is gone", async () => {
    const repo = copyExample();
    const dir = tempDir();
    const before = read(repo, "secrets/mail.sops.yaml");
    const env = {
      ...ENV,
      EDITOR: editor(dir, "s/^relay-credentials: .*/relay-credentials: edited/; 1i # relay login"),
    };
    const r = await lab(["--repo", repo, "secret", "edit", join(repo, "secrets/mail.sops.yaml")], {
      env,
    });
    expect(r).toEqual({ code: 0, stdout: "", stderr: "wrote secrets/mail.sops.yaml\n" });
    expect(readFileSync(join(dir, "edited-mode"), "utf8")).toBe("600\n");
    expect(existsSync(readFileSync(join(dir, "edited-path"), "utf8").trim())).toBe(false);
    const after = read(repo, "secrets/mail.sops.yaml");
    expect(after.startsWith("# relay login\nrelay-credentials: ENC[")).toBe(true);
    const dkim = (t: string) => t.split("\n").find((l) => l.startsWith("dkim-key: "));
    expect(dkim(after)).toBe(dkim(before));
    expect((await lab(["--repo", repo, "secret", "get", "mail/relay-credentials"])).stdout).toBe(
      "edited",
    );
  });

  it("no change leaves the file untouched; a failing editor changes nothing", async () => {
    const repo = copyExample();
    const dir = tempDir();
    const before = read(repo, "secrets/mail.sops.yaml");
    const mtime = statSync(join(repo, "secrets/mail.sops.yaml")).mtimeMs;
    const same = await lab(
      ["--repo", repo, "secret", "edit", join(repo, "secrets/mail.sops.yaml")],
      {
        env: { ...ENV, EDITOR: editor(dir, "") },
      },
    );
    expect(same).toEqual({ code: 0, stdout: "", stderr: "secrets/mail.sops.yaml: no change\n" });
    const failed = await lab(
      ["--repo", repo, "secret", "edit", join(repo, "secrets/mail.sops.yaml")],
      {
        env: { ...ENV, EDITOR: "false" },
      },
    );
    expect(failed).toEqual({
      code: 1,
      stdout: "",
      stderr: 'error: the editor "false" exited with 1; nothing was changed\n',
    });
    expect(read(repo, "secrets/mail.sops.yaml")).toBe(before);
    expect(statSync(join(repo, "secrets/mail.sops.yaml")).mtimeMs).toBe(mtime);
  });
});

describe("lab secret edit of a text that is not valid", () => {
  it("at a terminal the editor opens again; without one it is an error; the file unchanged", async () => {
    const repo = copyExample();
    const dir = tempDir();
    const script = join(dir, "editor.sh");
    // First save: broken YAML; second: a valid change.
    writeFileSync(
      script,
      `#!/bin/sh\nif [ -e ${dir}/once ]; then sed -i 's/^ci-broken: \\[$/runner-token: fixed/' "$1"; ` +
        `else touch ${dir}/once; sed -i 's/^runner-token: .*/ci-broken: [/' "$1"; fi\n`,
    );
    chmodSync(script, 0o755);
    const file = join(repo, "secrets/ci.sops.yaml");
    const before = read(repo, "secrets/ci.sops.yaml");
    const plain = await lab(["--repo", repo, "secret", "edit", file], {
      env: { ...ENV, EDITOR: script },
    });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: secrets\/ci\.sops\.yaml: is not valid YAML: /);
    expect(read(repo, "secrets/ci.sops.yaml")).toBe(before);
    rmSync(join(dir, "once"));
    const tty = Object.assign(Readable.from([]), { isTTY: true }) as unknown as CliInput;
    const again = await lab(["--repo", repo, "secret", "edit", file], {
      env: { ...ENV, EDITOR: script },
      stdin: tty,
    });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(
      /the editor opens again; save without a change to give up\nwrote secrets\/ci\.sops\.yaml\n$/,
    );
    expect((await lab(["--repo", repo, "secret", "get", "ci/runner-token"])).stdout).toBe("fixed");
  });
});

describe("lab secret updatekeys", () => {
  it("re-wraps every file's data key for the recipients .sops.yaml names; values untouched", async () => {
    const repo = copyExample();
    const other = await generateX25519Identity();
    const otherRecipient = await identityToRecipient(other);
    const rules = read(repo, ".sops.yaml").replace(RECIPIENT, `${RECIPIENT},${otherRecipient}`);
    writeFileSync(join(repo, ".sops.yaml"), rules);
    const values = (t: string) =>
      t.split("\n").filter((l) => !l.startsWith(" ") && !l.startsWith("sops:"));
    const before = read(repo, "secrets/mail.sops.yaml");
    const r = await lab(["--repo", repo, "secret", "updatekeys"]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`secrets/app.sops.yaml: added ${otherRecipient}`);
    expect(r.stdout.split("\n")).toHaveLength(9);
    const after = read(repo, "secrets/mail.sops.yaml");
    expect(values(after)).toEqual(values(before));
    expect(after.match(/lastmodified: .*/)?.[0]).toBe(before.match(/lastmodified: .*/)?.[0]);
    const withOther = { SOPS_AGE_KEY: other, HOME: "/nonexistent", LAB_NO_CACHE: "1" };
    const got = await lab(["--repo", repo, "secret", "get", "mail/relay-credentials"], {
      env: withOther,
    });
    expect(got.stdout).toBe("relay-user:example-relay-password");
    writeFileSync(join(repo, ".sops.yaml"), rules.replace(`${RECIPIENT},`, ""));
    const json = await lab(
      ["--repo", repo, "secret", "updatekeys", join(repo, "secrets/mail.sops.yaml"), "-o", "json"],
      {
        env: withOther,
      },
    );
    expect(JSON.parse(json.stdout)).toEqual({
      files: [
        { file: "secrets/mail.sops.yaml", added: [], removed: [RECIPIENT], status: "updated" },
      ],
    });
    const again = await lab(
      ["--repo", repo, "secret", "updatekeys", join(repo, "secrets/mail.sops.yaml")],
      {
        env: withOther,
      },
    );
    expect(again.stdout).toBe("secrets/mail.sops.yaml: unchanged\n");
    const gone = await lab(["--repo", repo, "secret", "get", "mail/dkim-key"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`its recipients are ${otherRecipient}`);
  });
});

describe("errors: clear, non-zero, no stack trace, the file unchanged", () => {
  it("no key found: says where lab looked", async () => {
    const repo = copyExample();
    const before = read(repo, "secrets/mail.sops.yaml");
    const r = await lab(["--repo", repo, "secret", "set", "mail/dkim-key"], {
      stdin: "x",
      env: { HOME: "/nonexistent", LAB_NO_CACHE: "1" },
    });
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "error: secrets/mail.sops.yaml: no age identity found to decrypt it; looked in: SOPS_AGE_KEY (not set), SOPS_AGE_KEY_FILE (not set), /nonexistent/.config/sops/age/keys.txt (no such file). Set SOPS_AGE_KEY_FILE to a key file holding one of its recipients' keys\n",
    });
    expect(read(repo, "secrets/mail.sops.yaml")).toBe(before);
  });

  it("a wrong key: names the file's recipients", async () => {
    const repo = copyExample();
    const r = await lab(["--repo", repo, "secret", "get", "mail/dkim-key"], {
      env: { SOPS_AGE_KEY: await generateX25519Identity(), HOME: "/nonexistent" },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: secrets\/mail\.sops\.yaml: none of the 1 age identity found \(SOPS_AGE_KEY \(1 keys\)/,
    );
    expect(r.stderr).toContain(`its recipients are ${RECIPIENT}\n`);
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it("a folder lab cannot write", async () => {
    const repo = copyExample();
    chmodSync(dirname(repo), 0o755);
    chmodSync(repo, 0o755);
    chmodSync(join(repo, "secrets"), 0o555);
    const before = read(repo, "secrets/mail.sops.yaml");
    const r = await asUnprivileged(() =>
      lab(["--repo", repo, "secret", "set", "mail/dkim-key"], { stdin: "x" }),
    );
    chmodSync(join(repo, "secrets"), 0o755);
    expect(r).toEqual({
      code: 1,
      stdout: "",
      stderr: "error: cannot write secrets/mail.sops.yaml: permission denied (EACCES)\n",
    });
    expect(read(repo, "secrets/mail.sops.yaml")).toBe(before);
  });

  it("a tampered file: refused, naming file and key", async () => {
    const repo = copyExample();
    const text = read(repo, "secrets/ci.sops.yaml").replace(
      /data:(.)/,
      (_m, c: string) => `data:${c === "A" ? "B" : "A"}`,
    );
    writeFileSync(join(repo, "secrets/ci.sops.yaml"), text);
    const r = await lab(["--repo", repo, "secret", "get", "ci/runner-token"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: secrets\/ci\.sops\.yaml \(key "runner-token"\): its value does not decrypt/,
    );
  });
});

describe("--help", () => {
  for (const verb of ["get", "set", "rotate", "edit", "updatekeys"]) {
    it(`secret ${verb} --help has examples`, async () => {
      const r = await lab(["secret", verb, "--help"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: lab secret ${verb}`);
      expect(r.stdout).toMatch(new RegExp(`Examples:\\n  lab secret ${verb}[ \\n]`));
    });
  }

  it("the age CLI decrypts the data key of a file lab wrote", async () => {
    const repo = copyExample();
    await lab(["--repo", repo, "secret", "set", "vpn/psk"], { stdin: "psk" });
    const enc = /enc: \|\n((?: {8}.*\n)+)/
      .exec(read(repo, "secrets/vpn.sops.yaml"))![1]!
      .replace(/^ {8}/gm, "");
    const out = spawnSync("/usr/bin/age", ["-d", "-i", KEY_FILE], { input: enc });
    expect(out.status).toBe(0);
    expect(out.stdout.length).toBe(32);
  });
});

describe("bin/lab.js at a real terminal (util-linux script gives it a pty)", () => {
  it("lab secret set prompts without echoing what is typed", () => {
    buildIfStale();
    const repo = copyExample();
    const command = `${process.execPath} ${join(ROOT, "bin", "lab.js")} --repo ${repo} secret set app/deploy-key`;
    const shell = `(sleep 1; printf 'typed-at-a-tty\\r'; sleep 2) | script -qec "${command}" /dev/null`;
    const r = spawnSync("/bin/sh", ["-c", shell], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", ...ENV },
      timeout: 30_000,
    });
    expect(r.stdout).toBe("New value for app/deploy-key (not shown): \r\nset app/deploy-key\r\n");
    const got = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "lab.js"), "--repo", repo, "secret", "get", "app/deploy-key"],
      {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "", ...ENV },
      },
    );
    expect(got.stdout).toBe("typed-at-a-tty");
  }, 200_000);
});
