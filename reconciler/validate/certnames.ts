/**
 * Server names become Puppet certnames (the agent asks the ENC for its certname, which Puppet
 * writes in lower case): a name with upper-case letters gets no ENC data on a real node.
 */
import { child, entriesOf, type CheckContext } from "./check-context.js";

export function checkCertnames(ctx: CheckContext): void {
  for (const [name] of entriesOf(ctx.repo.config.servers)) {
    if (name === name.toLowerCase()) continue;
    const at = child("/servers", name);
    if (!ctx.ok(at)) continue;
    ctx.report(
      "LAB213",
      at,
      `server name "${name}" has upper-case letters; Puppet certnames are lower case, so the agent asks the ENC for "${name.toLowerCase()}" and gets nothing`,
      { severity: "warning", key: true, fix: `rename the server to ${name.toLowerCase()}` },
    );
  }
}
