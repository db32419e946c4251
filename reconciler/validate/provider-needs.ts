/** What a server's provider needs to create it (sizes mapped, image, region): LAB206, LAB207. */
import type { CheckContext } from "./check-context.js";

export function checkProviderNeeds(_ctx: CheckContext): void {
  // Filled in by the provider rules; see references.ts for the size mapping check today.
}
