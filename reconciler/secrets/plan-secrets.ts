/**
 * The plan's secrets section: per server, the secrets it gains and loses access to, each with
 * the label, the class and the `lab::secret()` call that give it, and the secret values whose
 * encrypted text differs between the sides. Paths and places only, never a value.
 */
import { cmp, type SourcePos } from "../../core/diagnostics.js";
import type { From, PuppetIndex } from "../../core/model.js";
import type {
  PlannedServer,
  PlanSecrets,
  SecretAccessChange,
  SecretGrantPath,
  SecretValueChange,
} from "../plan/plan-types.js";
import { secretValues, type SecretText, type SecretValue } from "./sops-values.js";

/** What the section needs of a side. */
export interface SecretSide {
  puppet?: PuppetIndex;
  secretTexts?: readonly SecretText[];
}

function callOf(
  puppet: PuppetIndex | undefined,
  className: string,
  path: string,
): SourcePos | null {
  const bare = className.replace(/^::/, "");
  const classes = puppet?.classes;
  if (!classes || !Object.hasOwn(classes, bare)) return null;
  return classes[bare]?.secrets.find((u) => u.path === path)?.pos ?? null;
}

function grantPath(from: From, path: string, puppet: PuppetIndex | undefined): SecretGrantPath {
  const cls = from.via?.startsWith("class ") ? from.via.slice(6) : null;
  return { label: from.name, class: cls, call: cls === null ? null : callOf(puppet, cls, path) };
}

/** Every gain and loss of a secret in the servers' changes, by server, then path. */
export function secretAccess(
  servers: readonly PlannedServer[],
  base: SecretSide | null,
  head: SecretSide,
): SecretAccessChange[] {
  const out: SecretAccessChange[] = [];
  for (const s of servers) {
    for (const c of s.changes) {
      if (c.kind !== "secret" || (c.action !== "gain" && c.action !== "lose")) continue;
      const puppet = c.action === "lose" ? base?.puppet : head.puppet;
      out.push({
        server: s.name,
        path: c.name,
        action: c.action,
        via: c.from.map((f) => grantPath(f, c.name, puppet)),
        source: c.source,
      });
    }
  }
  return out.sort(
    (a, b) => cmp(a.server, b.server) || cmp(a.path, b.path) || cmp(a.action, b.action),
  );
}

function at(v: SecretValue): SourcePos {
  return { file: v.file, line: v.line, col: v.col };
}

/** The values added, changed (another encrypted text) or removed, by path. */
export function secretValueChanges(
  base: readonly SecretText[],
  head: readonly SecretText[],
): SecretValueChange[] {
  const old = new Map(secretValues(base).map((v) => [v.path, v]));
  const now = new Map(secretValues(head).map((v) => [v.path, v]));
  const out: SecretValueChange[] = [];
  for (const [path, v] of now) {
    const before = old.get(path);
    if (!before) out.push({ path, action: "add", source: at(v) });
    else if (before.digest !== v.digest) out.push({ path, action: "change", source: at(v) });
  }
  for (const [path, v] of old) {
    if (!now.has(path)) out.push({ path, action: "remove", source: at(v) });
  }
  return out.sort((a, b) => cmp(a.path, b.path));
}

export function planSecrets(
  servers: readonly PlannedServer[],
  base: SecretSide | null,
  head: SecretSide,
): PlanSecrets {
  const texts = base?.secretTexts && head.secretTexts ? [base.secretTexts, head.secretTexts] : null;
  return {
    access: secretAccess(servers, base, head),
    values: texts ? secretValueChanges(texts[0]!, texts[1]!) : [],
  };
}
