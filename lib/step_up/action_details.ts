/**
 * What a step-up authorises besides its action (API.md, Step-up details; PSD2's dynamic
 * linking): the details, e.g. a withdrawal's asset, amount and destination, are bound
 * into the action token as `dtl`, the base64url SHA-256 of their RFC 8785 canonical
 * JSON, so a token approved for one payee cannot be redeemed for another. Canonical
 * form makes key order and number spelling (`1.0`, `1e0`) irrelevant.
 */
import canonicalize from "canonicalize";
import { ApiError } from "../runtime/errors.ts";
import { toBase64Url, utf8 } from "../runtime/encoding.ts";

/** API.md: details are at most 1 KiB as canonical JSON. */
export const maxDetailsBytes = 1024;

/** Details as the JSON body carried them. */
export type ActionDetails = Record<string, unknown>;

/** The `dtl` of the details; `400 invalid_request` when their canonical form is too long. */
export async function detailsDigest(details: ActionDetails): Promise<string> {
  const canonical = canonicalize(details);
  const bytes = canonical === undefined ? null : utf8(canonical);
  if (!bytes || bytes.length > maxDetailsBytes) {
    throw new ApiError(
      "invalid_request",
      `The details must be at most ${maxDetailsBytes} bytes as canonical JSON.`,
      {
        extensions: {
          errors: [{
            path: "details",
            message: `at most ${maxDetailsBytes} bytes as RFC 8785 JSON`,
          }],
        },
      },
    );
  }
  return toBase64Url(
    new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
  );
}

/** `409 details_mismatch`: the details differ from those the token was given for. */
export function detailsMismatch(): ApiError {
  return new ApiError(
    "details_mismatch",
    "These details are not the ones this authorisation was given for.",
  );
}
