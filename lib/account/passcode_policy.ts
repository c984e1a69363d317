/**
 * Passcode policy (API.md, Registration): 10 to 128 characters after Unicode NFKC,
 * a zxcvbn-ts score of at least 3 of 4 with the common dictionaries and the service's
 * own context words, no account ID local part inside it, and not in a breach corpus.
 * NIST SP 800-63B 3.1.1.2 favours length, context words and breach lists over
 * composition rules; OWASP ASVS 6.2.11 and 6.2.12 ask for the last two.
 *
 * Callers run it only after their cheap gates (lock, rate limit, code, CAPTCHA) passed:
 * even bounded, the estimator is the most expensive step after the hash.
 */
import { type AccountId, accountIdLocalPart } from "../account_id.ts";
import type { BreachedPasscodeCheck } from "./breached_passcodes.ts";
import type { PasscodePolicy, PasscodeVerdict } from "../deps.ts";
import { ApiError } from "../runtime/errors.ts";
import { lazy } from "../runtime/lazy.ts";

export const minimumPasscodeLength = 10;
export const maximumPasscodeLength = 128;
const minimumScore = 3;

/**
 * The estimator scores the first 32 characters only. Its matchers grow faster than
 * linearly with length (measured here: 128 random characters about 1.3 s of CPU, 32
 * about 0.2 s), and a prefix can only under-rate a passcode: characters after it never
 * make it weaker, so a long passcode whose first 32 characters score 3 is strong. The
 * whole passcode is still hashed, length-checked and breach-checked.
 */
export const estimatedPrefixLength = 32;

/**
 * At most 4 l33t substitutions are tried per match (the library's default is 100): with
 * 100, 32 characters of digits and symbols cost about 0.3 s; with 4 about 17 ms, and
 * the known l33t passcodes (`P@$$w0rd1234`, `M0nk3yB4n4n4`) still score as weak.
 */
const l33tMaxSubstitutions = 4;

/**
 * Words that make a passcode guessable here whatever the account: the trade's own, and
 * the names of the exchanges whose customers come here with a habit ("Binance2024!").
 */
const domainWords = [
  "exchange",
  "crypto",
  "bitcoin",
  "ethereum",
  "wallet",
  "trading",
  "passcode",
  "password",
  "login",
  "binance",
  "coinbase",
  "kraken",
];

/** What the policy is built from. */
export interface PasscodePolicyOptions {
  /** The relying party's name and the public origins: their words are context. */
  rpName: string;
  appOrigins: string[];
  /** The breach corpus, or null when the check is off. */
  isBreached: BreachedPasscodeCheck | null;
}

/** Builds the policy once; the estimator's dictionaries load here. */
export function createPasscodePolicy(
  options: PasscodePolicyOptions,
): PasscodePolicy {
  // The dictionaries are most of the service's start-up and memory: they load with the
  // first passcode that needs judging, which a session check never does.
  const estimator = lazy(async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
      maxLength: estimatedPrefixLength,
      l33tMaxSubstitutions,
    });
  });
  const serviceWords = [
    ...domainWords,
    ...wordsOf(options.rpName),
    ...options.appOrigins.flatMap((origin) =>
      wordsOf(new URL(origin).hostname)
    ),
  ];
  return {
    async check(passcode, accountId) {
      const normalised = passcode.normalize("NFKC");
      const length = [...normalised].length;
      if (length < minimumPasscodeLength) {
        return refused(`Use at least ${minimumPasscodeLength} characters.`);
      }
      if (length > maximumPasscodeLength) {
        return refused(`Use at most ${maximumPasscodeLength} characters.`);
      }
      const localPart = accountIdLocalPart(accountId);
      if (
        localPart.length >= 3 &&
        normalised.toLowerCase().includes(localPart.toLowerCase())
      ) {
        return refused("Do not use your account ID in the passcode.");
      }
      const contextWords = [...serviceWords, ...accountIdWords(accountId)];
      // Words anybody can guess from the service or the account add no strength: the
      // estimator judges what is left without them ("Exchange Login 2024" → "2024").
      const remainder = withoutWords(normalised, contextWords);
      const result = (await estimator()).check(remainder, contextWords);
      if (result.score < minimumScore) {
        const feedback = [
          remainder === normalised ? null : contextWordsAdvice,
          result.feedback.warning,
          ...result.feedback.suggestions,
        ].filter((text): text is string => Boolean(text));
        return feedback.length > 0
          ? { accepted: false, feedback }
          : refused("Add more words or characters that are hard to guess.");
      }
      if (await options.isBreached?.(normalised)) {
        return refused(
          "This passcode appears in known data breaches. Choose another one.",
        );
      }
      return { accepted: true };
    },
  };
}

const contextWordsAdvice =
  "Words like the exchange's name or your account ID do not count: add others.";

/** Words of four letters or more are removed (shorter ones are too often inside others). */
function withoutWords(passcode: string, words: string[]): string {
  let remainder = passcode.toLowerCase();
  for (const word of words) {
    if (word.length >= 4) remainder = remainder.replaceAll(word, "");
  }
  return remainder === passcode.toLowerCase() ? passcode : remainder;
}

function refused(reason: string): PasscodeVerdict {
  return { accepted: false, feedback: [reason] };
}

/** Lower-case words of three letters or more: `login.example.com` → `login`, `example`. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) =>
    word.length >= 3
  );
}

/** The parts of an account ID somebody who knows it could try. */
function accountIdWords(accountId: AccountId): string[] {
  return accountId.channel === "email"
    ? [accountId.value, ...wordsOf(accountId.value)]
    : [
      accountId.value,
      accountId.value.slice(1),
      accountIdLocalPart(accountId),
    ];
}

/** `400 weak_passcode`, the reasons in `detail` and, as a list, in `feedback`. */
export function weakPasscode(feedback: string[]): ApiError {
  return new ApiError("weak_passcode", feedback.join(" "), {
    extensions: { feedback },
  });
}

/** Throws {@link weakPasscode} when the policy refuses the passcode. */
export async function requireStrongPasscode(
  policy: PasscodePolicy,
  passcode: string,
  accountId: AccountId,
): Promise<void> {
  const verdict = await policy.check(passcode, accountId);
  if (!verdict.accepted) throw weakPasscode(verdict.feedback);
}
