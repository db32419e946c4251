/** User alerts in the servers' alert lists: shared refs, merged with the catalog checks by name. */
import { cmp } from "../../core/diagnostics.js";
import type { From, Member, ResolvedAlertRef } from "../../core/model.js";
import { addFrom } from "./from-list.js";

/** The user alerts (sorted by name) and their members, for building the servers' lists. */
export interface UserAlertIndex {
  names: readonly string[];
  members: readonly (readonly Member[])[];
  /** How many user alerts sort before `name` (memoized). */
  before(name: string): number;
  /**
   * The ref of alert `i` selecting a server through `from`: one shared object per alert and
   * provenance array (provenance arrays are shared by the members picked the same way).
   */
  ref(i: number, from: From[]): ResolvedAlertRef;
}

export function userAlertIndex(
  names: readonly string[],
  members: readonly (readonly Member[])[],
): UserAlertIndex {
  const memo = new Map<string, number>();
  const refs = names.map(() => new Map<From[], ResolvedAlertRef>());
  return {
    names,
    members,
    ref(i, from) {
      const cache = refs[i]!;
      let ref = cache.get(from);
      if (!ref) cache.set(from, (ref = { name: names[i]!, kind: "user", from }));
      return ref;
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
 * same name). `pairs` holds [alert index, member index] pairs of the alerts selecting the server,
 * in alert order.
 */
export function mergeAlerts(
  checks: readonly ResolvedAlertRef[],
  pairs: readonly number[],
  index: UserAlertIndex,
): ResolvedAlertRef[] {
  const out: ResolvedAlertRef[] = [];
  let u = 0;
  const pushUser = (): void => {
    const i = pairs[u]!;
    const ref = index.ref(i, index.members[i]![pairs[u + 1]!]!.from);
    u += 2;
    const last = out[out.length - 1];
    if (last?.kind !== "user" || last.name !== ref.name) out.push(ref);
    else {
      const from = [...last.from];
      for (const f of ref.from) addFrom(from, f);
      out[out.length - 1] = { ...last, from };
    }
  };
  for (const check of checks) {
    const pos = index.before(check.name);
    while (u < pairs.length && pairs[u]! < pos) pushUser();
    out.push(check);
  }
  while (u < pairs.length) pushUser();
  return out;
}
