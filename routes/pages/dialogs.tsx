/** @jsxImportSource hono/jsx */
/**
 * A small modal form for one action of the security centre (`<dialog>`, opened by any
 * button whose `data-open` names it), the second-factor field such forms share, and the
 * trading passcode's field (set here, typed again on the step-up page).
 */
import type { Child } from "hono/jsx";
import { Icon } from "./icons.tsx";
import { Field, Form, FormMessage, PasscodeField } from "./layout.tsx";
import { Phrase, slot } from "./phrase.tsx";
import { useText } from "./texts.tsx";

/** The six digits of a trading passcode, hidden as a passcode is. */
export function TradingPasscodeField(
  { form, label, autocomplete, hint, missing }: {
    form: string;
    label: string;
    /** `new-password` where it is chosen, `off` where it is typed to approve. */
    autocomplete: string;
    hint?: string;
    missing: string;
  },
) {
  const t = useText();
  return (
    <PasscodeField
      form={form}
      label={label}
      name="tradingPasscode"
      autocomplete={autocomplete}
      inputmode="numeric"
      pattern="[0-9]{6}"
      maxlength={6}
      hint={hint}
      missing={missing}
      invalid={t("security.trading.invalid")}
    />
  );
}

/**
 * The second factor a security change needs: a code from the app or, where the change
 * takes one, a backup code; or, with the link beside it, a passkey.
 * client/security/confirmation.ts drives it. For most changes (`window`) it opens the
 * session's confirmation window (API.md, `POST /v1/session/confirm`), so the field
 * asks only before the first change, and while the window is open says so in its
 * place. The settings lock and the passkeys-only switch take a factor of their own
 * every time (`fresh`).
 */
export function FactorField(
  { form, backupCode = true, fresh = false, only }: {
    form: string;
    backupCode?: boolean;
    fresh?: boolean;
    /** The one factor a change takes (passkeys-only switched off: a passkey). */
    only?: "passkey";
  },
) {
  const t = useText();
  return (
    <>
      <div
        class="factor"
        data-factor={fresh ? "fresh" : "window"}
        data-only={only}
      >
        <p class="factor-expired" data-factor-expired hidden>
          {t("security.factor.expired")}
        </p>
        <div data-factor-code>
          <Field
            form={form}
            name="factor"
            label={t("security.factor.label")}
            autocomplete="one-time-code"
            inputmode={backupCode ? undefined : "numeric"}
            maxlength={backupCode ? 20 : 6}
            hint={t(
              backupCode
                ? fresh
                  ? "security.factor.hint.backup"
                  : "security.factor.hint.backupWindow"
                : fresh
                ? "security.factor.hint.code"
                : "security.factor.hint.codeWindow",
            )}
            class="code"
            pattern={backupCode
              ? "[0-9]{6}|[A-Za-z0-9 \\-]{12,20}"
              : "[0-9]{6}"}
            missing={t(
              backupCode
                ? "security.factor.missing.backup"
                : "security.factor.missing.code",
            )}
            invalid={t(
              backupCode
                ? "security.factor.invalid.backup"
                : "security.factor.invalid.code",
            )}
          />
        </div>
        <p class="factor-passkey muted" data-factor-passkey hidden>
          <Icon name="key" />
          <span>{t("security.factor.passkey")}</span>
        </p>
        <button type="button" class="link" data-factor-switch hidden>
          {t("security.confirmation.usePasskey")}
        </button>
      </div>
      {!fresh && (
        <p class="factor-confirmed" data-confirmed-note hidden>
          <Icon name="check" />
          <span>
            <Phrase
              text={t("security.confirmation.leftNoCode", {
                left: slot("left"),
              })}
              slots={{ left: <strong data-confirmed-left>5:00</strong> }}
            />
          </span>
        </p>
      )}
    </>
  );
}

/** A modal dialog holding one form, with Cancel beside its submit button. */
export function Dialog(
  { id, title, lead, form, action, submit, busy, danger, children, after }: {
    id: string;
    title: string;
    lead?: Child;
    /** The form's id. */
    form: string;
    action: string;
    submit: string;
    busy: string;
    danger?: boolean;
    children?: Child;
    /** Shown instead of the form once it did its work (new backup codes). */
    after?: Child;
  },
) {
  const t = useText();
  return (
    <dialog id={id} class="dialog" aria-labelledby={`${id}-title`}>
      <div class="dialog-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button
          type="button"
          class="icon-button"
          data-close
          aria-label={t("security.dialog.close")}
        >
          ×
        </button>
      </div>
      <div class="dialog-body" data-dialog-body>
        {lead && <p class="muted" id={`${id}-lead`}>{lead}</p>}
        <Form id={form} action={action}>
          {children}
          <FormMessage form={form} />
          <div class="dialog-actions">
            <button type="button" class="secondary" data-close>
              {t("security.dialog.cancel")}
            </button>
            <button
              type="submit"
              class={danger ? "danger" : undefined}
              data-busy={busy}
            >
              {submit}
            </button>
          </div>
        </Form>
      </div>
      {after}
    </dialog>
  );
}
