/** @jsxImportSource hono/jsx */
/** `/register`: address and passcode, then the code sent to the address. */
import {
  AccountIdField,
  AuthCard,
  Captcha,
  CodeField,
  Form,
  FormMessage,
  Layout,
  NewPasscodeField,
  type PageContext,
  SubmitButton,
} from "./layout.tsx";
import { useText } from "./texts.tsx";

export function RegisterPage({ context }: { context: PageContext }) {
  const t = useText();
  return (
    <Layout context={context} title="Create an account" page="register">
      <AuthCard
        title="Create your account"
        lead="Your e-mail address or phone number is your account ID. We send a code to it to check that it is yours."
        below={
          <p>
            Already have an account? <a href="/login">Sign in</a>
          </p>
        }
      >
        <section id="step-register" class="step">
          <Form id="register-form" action={context.path}>
            <AccountIdField
              form="register-form"
              hint="Phone numbers in international form: +49 170 1234567."
            />
            <NewPasscodeField
              form="register-form"
              label="Passcode"
              name="passcode"
            />
            <Captcha />
            <FormMessage form="register-form" />
            <SubmitButton
              label="Create account"
              busy="Creating your account…"
            />
          </Form>
        </section>
        <section id="step-verify" class="step" hidden>
          <div class="step-head">
            <h2>Check your messages</h2>
            <p class="muted">
              We sent a 6-digit code to{" "}
              <strong id="verify-address">your address</strong>. It is valid for
              10 minutes.
            </p>
          </div>
          <Form id="verify-form" action={context.path}>
            <CodeField
              form="verify-form"
              label="Code"
              hint={t("common.neverShare")}
            />
            <FormMessage form="verify-form" />
            <SubmitButton label="Verify" busy="Verifying…" />
          </Form>
        </section>
        <section id="step-registered" class="step" hidden>
          <div class="success-mark" aria-hidden="true">✓</div>
          <div class="step-head">
            <h2>Your account is ready</h2>
            <p class="muted">
              Sign in now: the first sign-in sets up your authenticator app and
              gives you backup codes.
            </p>
          </div>
          <a href="/login" class="button block" id="continue-to-sign-in">
            Continue to sign in
          </a>
        </section>
      </AuthCard>
    </Layout>
  );
}
