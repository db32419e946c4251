/**
 * Where the ENC data of a node lives below the render root. Shared by the renderer and by
 * `lab enc`, which must start fast: this module imports nothing.
 */

/** The folder of the per-node documents, relative to the render root. */
export const ENC_NODES_DIR = "enc/nodes";

/** A certname `lab enc` will look up: a server name (DNS label or dotted host name). */
const CERTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

/** True when `name` can name a node file (no path separators, no `..`, no leading dot). */
export function isCertname(name: string): boolean {
  return name.length <= 253 && CERTNAME.test(name) && !name.includes("..");
}

/** `enc/nodes/<certname>.yaml`, relative to the render root. */
export function encNodePath(certname: string): string {
  return `${ENC_NODES_DIR}/${certname}.yaml`;
}
