/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * Passkeys only (API.md, `PUT /v1/mfa/policy`; as Gemini and Coinbase let customers
 * allow security keys only): a switch in the passkeys card. On needs two passkeys and
 * a code or a passkey; off again needs a passkey, so a phished code cannot undo it.
 */
import { call, ProblemError } from "../api.ts";
import { closeDialog, openDialog } from "../dialogs.ts";
import { onSubmit } from "../forms.ts";
import { t } from "../i18n.ts";
import { withFreshFactor } from "./confirmation.ts";
import { say } from "./ui.ts";

const needTwo = (passkeys: number) =>
  t("security.policy.needTwo", { passkeys });

let passkeys = 0;
let on = false;

/** Shows the switch as `GET /v1/mfa` reports the account. */
export function showPolicy(
  state: { passkeys: number; phishingResistantOnly: boolean },
): void {
  passkeys = state.passkeys;
  on = state.phishingResistantOnly;
  document.getElementById("policy-switch")!.setAttribute(
    "aria-checked",
    String(on),
  );
}

/** The service's refusal for too few passkeys, said as the switch says it. */
function tooFewPasskeys(error: unknown): unknown {
  return error instanceof ProblemError && error.problem.code === "conflict"
    ? new Error(needTwo(passkeys))
    : error;
}

/** Wires the switch and its dialogs; `refresh` reloads the cards it touches. */
export function attachPolicyActions(refresh: () => Promise<unknown>): void {
  const toggle = document.getElementById("policy-switch")!;
  const status = document.getElementById("devices-status")!;
  toggle.addEventListener("click", () => {
    status.textContent = "";
    if (on) openDialog("policy-off-dialog");
    // Refused here, before a code is asked for: with one passkey, losing it would
    // leave nothing to sign in with.
    else if (passkeys < 2) {
      status.textContent = needTwo(passkeys);
      status.dataset.kind = "warn";
    } else openDialog("policy-on-dialog");
  });
  const change =
    (phishingResistantOnly: boolean, dialog: string) =>
    async (fields: Record<string, string>, form: HTMLFormElement) => {
      try {
        await withFreshFactor(
          fields,
          form,
          (factor) =>
            call("PUT", "/v1/mfa/policy", { phishingResistantOnly, ...factor }),
        );
      } catch (error) {
        throw tooFewPasskeys(error);
      }
      closeDialog(dialog);
      await refresh();
      say(
        "devices",
        t(phishingResistantOnly ? "security.policy.on" : "security.policy.off"),
      );
    };
  onSubmit("policy-on-form", change(true, "policy-on-dialog"), {
    codeField: "factor",
  });
  onSubmit("policy-off-form", change(false, "policy-off-dialog"));
}
