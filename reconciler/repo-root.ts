/**
 * Whether the folder lab was pointed at is a config repo at all. A folder that holds several
 * config repos (several `lab.yaml` in different folders and none at the top, such as a checkout of
 * lab itself with its examples and test repos) or no config file at all is not one: that is one
 * clear diagnostic instead of hundreds about files that were never meant to merge.
 */
import type { Diagnostic } from "../core/diagnostics.js";

const SETTINGS_FILE = /(^|\/)lab\.ya?ml$/;

function folderOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "" : path.slice(0, i);
}

function diagnostic(file: string, message: string, fix: string): Diagnostic {
  return { file, line: 1, col: 1, severity: "error", code: "LAB012", pointer: "", message, fix };
}

/** LAB012 when `files` (the config files of the folder, relative paths) are not one repo. */
export function repoRootProblem(root: string, files: readonly string[]): Diagnostic | null {
  if (files.length === 0) {
    return diagnostic(
      ".",
      `${root} holds no config files (*.yaml, *.yml outside dot-folders): it is not a config repo`,
      "point --repo (or LAB_REPO) at the folder of your config repo",
    );
  }
  const settings = files.filter((f) => SETTINGS_FILE.test(f));
  if (settings.some((f) => folderOf(f) === "")) return null;
  const folders = [...new Set(settings.map(folderOf))].sort();
  if (folders.length < 2) return null;
  const shown = folders.slice(0, 5).join(", ") + (folders.length > 5 ? ", …" : "");
  return diagnostic(
    ".",
    `${root} is not a config repo: it holds ${folders.length} of them (a lab.yaml in each of ${shown}) and none at its top`,
    `run lab with --repo ${folders[0]} (or another of them), or add a lab.yaml here whose lab.ignore leaves the others out`,
  );
}
