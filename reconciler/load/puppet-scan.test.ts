import { describe, expect, it } from "vitest";
import { indexPuppet, scanPuppetFile } from "./puppet-scan.js";

const MAIL = `# lab::secret('not/this') in a comment
class postfix (
  String $relay = lab::secret('mail/relay'),
  Hash $opts = {},
) inherits postfix::params {
  $cert = lab::secret('mail/tls-cert')
  $key = lab::secret( "mail/dkim-key" )
  $msg = "braces } inside a string { are text"
  /* lab::secret('also/not') */
  if $facts['x'] { $y = lab::secret('mail/inner') }
  $dyn = lab::secret("mail/\${facts['fqdn']}")
}

class postfix::params {
  $z = ::lab::secret('mail/params')
}

$outside = lab::secret('top/level')
class { 'postfix': }
`;

describe("scanPuppetFile", () => {
  it("attributes each secret call to the class whose body it is in", () => {
    const classes = scanPuppetFile("puppet/postfix.pp", MAIL);
    expect(classes).toEqual([
      {
        name: "postfix",
        pos: { file: "puppet/postfix.pp", line: 2, col: 1 },
        secrets: [
          { path: "mail/tls-cert", pos: { file: "puppet/postfix.pp", line: 6, col: 11 } },
          { path: "mail/dkim-key", pos: { file: "puppet/postfix.pp", line: 7, col: 10 } },
          { path: "mail/inner", pos: { file: "puppet/postfix.pp", line: 10, col: 25 } },
        ],
        params: [
          {
            name: "relay",
            type: "String",
            hasDefault: true,
            pos: { file: "puppet/postfix.pp", line: 3, col: 10 },
          },
          {
            name: "opts",
            type: "Hash",
            hasDefault: true,
            pos: { file: "puppet/postfix.pp", line: 4, col: 8 },
          },
        ],
      },
      {
        name: "postfix::params",
        pos: { file: "puppet/postfix.pp", line: 14, col: 1 },
        secrets: [{ path: "mail/params", pos: { file: "puppet/postfix.pp", line: 15, col: 8 } }],
        params: [],
      },
    ]);
  });

  it("handles nested class definitions and leading ::", () => {
    const classes = scanPuppetFile(
      "a.pp",
      "class ::outer {\n  class inner { $a = lab::secret('i') }\n  $b = lab::secret('o')\n}\n",
    );
    expect(classes.map((c) => [c.name, c.secrets.map((s) => s.path)])).toEqual([
      ["outer", ["o"]],
      ["inner", ["i"]],
    ]);
  });

  it("survives unterminated strings and comments", () => {
    expect(scanPuppetFile("a.pp", "class a { $x = 'open")).toEqual([
      { name: "a", pos: { file: "a.pp", line: 1, col: 1 }, secrets: [], params: [] },
    ]);
    expect(scanPuppetFile("a.pp", "/* never closed")).toEqual([]);
  });
});

describe("indexPuppet", () => {
  it("indexes classes by name across files, first file by path wins", () => {
    const index = indexPuppet([
      { path: "puppet/b.pp", text: "class dup { $s = lab::secret('from/b') }" },
      { path: "puppet/a.pp", text: "class dup { $s = lab::secret('from/a') }\nclass solo {}" },
    ]);
    expect(Object.keys(index.classes).sort()).toEqual(["dup", "solo"]);
    expect(index.classes.dup?.secrets.map((s) => s.path)).toEqual(["from/a"]);
    expect(index.classes.dup?.pos.file).toBe("puppet/a.pp");
  });
});
