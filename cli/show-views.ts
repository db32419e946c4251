/** The view `lab show KIND NAME` prints: its JSON and its text. */
import type { ResolvedModel } from "../core/model.js";
import type { Kind } from "./kinds.js";
import type { Style } from "./printers/color.js";
import { alertView } from "./show-alert.js";
import { findGroup, groupView } from "./show-group.js";
import { findLabel, labelView } from "./show-label.js";
import { findSecret, secretView } from "./show-secret.js";
import { findServer, serverJson, showServerText } from "./show-server.js";
import { findSize, sizeView } from "./show-size.js";
import { UNKNOWN_STATUS } from "./status-columns.js";
import { statusSections } from "./status-sections.js";
import type { ShowStatus } from "./status-show.js";

export interface View {
  json: object;
  text: (style: Style) => string;
}

/** `status`: what is known of the servers' pillars and an alert's values (docs/status.md). */
export function viewOf(model: ResolvedModel, kind: Kind, name: string, status?: ShowStatus): View {
  switch (kind) {
    case "servers": {
      const s = findServer(model, name);
      const own = status?.statuses.get(s.name) ?? UNKNOWN_STATUS;
      return {
        json: { ...serverJson(s), status: own },
        text: (style) => showServerText(model, s, style) + statusSections(model, s, own, style),
      };
    }
    case "labels":
      return labelView(model, findLabel(model, name), status?.statuses);
    case "groups":
      return groupView(model, findGroup(model, name));
    case "alerts":
      return alertView(model, name, status?.values);
    case "secrets":
      return secretView(model, findSecret(model, name));
    case "sizes":
      return sizeView(model, findSize(model, name));
  }
}
