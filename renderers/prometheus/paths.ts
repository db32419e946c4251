/**
 * Where the Prometheus renderer puts things. Layout (relative to the render root):
 *
 *   prometheus/rules/checks/<check>.yaml   one file per catalog check in use (content fixed by the catalog)
 *   prometheus/rules/alerts/<file>.yaml    user alerts, one file per config file that declares them
 *   prometheus/rules/lab/lab.yaml          rules about lab itself, when lab.prometheus.self_alerts
 *   prometheus/targets/<server>.json       file_sd targets, one file per server, carrying lab's labels
 *   prometheus/probes/<server>.json        blackbox probe targets, one per probed port of a server
 *   prometheus/scrape.yaml                 the scrape_configs that read them (paths relative to it)
 *   prometheus/blackbox.yaml               the blackbox exporter's modules the probes use
 *
 * Membership lives only in the target files, so a change to who gets an alert rewrites the
 * target files of the servers concerned and no rule file.
 */

export const RULES_DIR = "prometheus/rules";
export const CHECK_RULES_DIR = `${RULES_DIR}/checks`;
export const ALERT_RULES_DIR = `${RULES_DIR}/alerts`;
export const SELF_RULES_PATH = `${RULES_DIR}/lab/lab.yaml`;
export const TARGETS_DIR = "prometheus/targets";
export const PROBES_DIR = "prometheus/probes";
export const SCRAPE_PATH = "prometheus/scrape.yaml";
export const BLACKBOX_PATH = "prometheus/blackbox.yaml";

/** The rule file of a catalog check. */
export function checkRulePath(check: string): string {
  return `${CHECK_RULES_DIR}/${check}.yaml`;
}

/**
 * The rule file of the user alerts declared in `sourceFile` (a repo-relative config path):
 * folders flattened with `__` so one glob (`rules/alerts/*.yaml`) loads them all, `.yml` → `.yaml`.
 */
export function alertRulePath(sourceFile: string): string {
  const flat = sourceFile
    .replace(/\.ya?ml$/, "")
    .split("/")
    .join("__");
  return `${ALERT_RULES_DIR}/${flat}.yaml`;
}

/** The file_sd target file of a server. */
export function targetPath(server: string): string {
  return `${TARGETS_DIR}/${server}.json`;
}

/** The file_sd probe file of a server. */
export function probePath(server: string): string {
  return `${PROBES_DIR}/${server}.json`;
}
