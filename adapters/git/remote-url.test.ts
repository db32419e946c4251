import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { authEnv } from "./native-git-source.js";
import { defaultCacheDir, parseRemote, redactUrl } from "./remote-url.js";

describe("parseRemote", () => {
  it("tells http(s), file:// and local paths apart, and hides credentials", () => {
    expect(parseRemote("https://user:pw@git.example.org/infra.git")).toEqual({
      transport: "http",
      target: "https://user:pw@git.example.org/infra.git",
      display: "https://***@git.example.org/infra.git",
    });
    expect(parseRemote("file:///srv/git/infra.git")).toEqual({
      transport: "local",
      target: "/srv/git/infra.git",
      display: "/srv/git/infra.git",
    });
    expect(parseRemote("repos/infra", "/work")).toEqual({
      transport: "local",
      target: "/work/repos/infra",
      display: "/work/repos/infra",
    });
  });

  it("refuses transports it does not speak, with a usage error", () => {
    for (const url of ["ssh://git@example.org/x.git", "git@example.org:x.git", "git://h/x"]) {
      expect(() => parseRemote(url)).toThrow(expect.objectContaining({ code: "USAGE" }));
    }
  });

  it("redacts only the user part of a URL", () => {
    expect(redactUrl("https://tok@h/x")).toBe("https://***@h/x");
    expect(redactUrl("https://h/x@y")).toBe("https://h/x@y");
  });
});

describe("defaultCacheDir", () => {
  it("is ~/.lab/git/<16 hex of the URL's sha256>, one per URL", () => {
    const a = defaultCacheDir("https://h/a.git");
    expect(a).toMatch(new RegExp(`^${join(homedir(), ".lab", "git")}/[0-9a-f]{16}$`));
    expect(defaultCacheDir("https://h/b.git")).not.toBe(a);
    expect(defaultCacheDir("https://h/a.git")).toBe(a);
  });
});

describe("authEnv", () => {
  it("passes the token as an extra header scoped to the origin, in git's environment config", () => {
    const saved = process.env.GIT_CONFIG_COUNT;
    try {
      delete process.env.GIT_CONFIG_COUNT;
      expect(authEnv(parseRemote("https://h.example:8443/x.git"), "t0k")).toEqual({
        GIT_CONFIG_COUNT: "1",
        GIT_CONFIG_KEY_0: "http.https://h.example:8443/.extraHeader",
        GIT_CONFIG_VALUE_0: "Authorization: Bearer t0k",
      });
      // Entries the environment already has are kept: the header is appended after them.
      process.env.GIT_CONFIG_COUNT = "2";
      expect(authEnv(parseRemote("http://h/x.git"), "t")).toMatchObject({
        GIT_CONFIG_COUNT: "3",
        GIT_CONFIG_KEY_2: "http.http://h/.extraHeader",
      });
      expect(authEnv(parseRemote("/srv/x.git"), "t")).toEqual({});
      expect(authEnv(parseRemote("http://h/x.git"), undefined)).toEqual({});
    } finally {
      if (saved === undefined) delete process.env.GIT_CONFIG_COUNT;
      else process.env.GIT_CONFIG_COUNT = saved;
    }
  });
});
