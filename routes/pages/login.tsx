/** @jsxImportSource hono/jsx */
/**
 * `/login`: the passcode, then whichever steps the ticket still requires, each a
 * `<section>` the module shows in turn inside one card.
 */
import { BackupCodesPanel } from "./backup_codes.tsx";
import { Icon } from "./icons.tsx";
import {
  AccountIdField,
  AuthCard,
  Captcha,
  CodeField,
  Field,
  Form,
  FormMessage,
  Layout,
  type PageContext,
  PasscodeField,
  SubmitButton,
} from "./layout.tsx";
import { useText } from "./texts.tsx";

/** The step's heading and what it asks for. */
function StepHead({ title, children }: { title: string; children?: unknown }) {
  return (
    <div class="step-head">
      <h2>{title}</h2>
      {children ? <p class="muted">{children}</p> : null}
    </div>
  );
}

export function LoginPage({ context }: { context: PageContext }) {
  const t = useText();
  return (
    <Layout context={context} title={t("signIn.login.pageTitle")} page="login">
      <AuthCard
        title={t("signIn.login.heading", { brand: context.brandName })}
        lead={t("signIn.login.lead")}
        below={
          <p>
            {t("signIn.login.newHere")}{" "}
            <a href="/register">{t("signIn.createAccount")}</a>
          </p>
        }
      >
        <section id="step-passcode" class="step">
          <Form id="passcode-form" action={context.path}>
            {/* Conditional UI: the browser offers this site's passkeys here. */}
            <AccountIdField
              form="passcode-form"
              autocomplete="username webauthn"
            />
            <PasscodeField
              form="passcode-form"
              label={t("signIn.passcode.label")}
              name="passcode"
              autocomplete="current-password"
              missing={t("signIn.login.passcodeMissing")}
              aside={
                <a href="/recover" class="small-link">
                  {t("signIn.login.forgot")}
                </a>
              }
            />
            <Captcha />
            <FormMessage form="passcode-form" />
            <SubmitButton
              label={t("signIn.continue")}
              busy={t("signIn.login.checking")}
            />
          </Form>
          {/* Shown by the module where the browser can use passkeys. */}
          <div class="alternatives" id="passkey-sign-in" hidden>
            <p class="divider">
              <span>{t("signIn.or")}</span>
            </p>
            <button
              type="button"
              id="sign-in-passkey"
              class="secondary block"
              data-busy={t("signIn.passkey.waiting")}
            >
              <Icon name="key" /> {t("signIn.login.withPasskey")}
            </button>
            <p
              class="form-message"
              id="sign-in-passkey-message"
              role="alert"
            >
            </p>
          </div>
        </section>
        <section id="step-device" class="step" hidden>
          <StepHead title={t("signIn.device.title")}>
            {t("signIn.device.sentBefore")}
            <strong id="device-address">{t("signIn.yourAddress")}</strong>
            {t("signIn.device.sentAfter")}
          </StepHead>
          <Form id="device-form" action={context.path}>
            <CodeField
              form="device-form"
              label={t("signIn.code.label")}
              hint={t("common.neverShare")}
            />
            <FormMessage form="device-form" />
            <SubmitButton
              label={t("signIn.device.confirm")}
              busy={t("signIn.confirming")}
            />
          </Form>
          <div class="resend">
            <p class="muted small">{t("signIn.device.noMessage")}</p>
            <button
              type="button"
              id="resend-code"
              class="link"
              data-busy={t("signIn.sending")}
            >
              {t("signIn.device.resend")}
            </button>
            <p class="muted small" id="resend-status" role="status"></p>
          </div>
        </section>
        <section id="step-enroll" class="step" hidden>
          <StepHead title={t("signIn.enroll.title")}>
            {t("signIn.enroll.lead")}
          </StepHead>
          <div class="enroll">
            <div
              id="enroll-qr"
              class="qr"
              role="img"
              aria-label={t("signIn.enroll.qrCode")}
            >
            </div>
            <div class="enroll-key">
              <p class="muted small">{t("signIn.enroll.cantScan")}</p>
              <code id="enroll-secret" class="secret"></code>
              <button
                type="button"
                class="secondary small"
                id="copy-secret"
              >
                <Icon name="copy" /> {t("signIn.enroll.copyKey")}
              </button>
              <p class="form-status" id="copy-secret-status" role="status"></p>
            </div>
          </div>
          <Form id="enroll-form" action={context.path}>
            <CodeField
              form="enroll-form"
              label={t("signIn.enroll.codeLabel")}
              hint={t("signIn.enroll.codeHint")}
            />
            <FormMessage form="enroll-form" />
            <SubmitButton
              label={t("signIn.enroll.submit")}
              busy={t("signIn.confirming")}
            />
          </Form>
        </section>
        <section id="step-backup-codes" class="step" hidden>
          <BackupCodesPanel
            id="first-codes"
            title={t("signIn.enroll.codesTitle")}
            lead={t("signIn.enroll.codesLead")}
          />
        </section>
        <section id="step-mfa" class="step" hidden>
          <StepHead title={t("signIn.mfa.title")}>
            <span id="mfa-with-app">
              {t("signIn.mfa.withApp", { brand: context.brandName })}
            </span>
            <span id="mfa-passkeys-only" hidden>
              {t("signIn.mfa.passkeysOnly")}
            </span>
          </StepHead>
          <Form id="totp-form" action={context.path}>
            <CodeField
              form="totp-form"
              label={t("signIn.mfa.codeLabel")}
            />
            <FormMessage form="totp-form" />
            <SubmitButton
              label={t("signIn.signIn")}
              busy={t("signIn.signingIn")}
            />
          </Form>
          <div class="alternatives">
            <p class="divider" id="mfa-divider">
              <span>{t("signIn.or")}</span>
            </p>
            <button
              type="button"
              id="use-passkey"
              class="secondary block"
              data-busy={t("signIn.passkey.waiting")}
              hidden
            >
              <Icon name="key" /> {t("signIn.mfa.usePasskey")}
            </button>
            <p class="form-message" id="passkey-message" role="alert"></p>
            <button type="button" id="use-backup-code" class="link">
              {t("signIn.mfa.useBackupCode")}
            </button>
          </div>
        </section>
        <section id="step-backup" class="step" hidden>
          <StepHead title={t("signIn.backupCode.title")}>
            {t("signIn.backupCode.lead")}
          </StepHead>
          <Form id="backup-form" action={context.path}>
            <Field
              form="backup-form"
              label={t("signIn.backupCode.label")}
              name="code"
              autocomplete="one-time-code"
              maxlength={20}
              hint={t("signIn.backupCode.hint")}
              class="code"
              missing={t("signIn.backupCode.missing")}
              invalid={t("signIn.backupCode.invalid")}
            />
            <FormMessage form="backup-form" />
            <SubmitButton
              label={t("signIn.signIn")}
              busy={t("signIn.signingIn")}
            />
          </Form>
          <button type="button" id="use-app-code" class="link back">
            <Icon name="arrowLeft" /> {t("signIn.backupCode.useApp")}
          </button>
        </section>
      </AuthCard>
    </Layout>
  );
}
