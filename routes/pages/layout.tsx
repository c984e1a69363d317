/** @jsxImportSource hono/jsx */
/** The frame of every page: one stylesheet, one nonce'd module, the safety banner. */
import type { Child } from "hono/jsx";

/** What every page needs from the request. */
export interface PageContext {
  nonce: string;
  origin: string;
  /** The page's own path, where its forms post. */
  path: string;
  /** Shown in the notice line as the page loads. */
  notice?: string;
  asset(name: string): string;
}

/** The guide's first rule, on every page: know the official address. */
function OfficialAddress({ origin }: { origin: string }) {
  return (
    <p class="official">
      Official address:{" "}
      <strong>{origin}</strong>. Bookmark it and sign in only there. We never
      ask for your codes by phone, chat or e-mail.
    </p>
  );
}

/** The page frame. `page` names the client-side behaviour the module attaches. */
export function Layout(
  { context, title, page, children }: {
    context: PageContext;
    title: string;
    page: string;
    children: Child;
  },
) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title} · Exchange login</title>
        <link rel="stylesheet" href={context.asset("styles.css")} />
        <script
          type="module"
          src={context.asset("app.js")}
          nonce={context.nonce}
          data-captcha-worker={context.asset("captcha_worker.js")}
        >
        </script>
      </head>
      <body data-page={page}>
        <header>
          <nav aria-label="Main">
            <a href="/">Home</a>
            <a href="/login">Sign in</a>
            <a href="/register">Register</a>
            <a href="/recover">Recover</a>
            <a href="/security">Security</a>
          </nav>
        </header>
        <main>
          <OfficialAddress origin={context.origin} />
          <h1>{title}</h1>
          <noscript>
            <p class="noscript">
              This service needs JavaScript. Allow it for this site, then reload
              the page.
            </p>
          </noscript>
          <div
            id="notice"
            role="alert"
            aria-live="assertive"
            class={context.notice ? "error" : undefined}
            hidden={!context.notice}
          >
            {context.notice}
          </div>
          {children}
        </main>
      </body>
    </html>
  );
}

/**
 * A form the page module sends. Sent without it (before it loaded, or with scripts
 * off), the browser posts it to the page's own path, which answers the page again:
 * a GET would put the passcode into the address bar, the history and server logs, and
 * an action without a query never repeats what an address carried.
 */
export function Form(
  { id, action, children }: { id: string; action: string; children?: Child },
) {
  return <form id={id} method="post" action={action}>{children}</form>;
}

/** A labelled input; `hint` is announced with it. */
export function Field(
  props: {
    label: string;
    name: string;
    type?: string;
    autocomplete?: string;
    inputmode?: "numeric" | "email" | "text";
    pattern?: string;
    maxlength?: number;
    required?: boolean;
    hint?: string;
    form?: string;
  },
) {
  const id = `${props.form ?? "f"}-${props.name}`;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        pattern={props.pattern}
        maxlength={props.maxlength}
        required={props.required ?? true}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && <p id={`${id}-hint`} class="hint">{props.hint}</p>}
    </div>
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
    />
  );
}

/**
 * The CAPTCHA: the widget solves a proof of work when the form is sent, no puzzle for
 * people; invisible, so it adds no required checkbox of its own to the form.
 */
export function Captcha() {
  return (
    <div class="field">
      <altcha-widget
        challenge="/v1/captcha"
        name="captcha"
        display="invisible"
      >
      </altcha-widget>
    </div>
  );
}

/** "Never share a code": said where codes are typed. */
export const neverShare =
  "Never share this code with anyone. Our staff will never ask you for it.";
