/**
 * What the step-up page is asked to approve, from its query: `action` (one of the
 * step-up actions) and that action's details, each a string of a known shape, so the
 * page shows exactly what the action token will be bound to (API.md, Step-up details)
 * and nothing an outsider could dress up. Anything else (an unknown or repeated
 * parameter, a value of another shape, a detail missing) is no request at all.
 */
import { z } from "zod";
import type { StepUpAction } from "../../lib/step_up/step_up.ts";

/** An amount as people write it: no sign, no exponent, more than zero. */
const amount = z.string().regex(/^(?:0|[1-9]\d{0,14})(?:\.\d{1,18})?$/)
  .refine((value) => /[1-9]/.test(value));
/** An asset's ticker: BTC, ETH, USDC. */
const asset = z.string().regex(/^[A-Z0-9]{2,10}$/);

const detailsOf = {
  withdrawal: z.strictObject({
    asset,
    amount,
    // Addresses of the common chains: base58, bech32, hex, with a network prefix.
    destination: z.string().regex(/^[A-Za-z0-9:._-]{10,128}$/),
    // A memo or destination tag some networks need to credit the right account.
    memo: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
  }),
  trade: z.strictObject({
    side: z.enum(["buy", "sell"]),
    amount,
    asset,
  }),
  "api_key.create": z.strictObject({
    name: z.string().regex(/^[\p{L}\p{N} ._-]{1,40}$/u),
    permissions: z.string().regex(
      /^(?:read|trade|withdraw)(?:,(?:read|trade|withdraw)){0,2}$/,
    )
      .optional(),
  }),
} satisfies Record<StepUpAction, z.ZodType>;

/** A request the page can show and approve. */
export interface StepUpRequest {
  action: StepUpAction;
  details: Record<string, string>;
}

/** The request a query asks for, or null when it is not one. */
export function parseStepUpRequest(
  query: URLSearchParams,
): StepUpRequest | null {
  const names = [...query.keys()];
  if (new Set(names).size !== names.length) return null;
  const action = query.get("action");
  if (action === null || !Object.hasOwn(detailsOf, action)) return null;
  const parsed = detailsOf[action as StepUpAction].safeParse(
    Object.fromEntries(
      names.filter((name) => name !== "action").map((
        name,
      ) => [name, query.get(name)]),
    ),
  );
  return parsed.success
    ? {
      action: action as StepUpAction,
      details: parsed.data as Record<string, string>,
    }
    : null;
}
