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

export interface View {
  json: object;
  text: (style: Style) => string;
}

export function viewOf(model: ResolvedModel, kind: Kind, name: string): View {
  switch (kind) {
    case "servers": {
      const s = findServer(model, name);
      return { json: serverJson(s), text: (style) => showServerText(model, s, style) };
    }
    case "labels":
      return labelView(model, findLabel(model, name));
    case "groups":
      return groupView(model, findGroup(model, name));
    case "alerts":
      return alertView(model, name);
    case "secrets":
      return secretView(model, findSecret(model, name));
    case "sizes":
      return sizeView(model, findSize(model, name));
  }
}
