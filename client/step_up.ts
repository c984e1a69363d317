/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * `/step-up` (routes/pages/step_up.tsx): the action and details the page shows are
 * sent with the trading passcode (`POST /v1/step-up`) or a passkey's answer to a
 * challenge made for them (`/v1/step-up/options`), so the action token is bound to
 * what the person saw. The token goes back to the window that opened this one, if it
 * is a page of this origin (`postMessage` to this origin only, so no other site ever
 * receives it); without such a window it is shown, to copy.
 */
import {
  browserSupportsWebAuthn,
  startAuthentication,
} from "@simplewebauthn/browser";
import type { Session } from "./account_menu.ts";
import { call, ProblemError } from "./api.ts";
import { onSubmit, problemSentence, setBusy } from "./forms.ts";
import { t } from "./i18n.ts";
import { signedOut } from "./notice.ts";
import { returnHereAfterSignIn } from "./return_path.ts";
import { showStep } from "./steps.ts";

/** What the message to the opener carries. */
interface Approved {
  type: "step-up";
  action: string;
  details: Record<string, string>;
  actionToken: string;
  expiresIn: number;
}

/** Refusals of a step-up in this page's words. */
function explained(error: unknown, viaPasskey: boolean): unknown {
  if (!(error instanceof ProblemError)) return error;
  const passkeyRefused = () => new Error(t("security.stepUp.passkeyRefused"));
  switch (error.problem.code) {
    case "conflict":
      return viaPasskey
        ? passkeyRefused()
        : new Error(t("security.stepUp.noTradingPasscode"));
    case "details_mismatch":
      return new Error(t("security.stepUp.detailsChanged"));
    case "invalid_code":
      return viaPasskey ? passkeyRefused() : error;
    default:
      return error;
  }
}

/** The opener, when it is a page of this origin (a cross-origin one is no one's). */
function sameOriginOpener(): Window | null {
  try {
    const opener = globalThis.opener as Window | null;
    return opener && !opener.closed &&
        opener.location.origin === location.origin
      ? opener
      : null;
  } catch {
    return null;
  }
}

function handBack(approved: Approved): void {
  const opener = sameOriginOpener();
  if (opener) {
    opener.postMessage(approved, location.origin);
    document.getElementById("approved-sent")!.hidden = false;
    const close = document.getElementById("close-window")!;
    close.hidden = false;
    close.addEventListener("click", () => globalThis.close());
  } else {
    document.getElementById("approved-shown")!.hidden = false;
    document.getElementById("approved-token")!.hidden = false;
    document.getElementById("action-token")!.textContent = approved.actionToken;
    document.getElementById("copy-token")!.addEventListener(
      "click",
      async () => {
        const status = document.getElementById("copy-token-status")!;
        try {
          await navigator.clipboard.writeText(approved.actionToken);
          status.textContent = t("security.stepUp.copied");
        } catch {
          status.textContent = t("security.stepUp.copyRefused");
        }
      },
    );
  }
  showStep("step-approved");
  document.getElementById("approved-title")!.focus();
}

export async function stepUpPage(session: Session | null): Promise<void> {
  const approval = document.querySelector<HTMLElement>("[data-action]");
  if (!approval) return;
  if (!session) {
    returnHereAfterSignIn();
    return signedOut(t("security.stepUp.signIn"));
  }
  document.getElementById("step-up-account")!.textContent = session.accountId;
  const action = approval.dataset.action!;
  const details = Object.fromEntries(
    [...approval.querySelectorAll<HTMLElement>("[data-detail]")].map((
      element,
    ) => [element.dataset.detail!, element.dataset.value!]),
  );
  const approve = async (proof: Record<string, unknown>) => {
    const { actionToken, expiresIn } = await call("POST", "/v1/step-up", {
      action,
      details,
      ...proof,
    });
    handBack({ type: "step-up", action, details, actionToken, expiresIn });
  };
  onSubmit("step-up-form", async (fields) => {
    try {
      await approve({ tradingPasscode: fields.tradingPasscode });
    } catch (error) {
      throw explained(error, false);
    }
  }, {
    codeField: "tradingPasscode",
    wrongCode: t("security.stepUp.wrongPasscode"),
  });

  const mfa = await call("GET", "/v1/mfa").catch(() => null);
  if (!mfa?.webauthnDevices || !browserSupportsWebAuthn()) return;
  document.getElementById("approve-passkey-choice")!.hidden = false;
  const button = document.getElementById(
    "approve-passkey",
  ) as HTMLButtonElement;
  const message = document.getElementById("approve-passkey-message")!;
  button.addEventListener("click", async () => {
    message.textContent = "";
    setBusy(button, true);
    try {
      // The challenge commits to this action and these details.
      const options = await call("POST", "/v1/step-up/options", {
        action,
        details,
      });
      await approve({
        webauthn: await startAuthentication({ optionsJSON: options }),
      });
    } catch (error) {
      message.textContent = problemSentence(explained(error, true));
    } finally {
      setBusy(button, false);
    }
  });
}
