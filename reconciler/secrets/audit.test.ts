import { describe, expect, it } from "vitest";
import { checkRepo } from "../check-repo.js";
import { memorySource } from "../load/memory-source.js";
import { auditSecrets } from "./audit.js";

const FILES = {
  "lab.yaml": "lab:\n  name: audit\n",
  "servers.yaml": "servers:\n  web-1: { provider: ssh, labels: [web], address: 10.0.0.1 }\n",
  "labels.yaml": [
    "labels:",
    "  web:",
    "    secrets: [web/tls]",
    "  spare:",
    "    secrets: [web/tls, spare/token]",
    "",
  ].join("\n"),
  "secrets.yaml": "secrets:\n  web/tls: { type: static }\n  spare/token: { type: static }\n",
};

async function auditOf(values: { path: string; line: number }[]) {
  const checked = await checkRepo(memorySource(FILES));
  expect(checked.model).not.toBeNull();
  return auditSecrets({
    model: checked.model!,
    repo: checked.repo,
    values: values.map((v) => ({ ...v, file: "secrets/x.sops.yaml", col: 1 })),
  });
}

describe("auditSecrets", () => {
  it("a value read only by a label on no server is unreadable; one on some server is not", async () => {
    const audit = await auditOf([
      { path: "web/tls", line: 1 },
      { path: "spare/token", line: 2 },
    ]);
    expect(audit.findings.map((f) => [f.code, f.path, `${f.file}:${f.line}`])).toEqual([
      ["secret-unreadable", "spare/token", "secrets/x.sops.yaml:2"],
    ]);
    expect(audit.findings[0]!.message).toBe(
      "spare/token has a value, but no server can read it: label spare (labels.yaml:5) reaches no server",
    );
  });

  it("a value without metadata that nothing reads: no-metadata only; sorted by place", async () => {
    const audit = await auditOf([
      { path: "zz/stray", line: 1 },
      { path: "web/tls", line: 3 },
    ]);
    expect(audit.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.code} ${f.path}`)).toEqual([
      "labels.yaml:5:24 secret-unset spare/token",
      "secrets/x.sops.yaml:1:1 secret-no-metadata zz/stray",
    ]);
    expect([audit.errors, audit.warnings]).toEqual([2, 0]);
  });
});
