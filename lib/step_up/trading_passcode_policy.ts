/**
 * The trading passcode's rule (API.md): exactly 6 digits and not trivial. Six digits
 * are a million choices only if people do not pick the same hundred; these are the
 * patterns PIN studies (Bonneau et al., "A birthday present every eleven wallets?")
 * find most guessed.
 */

/** Why a trading passcode is refused, or null when it is acceptable. */
export function tradingPasscodeProblem(
  passcode: string,
  phoneDigits: string | null,
): string | null {
  if (!/^\d{6}$/.test(passcode)) return "Use exactly 6 digits.";
  const digits = [...passcode].map(Number);
  if (digits.every((digit) => digit === digits[0])) {
    return "Do not repeat one digit.";
  }
  const steps = digits.slice(1).map((digit, i) =>
    (digit - digits[i] + 10) % 10
  );
  if (steps.every((step) => step === 1) || steps.every((step) => step === 9)) {
    return "Do not use a run of digits such as 123456 or 987654.";
  }
  for (const period of [2, 3]) {
    if (digits.every((digit, i) => digit === digits[i % period])) {
      return "Do not repeat a short pattern such as 121212 or 123123.";
    }
  }
  if (phoneDigits && phoneDigits.includes(passcode)) {
    return "Do not use digits from your phone number.";
  }
  return null;
}
