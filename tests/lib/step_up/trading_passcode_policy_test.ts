import { tradingPasscodeProblem } from "../../../lib/step_up/trading_passcode_policy.ts";
import { assert, assertEquals } from "../../helpers/assert.ts";

Deno.test("trivial trading passcodes are refused", () => {
  for (
    const passcode of [
      "000000",
      "777777",
      "123456",
      "345678",
      "890123",
      "987654",
      "210987",
      "121212",
      "123123",
      "909090",
    ]
  ) {
    assert(tradingPasscodeProblem(passcode, null) !== null, passcode);
  }
  for (const passcode of ["12345", "1234567", "12a456", ""]) {
    assertEquals(
      tradingPasscodeProblem(passcode, null),
      "Use exactly 6 digits.",
    );
  }
});

Deno.test("digits of the account's phone number are refused; ordinary codes pass", () => {
  assert(tradingPasscodeProblem("701234", "491701234567") !== null);
  for (const passcode of ["284915", "503872", "118274"]) {
    assertEquals(
      tradingPasscodeProblem(passcode, "491701234567"),
      null,
      passcode,
    );
  }
});
