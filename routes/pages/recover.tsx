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
    <Layout
      context={context}
      title={t("signIn.recover.title")}
      page="recover"
    >
      <AuthCard
        title={t("signIn.recover.title")}
        lead={t("signIn.recover.lead")}
        below={
          <p>
            {t("signIn.recover.remembered")}{" "}
            <a href="/login">{t("signIn.signIn")}</a>
          </p>
        }
      >
        <section id="step-request" class="step">
          <Form id="request-form" action={context.path}>
            <AccountIdField form="request-form" />
            <Captcha />
            <FormMessage form="request-form" />
            <SubmitButton
              label={t("signIn.recover.send")}
              busy={t("signIn.sending")}
            />
          </Form>
        </section>
        <section id="step-reset" class="step" hidden>
          <div class="step-head">
            <h2>{t("signIn.recover.resetTitle")}</h2>
            <p class="muted">{t("signIn.recover.resetLead")}</p>
          </div>
          <Form id="reset-form" action={context.path}>
            <AccountForPasswordManagers />
            <CodeField
              form="reset-form"
              label={t("signIn.recover.codeLabel")}
              hint={t("common.neverShare")}
            />
            <NewPasscodeField
              form="reset-form"
              label={t("signIn.recover.newPasscode")}
              name="newPasscode"
            />
            <Field
              form="reset-form"
              name="factor"
              label={t("signIn.recover.factorLabel")}
              autocomplete="one-time-code"
              maxlength={20}
              class="code"
              missing={t("signIn.recover.factorMissing")}
              invalid={t("signIn.recover.factorInvalid")}
            />
            <FormMessage form="reset-form" />
            <SubmitButton
              label={t("signIn.recover.reset")}
              busy={t("signIn.recover.resetting")}
            />
          </Form>
          <button type="button" id="lost-authenticator" class="link">
            {t("signIn.recover.lostAuthenticator")}
          </button>
        </section>
        <section id="step-mfa-reset" class="step" hidden>
          <div class="step-head">
            <h2>{t("signIn.recover.mfaResetTitle")}</h2>
            <p class="muted">{t("signIn.recover.mfaResetLead")}</p>
          </div>
          <Form id="mfa-reset-form" action={context.path}>
            <AccountForPasswordManagers />
            <CodeField
              form="mfa-reset-form"
              label={t("signIn.recover.codeLabel")}
              hint={t("common.neverShare")}
            />
            <NewPasscodeField
              form="mfa-reset-form"
              label={t("signIn.recover.newPasscode")}
              name="newPasscode"
            />
            <FormMessage form="mfa-reset-form" />
            <SubmitButton
              label={t("signIn.recover.mfaReset")}
              busy={t("signIn.recover.starting")}
            />
          </Form>
        </section>
        <section id="step-done" class="step" hidden>
          <div class="success-mark" aria-hidden="true">✓</div>
          <div class="step-head">
            <h2 id="done-title">{t("signIn.recover.done")}</h2>
            <p class="muted" id="done-text"></p>
          </div>
          <a href="/login" class="button block">{t("signIn.signIn")}</a>
        </section>
      </AuthCard>
    </Layout>
  );
}
