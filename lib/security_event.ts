/** The record every security-relevant change writes, stamped now with who asked. */
import type { SecurityEvent } from "../kv/security_events.ts";
import type { Deps, RequestOrigin } from "./deps.ts";
import { timeOrderedId } from "./runtime/ids.ts";

/** A security event stamped now. */
export function securityEvent(
  deps: Deps,
  type: string,
  origin: RequestOrigin,
): SecurityEvent {
  return {
    id: timeOrderedId(deps.clock, deps.random),
    type,
    at: deps.clock.now(),
    ip: origin.ip,
    userAgent: origin.userAgent,
  };
}
