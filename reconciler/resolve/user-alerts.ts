/** User alerts in the servers' alert lists: shared refs, merged with the catalog checks by name. */
import { cmp } from "../../core/diagnostics.js";
import type { From, ResolvedAlertRef } from "../../core/model.js";
import { addFrom } from "./from-list.js";

/** The user alerts, sorted by name, for building the servers' lists. */
export interface UserAlertIndex {
  names: readonly string[];
  /** How many user alerts sort before `name` (memoized). */
  before(name: string): number;
  /**
   * The ref of alert `i` selecting a server through `from`: one shared object per alert and
   * provenance array (provenance arrays are shared by the members picked the same way).
   */
  ref(i: number, from: readonly From[]): ResolvedAlertRef;
}

export function userAlertIndex(names: readonly string[]): UserAlertIndex {
  const memo = new Map<string, number>();
  const refs = names.map(() => new Map<readonly From[], ResolvedAlertRef>());
  const last: (ResolvedAlertRef | undefined)[] = names.map(() => undefined);
  return {
    names,
    ref(i, from) {
      const recent = last[i];
      if (recent?.from === from) return recent;
      const cache = refs[i]!;
      let ref = cache.get(from);
      if (!ref) cache.set(from, (ref = { name: names[i]!, kind: "user", from }));
      return (last[i] = ref);
    },
    before(name) {
      let pos = memo.get(name);
      if (pos !== undefined) return pos;
      let [lo, hi] = [0, names.length];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmp(names[mid]!, name) < 0) lo = mid + 1;
        else hi = mid;
      }
      memo.set(name, (pos = lo));
      return pos;
    },
  };
}

/**
 * Catalog checks and user alerts in one list, sorted by name (a check before a user alert of the
 * same name). `alerts` holds the indexes of the user alerts selecting the server, ascending, and
 * `froms` what selected it for each.
 */
export function mergeAlerts(
  checks: readonly ResolvedAlertRef[],
  alerts: readonly number[],
  froms: readonly (readonly From[])[],
  index: UserAlertIndex,
): ResolvedAlertRef[] {
  const out = new Array<ResolvedAlertRef>(checks.length + alerts.length);
  let [n, u] = [0, 0];
  const pushUser = (): void => {
    const ref = index.ref(alerts[u]!, froms[u]!);
    u += 1;
    const last = n > 0 ? out[n - 1]! : undefined;
    if (last?.kind !== "user" || last.name !== ref.name) out[n++] = ref;
    else {
      const from = [...last.from];
      for (const f of ref.from) addFrom(from, f);
      out[n - 1] = { ...last, from };
    }
  };
  for (const check of checks) {
    const pos = index.before(check.name);
    while (u < alerts.length && alerts[u]! < pos) pushUser();
    out[n++] = check;
  }
  while (u < alerts.length) pushUser();
  out.length = n;
  return out;
}
