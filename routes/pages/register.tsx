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
    <Layout
      context={context}
      title={t("signIn.register.pageTitle")}
      page="register"
    >
      <AuthCard
        title={t("signIn.register.heading")}
        lead={t("signIn.register.lead")}
        below={
          <p>
            {t("signIn.register.haveAccount")}{" "}
            <a href="/login">{t("signIn.signIn")}</a>
          </p>
        }
      >
        <section id="step-register" class="step">
          <Form id="register-form" action={context.path}>
            <AccountIdField
              form="register-form"
              hint={t("signIn.register.phoneHint")}
            />
            <NewPasscodeField
              form="register-form"
              label={t("signIn.passcode.label")}
              name="passcode"
            />
            <Captcha />
            <FormMessage form="register-form" />
            <SubmitButton
              label={t("signIn.register.submit")}
              busy={t("signIn.register.busy")}
            />
          </Form>
        </section>
        <section id="step-verify" class="step" hidden>
          <div class="step-head">
            <h2>{t("signIn.register.verifyTitle")}</h2>
            <p class="muted">
              {t("signIn.register.verifySentBefore")}
              <strong id="verify-address">{t("signIn.yourAddress")}</strong>
              {t("signIn.register.verifySentAfter")}
            </p>
          </div>
          <Form id="verify-form" action={context.path}>
            <CodeField
              form="verify-form"
              label={t("signIn.code.label")}
              hint={t("common.neverShare")}
            />
            <FormMessage form="verify-form" />
            <SubmitButton
              label={t("signIn.register.verify")}
              busy={t("signIn.register.verifying")}
            />
          </Form>
        </section>
        <section id="step-registered" class="step" hidden>
          <div class="success-mark" aria-hidden="true">✓</div>
          <div class="step-head">
            <h2>{t("signIn.register.readyTitle")}</h2>
            <p class="muted">{t("signIn.register.readyText")}</p>
          </div>
          <a href="/login" class="button block" id="continue-to-sign-in">
            {t("signIn.register.continue")}
          </a>
        </section>
      </AuthCard>
    </Layout>
  );
}
