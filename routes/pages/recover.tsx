/** @jsxImportSource hono/jsx */
/** `/recover`: a code to the address, then a new passcode or the 48-hour reset. */
import {
  AccountForPasswordManagers,
  AccountIdField,
  AuthCard,
  Captcha,
  CodeField,
  Field,
  Form,
  FormMessage,
  Layout,
  NewPasscodeField,
  type PageContext,
  SubmitButton,
} from "./layout.tsx";
import { useText } from "./texts.tsx";

export function RecoverPage({ context }: { context: PageContext }) {
  const t = useText();
  return (
    <Layout context={context} title="Recover your account" page="recover">
      <AuthCard
        title="Recover your account"
        lead="Forgot your passcode, or lost your authenticator app? We send a recovery code to your address if it has an account."
        below={
          <p>
            Remembered it? <a href="/login">Sign in</a>
          </p>
        }
      >
        <section id="step-request" class="step">
          <Form id="request-form" action={context.path}>
            <AccountIdField form="request-form" />
            <Captcha />
            <FormMessage form="request-form" />
            <SubmitButton label="Send a recovery code" busy="Sending…" />
          </Form>
        </section>
        <section id="step-reset" class="step" hidden>
          <div class="step-head">
            <h2>Set a new passcode</h2>
            <p class="muted">
              Enter the code from the message, a new passcode, and a code from
              your authenticator app or one of your backup codes.
            </p>
          </div>
          <Form id="reset-form" action={context.path}>
            <AccountForPasswordManagers />
            <CodeField
              form="reset-form"
              label="Recovery code"
              hint={t("common.neverShare")}
            />
            <NewPasscodeField
              form="reset-form"
              label="New passcode"
              name="newPasscode"
            />
            <Field
              form="reset-form"
              name="factor"
              label="Code from your authenticator app, or a backup code"
              autocomplete="one-time-code"
              maxlength={20}
              class="code"
              missing="Enter a code from your app, or a backup code."
              invalid="Enter the 6 digits from your app, or a backup code like k7m2-q9xa-3h4p."
            />
            <FormMessage form="reset-form" />
            <SubmitButton label="Reset passcode" busy="Resetting…" />
          </Form>
          <button type="button" id="lost-authenticator" class="link">
            I lost my authenticator and have no backup code
          </button>
        </section>
        <section id="step-mfa-reset" class="step" hidden>
          <div class="step-head">
            <h2>Lost authenticator</h2>
            <p class="muted">
              Your authenticator app will be removed after 48 hours, and the new
              passcode takes effect then. We tell you at once and again at the
              end. Signing in with your current passcode and second factor in
              the meantime cancels it.
            </p>
          </div>
          <Form id="mfa-reset-form" action={context.path}>
            <AccountForPasswordManagers />
            <CodeField
              form="mfa-reset-form"
              label="Recovery code"
              hint={t("common.neverShare")}
            />
            <NewPasscodeField
              form="mfa-reset-form"
              label="New passcode"
              name="newPasscode"
            />
            <FormMessage form="mfa-reset-form" />
            <SubmitButton label="Start the 48-hour reset" busy="Starting…" />
          </Form>
        </section>
        <section id="step-done" class="step" hidden>
          <div class="success-mark" aria-hidden="true">✓</div>
          <div class="step-head">
            <h2 id="done-title">Done</h2>
            <p class="muted" id="done-text"></p>
          </div>
          <a href="/login" class="button block">Sign in</a>
        </section>
      </AuthCard>
    </Layout>
  );
}
