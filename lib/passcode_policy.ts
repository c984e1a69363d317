/**
 * Passcode policy (API.md, Registration): 10 to 128 characters after Unicode NFKC,
 * a zxcvbn-ts score of at least 3 of 4 with the common dictionaries, and no account ID
 * local part inside it. NIST SP 800-63B 3.1.1.2 favours length and breach-list checks
 * over composition rules, which is what zxcvbn's dictionaries approximate.
 */
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { type AccountId, accountIdLocalPart } from "./account_id.ts";
import { ApiError } from "./errors.ts";

export const minimumPasscodeLength = 10;
export const maximumPasscodeLength = 128;
const minimumScore = 3;

const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/** The outcome of a policy check; `feedback` holds the estimator's suggestions. */
export type PasscodeVerdict =
  | { accepted: true }
  | { accepted: false; feedback: string[] };

/** Checks a new passcode against the policy for the given account. */
export function checkPasscodePolicy(
  passcode: string,
  accountId: AccountId,
): PasscodeVerdict {
  const normalised = passcode.normalize("NFKC");
  const length = [...normalised].length;
  if (length < minimumPasscodeLength) {
    return {
      accepted: false,
      feedback: [`Use at least ${minimumPasscodeLength} characters.`],
    };
  }
  if (length > maximumPasscodeLength) {
    return {
      accepted: false,
      feedback: [`Use at most ${maximumPasscodeLength} characters.`],
    };
  }
  const localPart = accountIdLocalPart(accountId);
  if (
    localPart.length >= 3 &&
    normalised.toLowerCase().includes(localPart.toLowerCase())
  ) {
    return {
      accepted: false,
      feedback: ["Do not use your account ID in the passcode."],
    };
  }
  const result = estimator.check(normalised, [accountId.value, localPart]);
  if (result.score >= minimumScore) return { accepted: true };
  const feedback = [
    result.feedback.warning,
    ...result.feedback.suggestions,
  ].filter((text): text is string => Boolean(text));
  return {
    accepted: false,
    feedback: feedback.length > 0
      ? feedback
      : ["Add more words or characters that are hard to guess."],
  };
}

/** `400 weak_passcode`, the reasons in `detail` and, as a list, in `feedback`. */
export function weakPasscode(feedback: string[]): ApiError {
  return new ApiError("weak_passcode", feedback.join(" "), {
    extensions: { feedback },
  });
}

/** Throws {@link weakPasscode} when the policy refuses the passcode. */
export function requireStrongPasscode(
  passcode: string,
  accountId: AccountId,
): void {
  const verdict = checkPasscodePolicy(passcode, accountId);
  if (!verdict.accepted) throw weakPasscode(verdict.feedback);
}
