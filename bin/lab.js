#!/usr/bin/env node
// The `lab` command: runs the compiled CLI in dist/. An unbuilt checkout, or one without its
// npm packages, gets a one-line message saying what to run instead of a stack trace.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "dist", "cli", "main.js");

let cli;
try {
  cli = await import(pathToFileURL(main).href);
} catch (err) {
  if (err?.code !== "ERR_MODULE_NOT_FOUND") throw err;
  const what = !existsSync(main)
    ? `lab is not built: run "npm run build" in ${root}`
    : `lab's npm packages are not installed: run "npm ci" in ${root}`;
  process.stderr.write(`error: ${what}\n`);
  process.exit(1);
}
await cli.runMain();
