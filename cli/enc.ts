/**
 * `lab enc CERTNAME`: Puppet's external node classifier script. It prints the node's ENC
 * document from the RENDERED data (`lab render` writes it) and exits 1 for an unknown node.
 * Puppet runs it once per catalog compile, so it reads one file and loads nothing else: no
 * repo, no schema validator, no renderer.
 */
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, resolve as resolvePath } from "node:path";
import { Command } from "commander";
import { didYouMean } from "../core/suggest.js";
import { ENC_NODES_DIR, encNodePath, isCertname } from "../renderers/puppet-enc/enc-paths.js";
import type { CliContext } from "./context.js";
import { examples } from "./examples.js";
import type { CliIo } from "./io.js";

export interface EncOptions {
  /** The render root (holds enc/nodes/); else LAB_RENDERED, else <repo>/.lab/rendered. */
  rendered?: string;
  /** The repo root (`--repo`); else LAB_REPO, else the working directory. */
  repo?: string;
  signal?: AbortSignal;
}

/**
 * Where the rendered data is: --rendered, LAB_RENDERED, else <repo>/.lab/rendered (what `lab
 * render` writes), else <repo>/.lab/outputs/enc (what `lab apply` writes by default).
 */
export function renderedDir(options: EncOptions, io: CliIo): string {
  const base = io.cwd ?? process.cwd();
  if (options.rendered) return resolvePath(base, options.rendered);
  if (io.env.LAB_RENDERED) return resolvePath(base, io.env.LAB_RENDERED);
  const repo = resolvePath(base, options.repo ?? (io.env.LAB_REPO || "."));
  const rendered = join(repo, ".lab", "rendered");
  const applied = join(repo, ".lab", "outputs", "enc");
  return existsSync(rendered) || !existsSync(applied) ? rendered : applied;
}

/** The nodes folder under `dir`: a render root's enc/nodes, or an ENC output's own nodes/. */
function nodesDir(dir: string): string {
  const inTree = join(dir, ENC_NODES_DIR);
  const own = join(dir, "nodes");
  return existsSync(inTree) || !existsSync(own) ? inTree : own;
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

function isMissing(err: unknown): boolean {
  const code = errorCode(err);
  return code === "ENOENT" || code === "ENOTDIR";
}

/** A file-system failure (not a missing file) told plainly; an abort or a bug is rethrown. */
function cannotRead(path: string, err: unknown): string {
  const code = errorCode(err);
  if (!code?.startsWith("E")) throw err;
  return `cannot read ${path} (${code})`;
}

async function notFoundMessage(
  certname: string,
  dir: string,
  signal?: AbortSignal,
): Promise<string> {
  const nodes = nodesDir(dir);
  signal?.throwIfAborted();
  let names: string[];
  try {
    names = await readdir(nodes);
  } catch (err) {
    if (!isMissing(err)) return cannotRead(nodes, err);
    return `no rendered ENC data in ${nodes} (run "lab render", or set --rendered or LAB_RENDERED)`;
  }
  const known = names.filter((n) => n.endsWith(".yaml")).map((n) => n.slice(0, -".yaml".length));
  return `node "${certname}" not found in ${nodes}${didYouMean(certname, known)}`;
}

async function lookup(certname: string, dir: string, signal?: AbortSignal) {
  const path = join(nodesDir(dir), encNodePath(certname).slice(ENC_NODES_DIR.length + 1));
  try {
    return { text: await readFile(path, { encoding: "utf8", signal }) };
  } catch (err) {
    if (!isMissing(err)) return { problem: cannotRead(path, err) };
  }
  return { problem: await notFoundMessage(certname, dir, signal) };
}

/**
 * Print the ENC document of `certname` to stdout and return 0; for an unknown node, missing or
 * unreadable data print why to stderr and return 1 (Puppet takes any non-zero exit as "no such
 * node" and stops the run).
 */
export async function runEnc(certname: string, options: EncOptions, io: CliIo): Promise<number> {
  if (!isCertname(certname)) {
    io.stderr.write(`lab enc: "${certname}" is not a certname (a host name such as mail-1)\n`);
    return 1;
  }
  const found = await lookup(certname, renderedDir(options, io), options.signal);
  if (found.text === undefined) {
    io.stderr.write(`lab enc: ${found.problem}\n`);
    return 1;
  }
  io.stdout.write(found.text);
  return 0;
}

const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env };

/**
 * The `enc` verb. With a context (the CLI's main) it reports through it; without one it is a
 * program of its own: `encCommand().parseAsync(process.argv)`.
 */
export function encCommand(ctx?: CliContext): Command {
  return new Command("enc")
    .description("print a node's Puppet ENC data from the rendered output (Puppet's ENC script)")
    .argument("<certname>", "the node's certname (its server name)")
    .option(
      "--rendered <dir>",
      "the render root holding enc/nodes/ (default: $LAB_RENDERED, else <repo>/.lab/rendered)",
    )
    .addHelpText(
      "after",
      examples(
        "lab enc mail-1",
        "lab enc mail-1 --rendered /var/lib/lab/rendered",
        "# puppet.conf, [server] section:",
        "#   node_terminus = exec",
        '#   external_nodes = /usr/local/bin/lab-enc   (a script running: lab enc "$1")',
      ),
    )
    .action(async (certname: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ rendered?: string; repo?: string }>();
      const code = await runEnc(certname, opts, ctx?.io ?? processIo);
      if (ctx) ctx.exitCode = code;
      else process.exitCode = code;
    });
}
