/**
 * A server's address reaches Naemon's check command lines ($HOSTADDRESS$), which a shell runs,
 * and the plugins read a leading "-" as an option. Validate alone refuses such addresses (the
 * renderer trusts the model): every address the schema lets through is a plain host name or IP
 * address.
 */
import { describe, expect, it } from "vitest";
import { checkRepo } from "../reconciler/check-repo.js";
import { memorySource } from "../reconciler/load/memory-source.js";
import { naemonRenderer } from "../renderers/naemon/naemon-renderer.js";
import servers from "../schemas/servers.schema.json" with { type: "json" };

/** What may reach a command line: letters, digits and ".:%_-", not starting with "-" or ".". */
const SHELL_SAFE = /^[A-Za-z0-9:][A-Za-z0-9.:%_-]*$/;

/** The schema's own pattern, compiled as ajv compiles it. */
const ADDRESS = new RegExp(
  (servers as { $defs: { server: { properties: { address: { pattern: string } } } } }).$defs.server
    .properties.address.pattern,
  "u",
);

/** A small deterministic generator (mulberry32), so a failure names a reproducible input. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const ALPHABET = `${PRINTABLE}\t\n\r\u00a0é\u2028`;
const VALID = ["db-1", "db-1.example.org.", "10.0.0.5", "::1", "fe80::1%eth0", "::ffff:10.1.2.3"];

/** Random strings, and valid addresses with one character inserted, replaced or removed. */
function corpus(count: number): string[] {
  const next = random(20240601);
  const pick = (s: string): string => s[Math.floor(next() * s.length)] ?? "";
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 2 === 0) {
      const length = Math.floor(next() * 10);
      out.push(Array.from({ length }, () => pick(ALPHABET)).join(""));
    } else {
      const base = VALID[i % VALID.length]!;
      const at = Math.floor(next() * (base.length + 1));
      const cut = Math.floor(next() * 3) === 0 ? 1 : 0;
      out.push(base.slice(0, at) + pick(ALPHABET) + base.slice(at + cut));
    }
  }
  return out;
}

async function diagnosticsOf(yaml: string): Promise<string[]> {
  const { diagnostics } = await checkRepo(memorySource({ "servers.yaml": yaml }));
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.code} ${d.pointer}`);
}

describe("server addresses", () => {
  it("are shell-safe whenever the schema pattern accepts them", () => {
    const accepted = corpus(40000).filter((s) => ADDRESS.test(s));
    expect(accepted.length).toBeGreaterThan(1000);
    expect(accepted.filter((s) => !SHELL_SAFE.test(s))).toEqual([]);
    for (const address of VALID) expect([address, ADDRESS.test(address)]).toEqual([address, true]);
  });

  it("with shell syntax, spaces, a leading '-' or '.' are a located LAB104 from validate", async () => {
    const bad = [
      "web-1; rm -rf /",
      "-oProxyCommand=x",
      "$(reboot)",
      "`id`",
      "db|nc",
      "a&&b",
      "a>b",
      "web 1",
      "10.0.0.1\nrm",
      "\ta",
      "...",
      ".a",
      "-",
      "",
      "a\u00a0b",
      "é.example.org",
      "web_1",
      "a*",
      "a?b",
      "~root",
      "a'b",
      'a"b',
      "a\\b",
      "{a,b}",
      "a=b",
      "a#b",
      "!a",
      "a,b",
      "::1%-x;y",
    ];
    const lines = bad.map((a, i) => `  s-${i}: { provider: ssh, address: ${JSON.stringify(a)} }`);
    const found = await diagnosticsOf(`servers:\n${lines.join("\n")}\n`);
    const at = (i: number): string =>
      `servers.yaml:${i + 2}:${lines[i]!.indexOf("address: ") + 10}`;
    expect(found).toEqual(bad.map((_, i) => `${at(i)} LAB104 /servers/s-${i}/address`));
  });

  it("that are host names or IP addresses pass and render as they are", async () => {
    const good = [...VALID, "DB-1", "a", "1.2.3.4", "2001:db8::8a2e:370:7334", "fe80::1%eth0.100"];
    const lines = good.map((a, i) => `  s-${i}: { provider: ssh, address: ${JSON.stringify(a)} }`);
    const yaml = `servers:\n${lines.join("\n")}\n`;
    expect(await diagnosticsOf(yaml)).toEqual([]);
    const { model } = await checkRepo(memorySource({ "servers.yaml": yaml }));
    const { value, diagnostics } = naemonRenderer.render(model!);
    expect(diagnostics).toEqual([]);
    good.forEach((address, i) => {
      const host = value.find((a) => a.path === `naemon/hosts/s-${i}.cfg`)!.content;
      expect(host).toContain(`  address                       ${address}\n`);
    });
  });
});
