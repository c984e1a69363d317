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
    <Layout context={context} title="Sign in" page="login">
      <AuthCard
        title={`Sign in to ${context.brandName}`}
        lead="Check that the address bar shows the official address before you type."
        below={
          <p>
            New here? <a href="/register">Create an account</a>
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
              label="Passcode"
              name="passcode"
              autocomplete="current-password"
              missing="Enter your passcode."
              aside={
                <a href="/recover" class="small-link">Forgot your passcode?</a>
              }
            />
            <Captcha />
            <FormMessage form="passcode-form" />
            <SubmitButton label="Continue" busy="Checking…" />
          </Form>
          {/* Shown by the module where the browser can use passkeys. */}
          <div class="alternatives" id="passkey-sign-in" hidden>
            <p class="divider">
              <span>or</span>
            </p>
            <button
              type="button"
              id="sign-in-passkey"
              class="secondary block"
              data-busy="Waiting for your passkey…"
            >
              <Icon name="key" /> Sign in with a passkey
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
          <StepHead title="Confirm this device">
            This browser or network is new to your account. We sent a 6-digit
            code to{" "}
            <strong id="device-address">your address</strong>; the message
            starts with your anti-phishing code.
          </StepHead>
          <Form id="device-form" action={context.path}>
            <CodeField
              form="device-form"
              label="Code"
              hint={t("common.neverShare")}
            />
            <FormMessage form="device-form" />
            <SubmitButton label="Confirm" busy="Confirming…" />
          </Form>
          <div class="resend">
            <p class="muted small">No message after a minute?</p>
            <button
              type="button"
              id="resend-code"
              class="link"
              data-busy="Sending…"
            >
              Send a new code
            </button>
            <p class="muted small" id="resend-status" role="status"></p>
          </div>
        </section>
        <section id="step-enroll" class="step" hidden>
          <StepHead title="Set up your authenticator app">
            Every sign-in asks for a code from an app such as Google
            Authenticator, Microsoft Authenticator or 1Password. Scan the QR
            code with it, or type the key.
          </StepHead>
          <div class="enroll">
            <div id="enroll-qr" class="qr" role="img" aria-label="QR code">
            </div>
            <div class="enroll-key">
              <p class="muted small">Can't scan? Enter this key:</p>
              <code id="enroll-secret" class="secret"></code>
              <button
                type="button"
                class="secondary small"
                id="copy-secret"
              >
                <Icon name="copy" /> Copy key
              </button>
              <p class="form-status" id="copy-secret-status" role="status"></p>
            </div>
          </div>
          <Form id="enroll-form" action={context.path}>
            <CodeField
              form="enroll-form"
              label="Code from the app"
              hint="The 6 digits the app shows for this account."
            />
            <FormMessage form="enroll-form" />
            <SubmitButton label="Confirm and sign in" busy="Confirming…" />
          </Form>
        </section>
        <section id="step-backup-codes" class="step" hidden>
          <BackupCodesPanel
            id="first-codes"
            title="Save your backup codes"
            lead="Each code signs you in once if you lose your phone. Keep them offline, away from your phone: they are not shown again."
          />
        </section>
        <section id="step-mfa" class="step" hidden>
          <StepHead title="Two-step verification">
            <span id="mfa-with-app">
              Open your authenticator app and enter the 6-digit code for{" "}
              {context.brandName}.
            </span>
            <span id="mfa-passkeys-only" hidden>
              Your account accepts passkeys only: confirm with one of yours.
            </span>
          </StepHead>
          <Form id="totp-form" action={context.path}>
            <CodeField
              form="totp-form"
              label="Code from your authenticator app"
            />
            <FormMessage form="totp-form" />
            <SubmitButton label="Sign in" busy="Signing in…" />
          </Form>
          <div class="alternatives">
            <p class="divider" id="mfa-divider">
              <span>or</span>
            </p>
            <button
              type="button"
              id="use-passkey"
              class="secondary block"
              data-busy="Waiting for your passkey…"
              hidden
            >
              <Icon name="key" /> Use a passkey
            </button>
            <p class="form-message" id="passkey-message" role="alert"></p>
            <button type="button" id="use-backup-code" class="link">
              Use a backup code instead
            </button>
          </div>
        </section>
        <section id="step-backup" class="step" hidden>
          <StepHead title="Use a backup code">
            One of the ten codes you saved when you set up your app. Each works
            once.
          </StepHead>
          <Form id="backup-form" action={context.path}>
            <Field
              form="backup-form"
              label="Backup code"
              name="code"
              autocomplete="one-time-code"
              maxlength={20}
              hint="12 letters and digits, like k7m2-q9xa-3h4p. Dashes and spaces do not matter."
              class="code"
              missing="Enter one of your backup codes."
              invalid="A backup code has 12 letters and digits, like k7m2-q9xa-3h4p."
            />
            <FormMessage form="backup-form" />
            <SubmitButton label="Sign in" busy="Signing in…" />
          </Form>
          <button type="button" id="use-app-code" class="link back">
            <Icon name="arrowLeft" /> Use a code from the app instead
          </button>
        </section>
      </AuthCard>
    </Layout>
  );
}
