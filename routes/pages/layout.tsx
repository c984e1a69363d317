/** @jsxImportSource hono/jsx */
/**
 * The frame of every page (header with the brand, the official address, one
 * stylesheet pair, one nonce'd module) and the form parts every page builds with.
 */
import type { Child } from "hono/jsx";
import type { Language } from "../../lib/i18n/languages.ts";
import type { CatalogKey } from "../../lib/i18n/translator.ts";
import { Icon } from "./icons.tsx";
import { LanguageSwitch } from "./language_switch.tsx";
import { Phrase, slot } from "./phrase.tsx";
import {
  type PageName,
  pageScriptParts,
  PageTexts,
  usePageLanguage,
  useText,
} from "./texts.tsx";

/** What every page needs from the request. */
export interface PageContext {
  nonce: string;
  origin: string;
  /** The page's own path, where its forms post. */
  path: string;
  /** The language the page is written in (routes/env.ts, `requestLanguage`). */
  language: Language;
  /** The address's query (what the step-up page is asked to approve). */
  query: URLSearchParams;
  /** Shown above the page's content as it loads. */
  notice?: CatalogKey;
  /** The brand's name (`BRAND_NAME`). */
  brandName: string;
  /** The logo's asset name (`logo.svg` or `logo.png`). */
  logo: string;
  /** The browser sent a refresh cookie: the module asks whether it is signed in. */
  maybeSignedIn: boolean;
  asset(name: string): string;
}

/** The guide's first rule, on every page: know the official address. */
function OfficialAddress({ origin }: { origin: string }) {
  const t = useText();
  return (
    <div class="official">
      <p class="official-inner">
        <Icon name="lock" />
        <span>
          <Phrase
            text={t("common.officialAddress", { origin: slot("origin") })}
            slots={{ origin: <strong>{origin}</strong> }}
          />
        </span>
      </p>
    </div>
  );
}

/**
 * The header: the brand, then "Sign in" or, once the module knows, the account; under
 * it the official address.
 */
function Header({ context }: { context: PageContext }) {
  const t = useText();
  return (
    <header>
      <div class="topbar">
        <div class="topbar-inner">
          <a class="brand" href="/">
            <img
              src={context.asset(context.logo)}
              alt=""
              width="28"
              height="28"
            />
            <span>{context.brandName}</span>
          </a>
          <nav aria-label={t("common.nav.account")} class="topnav">
            <LanguageSwitch />
            <div class="nav-group" data-when="signed-out">
              <a href="/login" class="nav-link">{t("common.nav.signIn")}</a>
              <a href="/register" class="button small">
                {t("common.nav.createAccount")}
              </a>
            </div>
            <div class="nav-group" data-when="signed-in" hidden>
              <a href="/security" class="nav-link">
                {t("common.nav.security")}
              </a>
              <span class="account-chip">
                <Icon name="account" />
                <span id="menu-account"></span>
              </span>
              <button type="button" id="sign-out" class="ghost small">
                {t("common.nav.signOut")}
              </button>
            </div>
          </nav>
        </div>
      </div>
      <OfficialAddress origin={context.origin} />
    </header>
  );
}

/** The page frame. `page` names the client-side behaviour the module attaches. */
export function Layout(
  { context, title, page, width = "narrow", children }: {
    context: PageContext;
    title: string;
    page: PageName;
    /** `narrow`: a centred card (sign-in, registration); `wide`: a dashboard. */
    width?: "narrow" | "wide";
    children: Child;
  },
) {
  const t = useText();
  return (
    <html lang={usePageLanguage()}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <title>{title} · {context.brandName}</title>
        <link rel="icon" href={context.asset(context.logo)} />
        <link rel="stylesheet" href={context.asset("brand.css")} />
        <link rel="stylesheet" href={context.asset("styles.css")} />
        <script
          type="module"
          src={context.asset("app.js")}
          nonce={context.nonce}
          data-captcha-worker={context.asset("captcha_worker.js")}
        >
        </script>
        <PageTexts parts={pageScriptParts[page]} />
      </head>
      <body
        data-page={page}
        data-maybe-signed-in={context.maybeSignedIn ? "true" : undefined}
      >
        <a class="skip-link" href="#main">{t("common.skipToContent")}</a>
        <Header context={context} />
        <main id="main" class={width}>
          <noscript>
            <p class="noscript">{t("common.noScript")}</p>
          </noscript>
          <div
            id="notice"
            class="page-notice"
            role="alert"
            hidden={!context.notice}
          >
            {context.notice && t(context.notice)}
          </div>
          {children}
        </main>
        <footer class="footer">
          <p>{t("common.footer", { brand: context.brandName })}</p>
        </footer>
      </body>
    </html>
  );
}

/** A centred card with the page's heading: sign-in, registration, recovery. */
export function AuthCard(
  { title, lead, children, below }: {
    title: string;
    lead?: Child;
    children: Child;
    below?: Child;
  },
) {
  return (
    <>
      <div class="card auth-card">
        <div class="card-head">
          <h1>{title}</h1>
          {lead && <p class="lead">{lead}</p>}
        </div>
        {children}
      </div>
      {below && <div class="auth-below">{below}</div>}
    </>
  );
}

/**
 * A form the page module sends. Sent without it (before it loaded, or with scripts
 * off), the browser posts it to the page's own path, which answers the page again:
 * a GET would put the passcode into the address bar, the history and server logs, and
 * an action without a query never repeats what an address carried. `novalidate`: the
 * module checks the fields and says what is wrong next to each, in the page's words.
 */
export function Form(
  { id, action, children, class: className }: {
    id: string;
    action: string;
    children?: Child;
    class?: string;
  },
) {
  return (
    <form
      id={id}
      method="post"
      action={action}
      novalidate
      class={className ?? "stack"}
    >
      {children}
    </form>
  );
}

/**
 * Where a form's own result appears (what went wrong as a whole, or what was done),
 * right above its button, announced when it changes.
 */
export function FormMessage({ form }: { form: string }) {
  return <div id={`${form}-message`} class="form-message" role="alert"></div>;
}

/**
 * The button that sends a form; while the request runs it is disabled and says `busy`
 * ("Signing in…") beside a spinner.
 */
export function SubmitButton(
  { label, busy, kind }: {
    label: string;
    busy: string;
    kind?: "danger";
  },
) {
  return (
    <button
      type="submit"
      class={kind === "danger" ? "danger block" : "block"}
      data-busy={busy}
    >
      {label}
    </button>
  );
}

/** Props shared by the field helpers. */
interface FieldProps {
  label: string;
  name: string;
  form: string;
  type?: string;
  autocomplete?: string;
  inputmode?: "numeric" | "email" | "text";
  pattern?: string;
  minlength?: number;
  maxlength?: number;
  required?: boolean;
  hint?: string;
  value?: string;
  /** A link under the field ("Forgot your passcode?"). */
  aside?: Child;
  /** A control inside the input's box (the show-passcode toggle). */
  trailing?: Child;
  class?: string;
  /** What the field says when it is left empty. */
  missing?: string;
  /** What it says when its value does not fit, here or at the API. */
  invalid?: string;
}

/**
 * A labelled input with its hint and the place its error appears; the module ties the
 * error to the input (`aria-invalid`, `aria-describedby`) when there is one.
 */
export function Field(props: FieldProps) {
  const t = useText();
  const id = `${props.form}-${props.name}`;
  return (
    <div class={`field${props.class ? ` ${props.class}` : ""}`}>
      <label for={id}>{props.label}</label>
      <div class={props.trailing ? "input-wrap has-trailing" : "input-wrap"}>
        <input
          id={id}
          name={props.name}
          type={props.type ?? "text"}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          pattern={props.pattern}
          minlength={props.minlength}
          maxlength={props.maxlength}
          required={props.required ?? true}
          value={props.value}
          data-missing={props.missing ??
            t("common.field.missing", { label: props.label })}
          data-invalid={props.invalid ??
            t("common.field.invalid", { label: props.label })}
          autocapitalize="off"
          aria-describedby={props.hint ? `${id}-hint` : undefined}
        />
        {props.trailing}
      </div>
      {props.hint && <p id={`${id}-hint`} class="hint">{props.hint}</p>}
      <p id={`${id}-error`} class="field-error" hidden></p>
      {/* After the input: Tab goes from one field to the next, not via a link. */}
      {props.aside && <div class="field-aside">{props.aside}</div>}
    </div>
  );
}

/** A passcode field with a button that shows what was typed. */
export function PasscodeField(
  props: Omit<FieldProps, "type" | "trailing">,
) {
  const t = useText();
  return (
    <Field
      {...props}
      type="password"
      trailing={
        <button
          type="button"
          class="reveal"
          data-reveal={`${props.form}-${props.name}`}
          aria-pressed="false"
          aria-label={t("common.field.showLabel", { label: props.label })}
        >
          <Icon name="eye" />
          <span class="reveal-text" aria-hidden="true">
            {t("common.field.show")}
          </span>
        </button>
      }
    />
  );
}

/**
 * The account a passcode form is for, unseen: password managers file the new passcode
 * under it (the module fills it in).
 */
export function AccountForPasswordManagers() {
  return (
    <input
      type="text"
      name="username"
      autocomplete="username"
      hidden
      readonly
      data-account
    />
  );
}

/** A six-digit code field (from a message or an authenticator app). */
export function CodeField(
  { label, name = "code", form, hint }: {
    label: string;
    name?: string;
    form: string;
    hint?: string;
  },
) {
  const t = useText();
  return (
    <Field
      label={label}
      name={name}
      form={form}
      autocomplete="one-time-code"
      inputmode="numeric"
      pattern="[0-9]{6}"
      maxlength={6}
      hint={hint}
      class="code"
      missing={t("common.code.missing")}
      invalid={t("common.code.invalid")}
    />
  );
}

/** An account ID field: an e-mail address or an international phone number. */
export function AccountIdField(
  {
    form,
    name = "accountId",
    label,
    hint,
    autocomplete = "username",
  }: {
    form: string;
    name?: string;
    label?: string;
    hint?: string;
    /** `username webauthn` where the browser may offer passkeys in its place. */
    autocomplete?: string;
  },
) {
  const t = useText();
  return (
    <Field
      form={form}
      label={label ?? t("common.accountId.label")}
      name={name}
      autocomplete={autocomplete}
      hint={hint}
      maxlength={320}
      missing={t("common.accountId.missing")}
      invalid={t("common.accountId.invalid")}
    />
  );
}

/** A new passcode, with the policy said beside it. */
export function NewPasscodeField(
  { form, name, label }: { form: string; name: string; label: string },
) {
  const t = useText();
  return (
    <PasscodeField
      form={form}
      label={label}
      name={name}
      autocomplete="new-password"
      minlength={10}
      maxlength={128}
      hint={t("common.newPasscode.hint")}
      missing={t("common.newPasscode.missing")}
      invalid={t("common.newPasscode.invalid")}
    />
  );
}

/**
 * The CAPTCHA: the widget solves a proof of work when the form is sent, no puzzle for
 * people; invisible, so it adds no required checkbox of its own to the form.
 */
export function Captcha() {
  return (
    <div class="captcha">
      <altcha-widget
        challenge="/v1/captcha"
        name="captcha"
        display="invisible"
      >
      </altcha-widget>
    </div>
  );
}
