/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/// <reference lib="esnext" />
/**
 * The settings of the security centre's cards: the second factor and backup codes,
 * the passcode, the trading passcode, the anti-phishing code and the account ID.
 */
import { call, request } from "../api.ts";
import { showBackupCodes } from "../backup_codes.ts";
import { closeDialog, showAfter } from "../dialogs.ts";
import { onSubmit } from "../forms.ts";
import { t } from "../i18n.ts";
import { setFactors, withConfirmation } from "./confirmation.ts";
import { showPolicy } from "./policy.ts";
import { timeElement } from "../time.ts";
import { withHold } from "../withdrawal_hold.ts";
import { phrase, pill, say } from "./ui.ts";

/** The authenticator app and backup codes of the sign-in card. */
export async function loadSecondFactors(): Promise<void> {
  const mfa = await call("GET", "/v1/mfa");
  const app = document.getElementById("mfa-fact")!;
  if (mfa.totp.enabled) {
    app.replaceChildren(
      pill(t("security.signin.on"), "ok"),
      " ",
      ...phrase("security.signin.setUp", {
        when: timeElement(mfa.totp.enrolledAt, "day"),
      }),
    );
  } else app.replaceChildren(pill(t("security.signin.off"), "critical"));
  setFactors({
    passkeys: mfa.webauthnDevices,
    codesOff: mfa.phishingResistantOnly,
  });
  showPolicy({
    passkeys: mfa.webauthnDevices,
    phishingResistantOnly: mfa.phishingResistantOnly,
  });
  const left: number = mfa.backupCodesRemaining;
  document.getElementById("backup-fact")!.replaceChildren(
    pill(t("security.signin.backupLeft", { left }), left < 3 ? "warn" : "ok"),
  );
}

/** The anti-phishing card. */
export async function loadAntiPhishing(): Promise<void> {
  const { code } = await call("GET", "/v1/anti-phishing-code");
  document.getElementById("phishing-current")!.textContent = code ?? "";
  document.getElementById("phishing-set")!.hidden = !code;
  document.getElementById("phishing-unset")!.hidden = !!code;
  const status = document.getElementById("phishing-pill")!;
  status.textContent = t(
    code ? "security.checkup.trading.on" : "security.checkup.trading.notSet",
  );
  status.className = `pill ${code ? "ok" : "warn"}`;
  status.hidden = false;
  document.getElementById("phishing-open")!.textContent = t(
    code ? "security.phishing.change" : "security.phishing.set",
  );
}

/** Wires the settings' dialogs. */
export function attachSettingActions(
  { accountId, refresh, onAccountIdChanged }: {
    accountId: () => string;
    refresh: () => Promise<unknown>;
    onAccountIdChanged: () => Promise<unknown>;
  },
): void {
  onSubmit("backup-codes-form", async (fields, form) => {
    const { data: { backupCodes }, headers } = await withConfirmation(
      fields,
      form,
      () => request("POST", "/v1/mfa/backup-codes", {}),
    );
    const dialog = form.closest("dialog")!;
    showAfter(dialog);
    showBackupCodes("new-codes", backupCodes, {
      accountId: accountId(),
      onDone: () => closeDialog("backup-codes-dialog"),
    });
    dialog.addEventListener("close", async () => {
      await refresh();
      say(
        "signin",
        withHold(t("security.backupCodes.made"), headers),
      );
    }, { once: true });
  }, { codeField: "factor" });
  onSubmit("passcode-change-form", async (fields, form) => {
    const { headers } = await withConfirmation(
      fields,
      form,
      () =>
        request("PUT", "/v1/passcode", {
          currentPasscode: fields.currentPasscode,
          newPasscode: fields.newPasscode,
        }),
    );
    closeDialog("passcode-dialog");
    await refresh();
    say(
      "signin",
      withHold(t("security.passcode.changed"), headers),
    );
  }, {
    credentialsField: "currentPasscode",
    codeField: "factor",
    newSecretField: "newPasscode",
  });
  onSubmit("trading-form", async (fields, form) => {
    const { headers } = await withConfirmation(
      fields,
      form,
      () =>
        request("PUT", "/v1/trading-passcode", {
          tradingPasscode: fields.tradingPasscode,
        }),
    );
    closeDialog("trading-dialog");
    await refresh();
    say("trading", withHold(t("security.trading.saved"), headers));
  }, { codeField: "factor", newSecretField: "tradingPasscode" });
  onSubmit("phishing-form", async (fields, form) => {
    await withConfirmation(
      fields,
      form,
      () => call("PUT", "/v1/anti-phishing-code", { code: fields.code }),
    );
    closeDialog("phishing-dialog");
    await refresh();
    say(
      "phishing",
      t("security.phishing.saved", { code: fields.code }),
    );
  }, { codeField: "factor" });
  onSubmit("account-id-form", async (fields, form) => {
    const sent = await withConfirmation(
      fields,
      form,
      () =>
        call("PUT", "/v1/account-id", {
          newAccountId: fields.newAccountId,
          passcode: fields.passcode,
        }),
    );
    document.getElementById("account-id-new")!.textContent = sent.accountId;
    showAfter(form.closest("dialog")!);
  }, { credentialsField: "passcode", codeField: "factor" });
  onSubmit("account-id-verify-form", async (fields) => {
    const { headers } = await request("POST", "/v1/account-id/verify", {
      code: fields.code,
    });
    closeDialog("account-id-dialog");
    await onAccountIdChanged();
    say(
      "account",
      withHold(
        t("security.accountId.changed", { account: accountId() }),
        headers,
      ),
    );
  }, { codeField: "code" });
}
