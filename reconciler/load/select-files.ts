/** Which files of a repo are config (docs/repo-format.md), which are Puppet code, which are ignored. */
import picomatch from "picomatch";

export interface RepoFiles {
  /** `*.yaml`/`*.yml` candidates, sorted by path. */
  config: string[];
  /** `puppet/**\/*.pp`, sorted by path. */
  puppet: string[];
}

function hasDotSegment(path: string): boolean {
  return path.split("/").some((segment) => segment.startsWith("."));
}

function isSopsFile(path: string): boolean {
  return /\.sops\.(ya?ml|json)$/.test(path);
}

function isHidden(path: string): boolean {
  return hasDotSegment(path) || path.split("/").includes("node_modules");
}

/** What a file is to the loader: a config candidate, Puppet code, or neither. */
export function fileKind(path: string): "config" | "puppet" | null {
  if (isHidden(path)) return null;
  if (path.startsWith("puppet/")) return path.endsWith(".pp") ? "puppet" : null;
  return /\.ya?ml$/.test(path) && !isSopsFile(path) ? "config" : null;
}

/** Whether a directory ("." for the root) may hold config files or Puppet code. */
export function mayHoldInput(dir: string): boolean {
  return dir === "." || !isHidden(dir);
}

/** Whether a directory ("." for the root) may hold config files (`puppet/` holds only code). */
export function mayHoldConfig(dir: string): boolean {
  return mayHoldInput(dir) && dir !== "puppet" && !dir.startsWith("puppet/");
}

/**
 * Splits a file listing into config candidates and Puppet code. Dotfiles, dot-folders,
 * `node_modules/` and SOPS files are never config; `puppet/` holds only Puppet code.
 */
export function selectFiles(paths: Iterable<string>): RepoFiles {
  const config: string[] = [];
  const puppet: string[] = [];
  for (const path of paths) {
    const kind = fileKind(path);
    if (kind === "config") config.push(path);
    else if (kind === "puppet") puppet.push(path);
  }
  config.sort(byPath);
  puppet.sort(byPath);
  return { config, puppet };
}

function byPath(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A predicate for `lab.ignore`: a path is ignored when a glob matches it or one of its parent
 * folders (so `docs` and `docs/**` both ignore everything under docs/).
 */
export function ignoreMatcher(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.flatMap(compileGlob);
  if (matchers.length === 0) return () => false;
  const isMatch = (path: string): boolean => matchers.some((m) => m(path));
  return (path) => {
    if (isMatch(path)) return true;
    for (let i = path.indexOf("/"); i !== -1; i = path.indexOf("/", i + 1)) {
      if (isMatch(path.slice(0, i))) return true;
    }
    return false;
  };
}

function compileGlob(glob: string): ((path: string) => boolean)[] {
  try {
    return [picomatch(glob, { dot: true })];
  } catch {
    return [];
  }
}
