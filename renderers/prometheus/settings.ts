/** The repo's `lab.prometheus` settings with their defaults (schemas/lab.schema.json). */
import type { Settings } from "../../core/model.js";

export interface ScrapeSettings {
  /** host:port of the blackbox exporter. */
  blackboxExporter: string;
  /** host:port of lab's own /metrics. */
  labMetrics: string;
  /** host:port of each cluster's kube-state-metrics. */
  kubeStateMetrics: readonly string[];
  /** Bearer token file for the kubelets, or null. */
  kubeletTokenFile: string | null;
}

export const DEFAULT_BLACKBOX_EXPORTER = "127.0.0.1:9115";
export const DEFAULT_LAB_METRICS = "127.0.0.1:9274";

export function prometheusSettings(settings: Settings): ScrapeSettings {
  const own = settings.prometheus ?? {};
  return {
    blackboxExporter: own.blackbox_exporter ?? DEFAULT_BLACKBOX_EXPORTER,
    labMetrics: own.lab_metrics ?? DEFAULT_LAB_METRICS,
    kubeStateMetrics: [...(own.kube_state_metrics ?? [])].sort(),
    kubeletTokenFile: own.kubelet_token_file ?? null,
  };
}
