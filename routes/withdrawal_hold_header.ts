/**
 * The answer of a change that starts the 24-hour withdrawal hold names its end, so a
 * page can say "Withdrawals are paused until …" at once. A header, because most of
 * these answers are `204` without a body (API.md fixes their statuses).
 */
import type { Context } from "hono";
import type { AppEnv } from "./env.ts";
import type { HeaderDoc } from "./route_docs.ts";
import { isoText } from "./iso_time.ts";

/** `Withdrawal-Hold-Until: <ISO 8601 UTC>`. */
export const withdrawalHoldHeader = "Withdrawal-Hold-Until";

/** The header's documentation; `always` when every such answer starts a hold. */
export function withdrawalHoldHeaderDoc(
  always: boolean,
): Record<string, HeaderDoc> {
  return {
    [withdrawalHoldHeader]: {
      description:
        "When the 24-hour withdrawal hold this change started ends (ISO 8601 UTC)" +
        (always ? "" : "; only when it started one"),
      required: always,
    },
  };
}

/** Sets the header when the change started a hold (`holdUntil` not null). */
export function announceWithdrawalHold<E extends AppEnv>(
  c: Context<E>,
  holdUntil: number | null,
): void {
  if (holdUntil !== null) {
    c.header(withdrawalHoldHeader, isoText(holdUntil));
  }
}
